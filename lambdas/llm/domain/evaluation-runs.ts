/**
 * Background evaluation runs, for datasets larger than one call answers: the request is checked
 * whole (every row, every judge) and recorded RUNNING, then a worker scores the rows in order,
 * storing each row's result as it goes and the progress every page. A worker stops a row short of
 * its own deadline and starts the next one, so no run depends on one function's timeout; a row
 * already stored is never scored again, so a retried or restarted worker spends nothing twice.
 */
import { randomUUID } from 'node:crypto';
import {
  type EvaluationRowResult,
  type EvaluationRun,
  MAX_EVALUATION_RUN_ROWS,
  type StartEvaluationRunRequest,
} from '../../../contracts/llm-evaluation';
import type { Page } from '../../../contracts/pages';
import { NotFoundError, PlatformError } from '../../shared/errors';
import {
  aggregateRows,
  type EvaluationDeps,
  type EvaluationPlan,
  evaluateRow,
  evaluationTags,
  planEvaluation,
  readDataset,
} from './evaluation';
import type { Actor } from './ports';
import { getPromptVersion } from './prompts';

/** Rows scored between two progress writes. */
export const EVALUATION_PAGE_ROWS = 25;

/** Runs, their lease (one worker at a time) and their rows' results. */
export interface EvaluationRunStore {
  /** Records a new run. */
  create(run: EvaluationRun): Promise<void>;
  get(runId: string): Promise<EvaluationRun | undefined>;
  /**
   * Takes the run for `owner` until `untilMs`, if it is RUNNING and no other worker holds it
   * (a lease past its time is free). `false` when it cannot be taken.
   */
  claim(runId: string, owner: string, untilMs: number, nowMs: number): Promise<boolean>;
  /** Gives up `owner`'s lease and records the rows scored so far. */
  release(runId: string, owner: string, scoredRows: number, updatedAt: string): Promise<void>;
  /** Records the rows scored so far, while `owner` holds the lease. */
  progress(runId: string, owner: string, scoredRows: number, updatedAt: string): Promise<void>;
  /** A row's result once stored. */
  hasRow(runId: string, index: number): Promise<boolean>;
  /** Stores a row's result; one already stored is kept. */
  putRow(runId: string, row: EvaluationRowResult): Promise<void>;
  /** Rows from `index` on, in order, at most `limit`. */
  rows(runId: string, from: number, limit: number): Promise<EvaluationRowResult[]>;
  /** Ends a RUNNING run; `false` when it had already ended. */
  finish(
    runId: string,
    end: Pick<EvaluationRun, 'status' | 'aggregate' | 'failures' | 'costMicroUsd' | 'error' | 'updatedAt'> & {
      scoredRows: number;
    },
  ): Promise<boolean>;
}

/** Starts a worker on a run (an asynchronous invoke on AWS). */
export interface EvaluationLauncher {
  launch(runId: string): Promise<void>;
}

export type EvaluationRunDeps = EvaluationDeps & {
  readonly runs: EvaluationRunStore;
  readonly launcher: EvaluationLauncher;
};

class EvaluationRunNotFoundError extends NotFoundError {
  constructor(runId: string) {
    super('EVALUATION_RUN_NOT_FOUND', `evaluation run ${runId} does not exist`);
    this.name = 'EvaluationRunNotFoundError';
  }
}

/** Checks the whole request as a small run does (400/404 before any model call), records it, starts it. */
export async function startEvaluationRun(
  deps: EvaluationRunDeps,
  actor: Actor,
  req: StartEvaluationRunRequest,
): Promise<EvaluationRun> {
  const { rows, dataset } = await readDataset(deps, req.dataset.key, MAX_EVALUATION_RUN_ROWS);
  const plan = await planEvaluation(deps, req, rows);
  const at = deps.now().toISOString();
  const run: EvaluationRun = {
    runId: randomUUID(),
    status: 'RUNNING',
    prompt: { name: plan.version.name, version: plan.version.version },
    endpoint: plan.endpoint,
    dataset,
    scorers: plan.scorers,
    totalRows: rows.length,
    scoredRows: 0,
    createdAt: at,
    createdBy: actor.principal,
    updatedAt: at,
  };
  await deps.runs.create(run);
  try {
    await deps.launcher.launch(run.runId);
  } catch (error) {
    await deps.runs.finish(run.runId, {
      status: 'FAILED',
      error: 'the run could not be started; start it again',
      scoredRows: 0,
      updatedAt: deps.now().toISOString(),
    });
    throw error;
  }
  return run;
}

export async function getEvaluationRun(deps: { readonly runs: EvaluationRunStore }, runId: string) {
  const run = await deps.runs.get(runId);
  if (!run) throw new EvaluationRunNotFoundError(runId);
  return run;
}

/** A page of the run's stored rows, by index; `nextToken` while more are stored. */
export async function listEvaluationRows(
  deps: { readonly runs: EvaluationRunStore },
  runId: string,
  limit: number,
  nextToken?: string,
): Promise<Page<EvaluationRowResult>> {
  await getEvaluationRun(deps, runId);
  const from = nextToken === undefined ? 0 : Number(nextToken);
  const rows = await deps.runs.rows(runId, from, limit + 1);
  const items = rows.slice(0, limit);
  return rows.length > limit ? { items, nextToken: String(items[items.length - 1].index + 1) } : { items };
}

/** What the worker knows of its own invocation. */
export interface WorkerBudget {
  /** Identifies this invocation as the lease's owner. */
  readonly owner: string;
  readonly remainingMs: () => number;
  /**
   * Time kept back per model call of a row (its answer, each judge), the hand-over included: no
   * row starts with less than this times its calls left.
   */
  readonly reserveMs: number;
}

/**
 * Scores the run's next rows until it is done or this invocation's time runs short, then hands
 * over to a new worker. A run whose dataset changed, or whose row a rule refused once filled,
 * ends FAILED with why; other failures are thrown for the invoke to be retried.
 */
export async function workEvaluationRun(
  deps: EvaluationRunDeps,
  runId: string,
  budget: WorkerBudget,
): Promise<void> {
  const run = await deps.runs.get(runId);
  if (run?.status !== 'RUNNING') return;
  const now = deps.now().getTime();
  // The lease lasts as long as this invocation can: once past it, the worker is gone for sure.
  if (!(await deps.runs.claim(runId, budget.owner, now + budget.remainingMs(), now))) return;
  const actor: Actor = { principal: run.createdBy };
  let scored = run.scoredRows;
  const fail = async (error: string) =>
    void (await deps.runs.finish(runId, {
      status: 'FAILED',
      error,
      scoredRows: scored,
      updatedAt: deps.now().toISOString(),
    }));
  let rows: Awaited<ReturnType<typeof readDataset>>['rows'];
  let plan: EvaluationPlan;
  try {
    const read = await readDataset(deps, run.dataset.key, MAX_EVALUATION_RUN_ROWS);
    if (read.dataset.sha256 !== run.dataset.sha256) {
      return await fail(
        `dataset ${run.dataset.key} changed since the run started (sha256 ${read.dataset.sha256})`,
      );
    }
    rows = read.rows;
    plan = {
      version: await getPromptVersion(deps, run.prompt.name, run.prompt.version),
      endpoint: run.endpoint,
      scorers: run.scorers,
    };
  } catch (error) {
    if (error instanceof PlatformError && error.status < 500) return await fail(error.message);
    throw error;
  }
  // A row makes one call for its answer and one per judge, each as long as the invoke allows.
  const reserveMs = budget.reserveMs * (1 + plan.scorers.filter((s) => s.type === 'llm_judge').length);
  while (scored < rows.length) {
    if (budget.remainingMs() < reserveMs) {
      await deps.runs.release(runId, budget.owner, scored, deps.now().toISOString());
      await deps.launcher.launch(runId);
      return;
    }
    if (!(await deps.runs.hasRow(runId, scored))) {
      try {
        await deps.runs.putRow(runId, await evaluateRow(deps, plan, actor, rows[scored], scored));
      } catch (error) {
        if (error instanceof PlatformError && error.status < 500) {
          return await fail(`row ${scored}: ${error.message}`);
        }
        await deps.runs.release(runId, budget.owner, scored, deps.now().toISOString());
        throw error;
      }
    }
    scored++;
    if (scored % EVALUATION_PAGE_ROWS === 0) {
      await deps.runs.progress(runId, budget.owner, scored, deps.now().toISOString());
    }
  }
  const results: EvaluationRowResult[] = [];
  while (results.length < rows.length) {
    const page = await deps.runs.rows(runId, results.length, 100);
    if (page.length === 0) break;
    results.push(...page);
  }
  const totals = aggregateRows(results, plan.scorers);
  await deps.registry.tagVersion(
    plan.version.name,
    plan.version.version,
    evaluationTags(totals.aggregate, plan.scorers, run.dataset),
    actor,
  );
  await deps.runs.finish(runId, {
    status: 'SUCCEEDED',
    ...totals,
    scoredRows: scored,
    updatedAt: deps.now().toISOString(),
  });
}
