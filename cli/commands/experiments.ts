/**
 * `mlops experiments ...`: A/B experiments between two versions of a model on its endpoint, from
 * a JSON definition to a concluded winner (promoted through the rollout when it is the treatment).
 */
import type { Command } from 'commander';
import { expectOk } from '../../client';
import type { ExperimentStatus } from '../../contracts/experiments';
import { action } from '../context';
import { writeHtml } from '../html-file';
import { type RequestBody, readJsonFile } from '../json-file';
import { allPages } from '../pages';
import { batches, readRowsFile } from '../tabular-file';

/** Outcomes one call may record (the route's limit). */
const OUTCOMES_PER_CALL = 500;
const METRIC_COLUMNS = [
  'metric',
  'role',
  'arms',
  'effect.relative',
  'effect.relativeInterval',
  'effect.pValue',
  'breached',
];

const LIST_COLUMNS = ['name', 'modelName', 'status', 'primaryMetric.name', 'winner', 'createdAt'];

type Outcome = { unit: string; metric: string; value: number; time: string; eventId: string };

export function experimentCommands(program: Command): void {
  const experiments = program.command('experiments').description('A/B experiments between model versions');
  experiments
    .command('create')
    .description('create an experiment (DRAFT) from a JSON definition; shows the sample size per arm')
    .requiredOption('-f, --file <path>', 'the definition: name, modelName, arms, control, primaryMetric, ...')
    .action(
      action(async ({ api, out }, opts: { file: string }) => {
        const body = readJsonFile<RequestBody<'/experiments', 'post'>>(opts.file);
        out.result(await expectOk(api.POST('/experiments', { body })));
      }),
    );
  experiments
    .command('list')
    .description('experiments by status then name')
    .option('--status <status>', 'DRAFT, RUNNING, STOPPED or CONCLUDED')
    .option('--model <name>', "one model's experiments")
    .action(
      action(async ({ api, out }, opts: { status?: ExperimentStatus; model?: string }) => {
        const items = await allPages((nextToken) =>
          expectOk(
            api.GET('/experiments', {
              params: { query: { status: opts.status, modelName: opts.model, nextToken } },
            }),
          ),
        );
        out.result(items, LIST_COLUMNS);
      }),
    );
  experiments.command('get <name>').action(
    action(async ({ api, out }, name: string) => {
      out.result(await expectOk(api.GET('/experiments/{name}', { params: { path: { name } } })));
    }),
  );
  experiments
    .command('start <name>')
    .description("assign units to arms on the model's endpoint")
    .action(
      action(async ({ api, out }, name: string) => {
        out.result(await expectOk(api.POST('/experiments/{name}/start', { params: { path: { name } } })));
      }),
    );
  experiments
    .command('stop <name>')
    .description('all traffic back to control, the reason recorded')
    .option('--reason <text>', 'why')
    .action(
      action(async ({ api, out }, name: string, opts: { reason?: string }) => {
        out.result(
          await expectOk(
            api.POST('/experiments/{name}/stop', {
              params: { path: { name } },
              body: opts.reason ? { reason: opts.reason } : undefined,
            }),
          ),
        );
      }),
    );
  experiments
    .command('outcomes <name>')
    .description('record outcomes from a file: unit, metric, value, time, eventId columns')
    .requiredOption('-f, --file <path>', '.csv, .jsonl or .json')
    .action(
      action(async ({ api, out }, name: string, opts: { file: string }) => {
        const rows = (await readRowsFile(opts.file)) as unknown as Outcome[];
        const total = { accepted: 0, duplicates: 0 };
        for (const outcomes of batches(rows, OUTCOMES_PER_CALL)) {
          const reply = await expectOk(
            api.POST('/experiments/{name}/outcomes', {
              params: { path: { name } },
              // CSV reads a numeric-looking unit or event id as a number; the route wants text.
              body: {
                outcomes: outcomes.map((o) => ({ ...o, unit: String(o.unit), eventId: String(o.eventId) })),
              },
            }),
          );
          total.accepted += reply.accepted;
          total.duplicates += reply.duplicates;
          out.note(`recorded ${total.accepted + total.duplicates}/${rows.length} outcomes`);
        }
        out.result(total);
      }),
    );
  experiments
    .command('results <name>')
    .description('per arm readings, effects with intervals, p-values, sample ratio check, verdict')
    .action(
      action(async ({ api, out }, name: string) => {
        const results = await expectOk(
          api.GET('/experiments/{name}/results', { params: { path: { name } } }),
        );
        if (out.format === 'json') {
          out.result(results);
          return;
        }
        out.note(
          `${results.name}: ${results.verdict} (${results.status}, ${results.analysis}; units ${JSON.stringify(results.units)}; sample size ${results.sampleSize.reached ? 'reached' : 'not reached'}${results.sampleRatio.mismatch ? '; SAMPLE RATIO MISMATCH' : ''})`,
        );
        out.result(results.metrics, METRIC_COLUMNS);
      }),
    );
  experiments
    .command('report <name>')
    .description("write the results' HTML page to a file and print its path")
    .option('--out <file>', 'where to write it (default: mlops-experiment-<name>.html here)')
    .option('--open', 'open it in the browser (xdg-open or open)')
    .action(
      action(async ({ api, out }, name: string, opts: { out?: string; open?: boolean }) => {
        const html = await expectOk(
          api.GET('/experiments/{name}/report', { params: { path: { name } }, parseAs: 'text' }),
        );
        const path = writeHtml(out, html as string, opts.out ?? `mlops-experiment-${name}.html`, !!opts.open);
        out.result(out.format === 'json' ? { name, path } : path);
      }),
    );
  experiments
    .command('conclude <name>')
    .description('conclude with a winner: a treatment winner is rolled out, control keeps the champion')
    .requiredOption('--winner <arm>', 'the winning arm')
    .option('--reason <text>', 'why')
    .action(
      action(async ({ api, out }, name: string, opts: { winner: string; reason?: string }) => {
        out.result(
          await expectOk(
            api.POST('/experiments/{name}/conclude', {
              params: { path: { name } },
              body: { winner: opts.winner, reason: opts.reason },
            }),
          ),
        );
      }),
    );
}
