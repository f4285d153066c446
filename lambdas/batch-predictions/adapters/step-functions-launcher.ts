/**
 * Starts a job's run on the batch state machine, named `<jobId>-<attempt>`: a retried start (the
 * same Idempotency-Key after a crash) finds the same execution instead of running twice, and a
 * cancel stops exactly the attempt it cancelled.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
import { type SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { BatchJobInput } from '../../../contracts/batch-predictions';
import type { JobLauncher } from '../domain/ports';

export const executionName = (jobId: string, attempt: number) => `${jobId}-${attempt}`;

export class StepFunctionsJobLauncher implements JobLauncher {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(input: BatchJobInput): Promise<void> {
    await this.client.send(
      new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: executionName(input.jobId, input.attempt),
        input: JSON.stringify({ job: input }),
      }),
    );
  }

  async stop(jobId: string, attempt: number): Promise<void> {
    const executionArn = `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName(jobId, attempt)}`;
    try {
      await this.client.send(
        new StopExecutionCommand({
          executionArn,
          error: 'BatchPredictionCancelled',
          cause: 'cancelled by its caller',
        }),
      );
    } catch (err) {
      // A job cancelled before its run started has no execution to stop.
      if ((err as Error).name !== 'ExecutionDoesNotExist') throw err;
    }
  }
}
