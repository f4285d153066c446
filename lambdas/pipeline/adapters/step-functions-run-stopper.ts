/**
 * Stops a run's execution with Step Functions, reading its status first: StopExecution of an
 * execution that has ended is no error on AWS, so only DescribeExecution tells a stop from a run
 * that already finished.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html
 */
import { DescribeExecutionCommand, type SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { NotFoundError } from '../../shared/errors';
import type { RunStopper } from '../domain/stop-run';

export function stepFunctionsRunStopper(client: SFNClient): RunStopper {
  return {
    async stop(executionArn, error, cause) {
      const found = await client.send(new DescribeExecutionCommand({ executionArn })).catch((err: Error) => {
        if (err.name !== 'ExecutionDoesNotExist') throw err;
        throw new NotFoundError('RUN_NOT_FOUND', `the run's execution ${executionArn} does not exist`, {
          cause: err,
        });
      });
      if (found.status === 'SUCCEEDED') return 'SUCCEEDED';
      if (found.status !== 'RUNNING') return 'ALREADY_STOPPED';
      await client.send(new StopExecutionCommand({ executionArn, error, cause }));
      return 'STOPPED';
    },
  };
}
