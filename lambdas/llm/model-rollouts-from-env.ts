/**
 * The serving side of an LLM endpoint's model rollout, wired from env for the deployment
 * capability's task function: the LLM table's records (uncached), the endpoint's configured model
 * from its rollout target.
 */
import type { DeploymentTarget } from '../../contracts/deployment';
import { ENV } from '../../contracts/env';
import { documentClient, requiredEnv } from '../shared/clients';
import { DynamoDbEndpointModels } from './adapters/dynamodb-endpoint-models';
import { EndpointModelVariantBackend } from './domain/model-variant-backend';

/** The backend of the model rollouts of the LLM endpoint `target` names. */
export function endpointModelBackend(subject: string, target: DeploymentTarget | undefined) {
  if (!target?.configuredModel) {
    throw new Error(`${subject} rolls out an LLM endpoint's model but its target names no configured model`);
  }
  // No cache: each step reads what it replaces.
  const records = new DynamoDbEndpointModels(documentClient(), requiredEnv(ENV.llmTable), 0);
  return new EndpointModelVariantBackend(records, {
    name: target.endpointName,
    model: target.configuredModel,
  });
}
