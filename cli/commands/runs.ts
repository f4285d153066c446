/**
 * `mlops runs ...`: training runs as tracked through the platform's MLflow REST API, searched with
 * MLflow's filter grammar (`metrics.rmse < 0.8 and params.alpha = '0.5'`).
 * @see https://mlflow.org/docs/latest/search-runs.html
 */
import type { Command } from 'commander';
import { expectOk, type PlatformClient } from '../../client';
import { action } from '../context';

const RUN_COLUMNS = ['runId', 'runName', 'status', 'experimentId', 'startTime', 'metrics'];

interface MlflowRun {
  readonly info: {
    readonly run_id: string;
    readonly run_name: string;
    readonly experiment_id: string;
    readonly status: string;
    readonly start_time: number;
  };
  readonly data: { readonly metrics: readonly { readonly key: string; readonly value: number }[] };
}

export function runCommands(program: Command): void {
  const runs = program.command('runs').description('tracked training runs (MLflow)');
  runs
    .command('search')
    .description('runs of the given experiments (default: Default), filtered and ordered as MLflow does')
    .option('--experiment <names...>', 'experiment names')
    .option('--experiment-id <ids...>', 'experiment ids')
    .option('--filter <expression>', 'MLflow filter, e.g. "metrics.rmse < 0.8"')
    .option('--order-by <clauses...>', 'e.g. "metrics.rmse ASC"')
    .option('--max-results <n>', 'at most this many', Number, 100)
    .action(
      action(async ({ api, out }, opts: SearchOptions) => {
        const ids = [...(opts.experimentId ?? [])];
        const names = opts.experiment ?? (ids.length ? [] : ['Default']);
        for (const name of names) ids.push(await experimentId(api, name));
        const found = await expectOk(
          api.POST('/api/2.0/mlflow/runs/search', {
            body: {
              experiment_ids: ids,
              filter: opts.filter,
              order_by: opts.orderBy ?? [],
              max_results: opts.maxResults,
            },
          }),
        );
        const items = (found.runs ?? []) as MlflowRun[];
        out.result(out.format === 'json' ? found : items.map(row), RUN_COLUMNS);
      }),
    );
  runs
    .command('get <runId>')
    .description('a run with its latest metrics, params and tags')
    .action(
      action(async ({ api, out }, runId: string) => {
        out.result(
          await expectOk(api.GET('/api/2.0/mlflow/runs/get', { params: { query: { run_id: runId } } })),
        );
      }),
    );
}

interface SearchOptions {
  readonly experiment?: string[];
  readonly experimentId?: string[];
  readonly filter?: string;
  readonly orderBy?: string[];
  readonly maxResults: number;
}

async function experimentId(api: PlatformClient, name: string): Promise<string> {
  const found = await expectOk(
    api.GET('/api/2.0/mlflow/experiments/get-by-name', { params: { query: { experiment_name: name } } }),
  );
  return found.experiment.experiment_id;
}

/** A run as a table row: its latest metrics as `name=value`. */
function row(run: MlflowRun) {
  return {
    runId: run.info.run_id,
    runName: run.info.run_name,
    status: run.info.status,
    experimentId: run.info.experiment_id,
    startTime: new Date(run.info.start_time).toISOString(),
    metrics: run.data.metrics.map((m) => `${m.key}=${m.value}`).join(' '),
  };
}
