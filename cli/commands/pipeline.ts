/**
 * `mlops pipeline ...`: a model's retraining runs (validate, train, evaluate, register, canary).
 * A run started here has reason `manual`; `--watch` follows it to its outcome and exits 4 unless
 * it succeeded. `stop` stops a running run; one that ended otherwise is refused (409
 * `RETRAINING_RUN_FINISHED`, exit 1).
 */
import type { Command } from 'commander';
import { expectOk, PlatformApiError, type PlatformClient } from '../../client';
import { action, CliFailure } from '../context';
import { EXIT } from '../exit-codes';
import { type WatchOptions, watchOptions, watchUntil } from '../watch';

const RUN_COLUMNS = [
  'runId',
  'status',
  'phase',
  'outcome',
  'trigger.reason',
  'registeredVersion',
  'startedAt',
];

export function pipelineCommands(program: Command): void {
  const pipeline = program.command('pipeline').description("a model's retraining runs");
  watchOptions(
    pipeline
      .command('run <model>')
      .description('start a retraining run now')
      .option('--note <text>', 'why, for the audit trail'),
    'the run',
  ).action(
    action(async ({ api, out }, model: string, opts: WatchOptions & { note?: string }) => {
      const started = await expectOk(
        api.POST('/models/{name}/retraining-runs', {
          params: { path: { name: model } },
          body: { note: opts.note ?? '' },
        }),
      );
      if (!opts.watch) {
        out.result(started);
        return;
      }
      const run = await watchUntil(
        out,
        () => readStartedRun(api, model, started.runId),
        (r) => `${r.status} ${r.phase}${r.outcome ? ` ${r.outcome}` : ''}${r.reason ? `: ${r.reason}` : ''}`,
        (r) => r.status !== 'RUNNING',
        opts.interval * 1000,
      );
      out.result(run);
      if (run.status !== 'SUCCEEDED')
        throw new CliFailure(
          `run ${run.runId} ${run.status}${run.reason ? `: ${run.reason}` : ''}`,
          EXIT.OPERATION_FAILED,
        );
    }),
  );
  pipeline
    .command('list <model>')
    .description("a model's runs, newest first")
    .action(
      action(async ({ api, out }, model: string) => {
        const page = await expectOk(
          api.GET('/models/{name}/retraining-runs', { params: { path: { name: model }, query: {} } }),
        );
        out.result(page.items, RUN_COLUMNS);
      }),
    );
  pipeline
    .command('stop <model> <runId>')
    .description("stop a running run's execution; the run then ends Stopped (stopping it again is no error)")
    .action(
      action(async ({ api, out }, model: string, runId: string) => {
        out.result(
          await expectOk(
            api.POST('/models/{name}/retraining-runs/{runId}/stop', {
              params: { path: { name: model, runId } },
            }),
          ),
        );
      }),
    );
  pipeline
    .command('get <model> <runId>')
    .description('a run: phase, outcome and reason, metrics, registered version')
    .action(
      action(async ({ api, out }, model: string, runId: string) => {
        out.result(await readRun(api, model, runId));
      }),
    );
}

function readRun(api: PlatformClient, model: string, runId: string) {
  return expectOk(
    api.GET('/models/{name}/retraining-runs/{runId}', { params: { path: { name: model, runId } } }),
  );
}

/** How long after its 202 a run may still be unread: its record is written by its execution's first step. */
const RUN_RECORD_WAIT_MS = 30_000;

/**
 * A run just started: its execution writes the record a moment after the 202, so a read before
 * then is a 404 `RUN_NOT_FOUND`, read again shortly rather than reported.
 */
async function readStartedRun(api: PlatformClient, model: string, runId: string) {
  const deadline = Date.now() + RUN_RECORD_WAIT_MS;
  for (;;) {
    try {
      return await readRun(api, model, runId);
    } catch (err) {
      if (!(err instanceof PlatformApiError && err.code === 'RUN_NOT_FOUND') || Date.now() > deadline)
        throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
