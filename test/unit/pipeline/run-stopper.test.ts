/**
 * The stop route's Step Functions adapter tells a stop from a run that ended, also when the run
 * ends between its first read and the StopExecution (which AWS answers without an error then).
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { stepFunctionsRunStopper } from '../../../lambdas/pipeline/adapters/step-functions-run-stopper';

const ARN = 'arn:aws:states:us-east-1:000000000000:execution:Retraining:run-1';

/** An execution whose status reads `statuses` in turn, one per DescribeExecution. */
function execution(...statuses: string[]) {
  const stops: unknown[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: unknown }) {
      if (command.constructor.name === 'StopExecutionCommand') {
        stops.push(command.input);
        return { stopDate: new Date() };
      }
      return { status: statuses.shift() };
    },
  } as unknown as SFNClient;
  return { stopper: stepFunctionsRunStopper(client), stops };
}

describe('stepFunctionsRunStopper', () => {
  it('stops a running execution: STOPPED once it reads ABORTED', async () => {
    const { stopper, stops } = execution('RUNNING', 'ABORTED');
    await expect(stopper.stop(ARN, 'RetrainingStopped', 'stopped by me')).resolves.toBe('STOPPED');
    expect(stops).toEqual([{ executionArn: ARN, error: 'RetrainingStopped', cause: 'stopped by me' }]);
  });

  it('answers SUCCEEDED when the run finished before the stop landed, so the route refuses it', async () => {
    const { stopper, stops } = execution('RUNNING', 'SUCCEEDED');
    await expect(stopper.stop(ARN, 'RetrainingStopped', 'stopped by me')).resolves.toBe('SUCCEEDED');
    expect(stops).toHaveLength(1);
  });

  it('answers ALREADY_STOPPED when the run failed before the stop landed', async () => {
    const { stopper } = execution('RUNNING', 'FAILED');
    await expect(stopper.stop(ARN, 'RetrainingStopped', 'stopped by me')).resolves.toBe('ALREADY_STOPPED');
  });

  it('does not call StopExecution on an execution that has ended', async () => {
    for (const [status, result] of [
      ['SUCCEEDED', 'SUCCEEDED'],
      ['ABORTED', 'ALREADY_STOPPED'],
      ['TIMED_OUT', 'ALREADY_STOPPED'],
    ] as const) {
      const { stopper, stops } = execution(status);
      await expect(stopper.stop(ARN, 'RetrainingStopped', 'x')).resolves.toBe(result);
      expect(stops).toHaveLength(0);
    }
  });
});
