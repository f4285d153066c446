/**
 * Starting an erasure's run: an asynchronous Lambda invoke of the erasure worker, as training-set
 * jobs are started (the API returns at once; Lambda retries a failed asynchronous invocation
 * twice), or the worker in this process when no worker function is named.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { logger } from '../../shared/logger';
import type { ErasureLauncher } from '../domain/ports';

/** The worker's event: which erasure to run. */
export interface ErasureWorkerEvent {
  readonly erasureId: string;
}

export class LambdaErasureLauncher implements ErasureLauncher {
  constructor(private readonly props: { client: LambdaClient; functionName: string }) {}

  async launch(erasureId: string): Promise<void> {
    const event: ErasureWorkerEvent = { erasureId };
    await this.props.client.send(
      new InvokeCommand({
        FunctionName: this.props.functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(event)),
      }),
    );
  }
}

/** Runs the worker in this process, detached from the request (tests). */
export class InProcessErasureLauncher implements ErasureLauncher {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly worker: (event: ErasureWorkerEvent) => Promise<unknown>) {}

  async launch(erasureId: string): Promise<void> {
    const run = new Promise((resolve) => setImmediate(resolve))
      .then(() => this.worker({ erasureId }))
      .catch((error) => logger.error('erasure worker failed', { erasureId, error: error as Error }));
    this.running.add(run);
    run.finally(() => this.running.delete(run));
  }

  /** Resolves once every launched run has finished. */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
