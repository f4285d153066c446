/**
 * Starting a training-set job's worker: an asynchronous Lambda invoke on AWS (the API call returns
 * at once; Lambda retries a failed async invocation twice), or the worker function in this
 * process locally, after the response is sent.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { logger } from '../../shared/logger';
import type { TrainingSetLauncher } from '../domain/ports';

/** The worker's event: which job to run. */
export interface TrainingSetWorkerEvent {
  readonly jobId: string;
}

export class LambdaTrainingSetLauncher implements TrainingSetLauncher {
  constructor(private readonly props: { client: LambdaClient; functionName: string }) {}

  async launch(jobId: string): Promise<void> {
    const event: TrainingSetWorkerEvent = { jobId };
    await this.props.client.send(
      new InvokeCommand({
        FunctionName: this.props.functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(event)),
      }),
    );
  }
}

/** Runs the worker in this process, detached from the request (local mode and tests). */
export class InProcessTrainingSetLauncher implements TrainingSetLauncher {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly worker: (event: TrainingSetWorkerEvent) => Promise<unknown>) {}

  async launch(jobId: string): Promise<void> {
    const run = new Promise((resolve) => setImmediate(resolve))
      .then(() => this.worker({ jobId }))
      .catch((error) => logger.error('training set worker failed', { jobId, error: error as Error }));
    this.running.add(run);
    run.finally(() => this.running.delete(run));
  }

  /** Resolves once every launched job has finished (tests, and a clean local shutdown). */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
