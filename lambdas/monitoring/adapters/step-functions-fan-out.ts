/**
 * `FanOut` on Step Functions StartExecution of the monitoring state machine (the Distributed Map).
 * The execution name is the run id, so a retried start cannot run the same window twice.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { FanOut, FanOutInput } from '../domain/ports';

export class StepFunctionsFanOut implements FanOut {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(input: FanOutInput): Promise<{ executionArn: string }> {
    const out = await this.client.send(
      new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: input.runId,
        input: JSON.stringify(input),
      }),
    );
    return { executionArn: out.executionArn! };
  }
}
