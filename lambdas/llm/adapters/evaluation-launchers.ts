/**
 * Starting a worker on an evaluation run in this process, when no worker function is named (tests),
 * and the worker's event. The asynchronous Lambda invoke is `lambda-evaluation-launcher.ts`, apart
 * so that its SDK client is imported only with it.
 */
import { logger } from '../../shared/logger';
import type { EvaluationLauncher } from '../domain/evaluation-runs';

/** The worker's event: which run to go on with. */
export interface EvaluationWorkerEvent {
  readonly runId: string;
}

/** Runs the worker in this process, detached from the request. */
export class InProcessEvaluationLauncher implements EvaluationLauncher {
  private readonly running = new Set<Promise<unknown>>();
  private worker?: (event: EvaluationWorkerEvent) => Promise<unknown>;

  /** The worker is given after construction: it is built over the deps this launcher is part of. */
  use(worker: (event: EvaluationWorkerEvent) => Promise<unknown>): this {
    this.worker = worker;
    return this;
  }

  async launch(runId: string): Promise<void> {
    const worker = this.worker;
    if (!worker) throw new Error('no evaluation worker to launch');
    const run = new Promise((resolve) => setImmediate(resolve))
      .then(() => worker({ runId }))
      .catch((error) => logger.error('evaluation worker failed', { runId, error: error as Error }));
    this.running.add(run);
    run.finally(() => this.running.delete(run));
  }

  /** Resolves once every launched run has finished. */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
