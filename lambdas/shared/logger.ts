/** Powertools structured logger shared by every handler; one instance per container. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'cdk-mlops' });
