/**
 * Starting a worker on an evaluation run by an asynchronous Lambda invoke of the evaluation worker
 * (the caller does not wait; Lambda retries a failed asynchronous invocation twice).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { EvaluationLauncher } from '../domain/evaluation-runs';
import type { EvaluationWorkerEvent } from './evaluation-launchers';

export class LambdaEvaluationLauncher implements EvaluationLauncher {
  constructor(private readonly props: { client: LambdaClient; functionName: string }) {}

  async launch(runId: string): Promise<void> {
    const event: EvaluationWorkerEvent = { runId };
    await this.props.client.send(
      new InvokeCommand({
        FunctionName: this.props.functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(event)),
      }),
    );
  }
}
