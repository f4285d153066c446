/**
 * Starts and reads rollout executions on Step Functions. The execution is named after the
 * deployment id, so a retried start of the same rollout is refused by Step Functions instead of
 * running twice.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
import { DescribeExecutionCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { ExecutionPort, ExecutionSummary } from '../domain/api';

export class StepFunctionsExecutions implements ExecutionPort {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /** @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html */
  arnOf(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  async start(name: string, input: unknown): Promise<string> {
    const out = await this.client.send(
      new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name,
        input: JSON.stringify(input),
      }),
    );
    return out.executionArn!;
  }

  async describe(executionArn: string): Promise<ExecutionSummary | undefined> {
    try {
      const out = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return {
        status: out.status ?? 'RUNNING',
        startDate: out.startDate?.toISOString(),
        ...(out.stopDate ? { stopDate: out.stopDate.toISOString() } : {}),
        ...(out.error ? { error: out.error } : {}),
        ...(out.cause ? { cause: out.cause } : {}),
      };
    } catch (err) {
      if ((err as Error).name === 'ExecutionDoesNotExist') return undefined;
      throw err;
    }
  }
}
