/**
 * Task token answers through Step Functions. A token answered before, or of a run that ended, is
 * answered: `TaskTimedOut` (and `TaskDoesNotExist`) then mean a redelivered event found its work done.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html
 */
import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { logger } from '../../shared/logger';
import type { TaskTokenPort } from '../domain/approval-tasks';

const ANSWERED = new Set(['TaskTimedOut', 'TaskDoesNotExist']);

async function tolerateAnswered(send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (err) {
    if (!ANSWERED.has((err as Error).name)) throw err;
    logger.info('task token already answered', { error: (err as Error).name });
  }
}

export function stepFunctionsTaskTokens(client: SFNClient): TaskTokenPort {
  return {
    succeed: (taskToken, output) =>
      tolerateAnswered(() =>
        client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
      ),
    // Step Functions caps the error at 256 characters and the cause at 32,768.
    fail: (taskToken, error, cause) =>
      tolerateAnswered(() =>
        client.send(
          new SendTaskFailureCommand({
            taskToken,
            error: error.slice(0, 256),
            cause: cause.slice(0, 32_768),
          }),
        ),
      ),
  };
}
