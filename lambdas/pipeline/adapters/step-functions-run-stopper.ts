/**
 * Stops a run's execution with Step Functions, reading its status before and after: StopExecution
 * of an execution that has ended is no error on AWS, so only DescribeExecution tells a stop from a
 * run that already finished, and from one that finished between the first read and the stop.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html
 */
import { DescribeExecutionCommand, type SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { NotFoundError } from '../../shared/errors';
import type { RunStopper, StopResult } from '../domain/stop-run';

export function stepFunctionsRunStopper(client: SFNClient): RunStopper {
  const statusOf = async (executionArn: string) => {
    const found = await client.send(new DescribeExecutionCommand({ executionArn })).catch((err: Error) => {
      if (err.name !== 'ExecutionDoesNotExist') throw err;
      throw new NotFoundError('RUN_NOT_FOUND', `the run's execution ${executionArn} does not exist`, {
        cause: err,
      });
    });
    return found.status;
  };
  /** What an execution that is no longer running ended as, for the stop route. */
  const ended = (status: string | undefined): StopResult =>
    status === 'SUCCEEDED' ? 'SUCCEEDED' : 'ALREADY_STOPPED';
  return {
    async stop(executionArn, error, cause) {
      const before = await statusOf(executionArn);
      if (before !== 'RUNNING') return ended(before);
      await client.send(new StopExecutionCommand({ executionArn, error, cause }));
      // Stopped by this call reads ABORTED; an end that won the race reads as that end.
      const after = await statusOf(executionArn);
      return after === 'ABORTED' ? 'STOPPED' : ended(after);
    },
  };
}
