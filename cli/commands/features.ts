/**
 * `mlops features ...`: the feature store as `feast` users know it. `apply` shows a plan and asks
 * before changing anything, `push` sends a CSV or Parquet file in batches with progress, `get`
 * reads online values in Feast's shape.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { expectOk, PlatformApiError, type PlatformClient } from '../../client';
import { MAX_PUSH_ROWS } from '../../contracts/feature-names';
import type { FeatureView } from '../../contracts/features';
import { confirm } from '../confirm';
import { action, CliFailure } from '../context';
import { EXIT } from '../exit-codes';
import { planFeatureViews, readDefinitions, renderPlan } from '../feature-plan';
import { allPages } from '../pages';
import { batches, readRowsFile } from '../tabular-file';
import { parseKeyValueList } from './parse';

const VIEW_COLUMNS = ['name', 'version', 'source.type', 'ttlSeconds', 'expectedIntervalSeconds', 'updatedAt'];
const FRESHNESS_COLUMNS = [
  'featureView',
  'kind',
  'status',
  'ageSeconds',
  'maxAgeSeconds',
  'newestEventAt',
  'watermark',
];

export function featureCommands(program: Command): void {
  const features = program.command('features').description('feature views, pushes and online reads');
  features
    .command('list')
    .description('list feature views')
    .action(
      action(async ({ api, out }) => {
        out.result(await listViews(api), VIEW_COLUMNS);
      }),
    );
  features
    .command('describe <view>')
    .description("a feature view's definition")
    .action(
      action(async ({ api, out }, name: string) => {
        out.result(await readView(api, name));
      }),
    );
  features
    .command('freshness [views...]')
    .description("how old each view's freshest online data is, against its max age (default: every view)")
    .action(
      action(async ({ api, out }, given: string[]) => {
        const names = given.length ? given : (await listViews(api)).map((v) => v.name);
        const rows = [];
        for (const name of names)
          rows.push(
            await expectOk(api.GET('/feature-views/{name}/freshness', { params: { path: { name } } })),
          );
        out.result(rows, FRESHNESS_COLUMNS);
      }),
    );
  features
    .command('apply <file>')
    .description('create or evolve the feature views a JSON or YAML file defines, after showing the plan')
    .option('-y, --yes', 'apply without asking')
    .option('--dry-run', 'show the plan and change nothing')
    .action(
      action(async ({ api, out }, file: string, opts: { yes?: boolean; dryRun?: boolean }) => {
        const definitions = readDefinitions(readFileSync(file, 'utf8'), file);
        const stored = new Map<string, FeatureView>();
        for (const { name } of definitions) {
          const view = await readView(api, name, true);
          if (view) stored.set(name, view);
        }
        const plan = planFeatureViews(definitions, stored);
        out.note(renderPlan(plan));
        const summary = plan.map(({ name, action: planned, currentVersion, changes }) => ({
          name,
          action: planned,
          currentVersion,
          changes,
        }));
        const refused = plan.filter((e) => e.action === 'incompatible');
        if (refused.length) {
          out.result(summary, ['name', 'action', 'currentVersion']);
          throw new CliFailure(
            `${refused.map((e) => e.name).join(', ')}: incompatible change, nothing applied`,
            EXIT.REFUSED,
          );
        }
        const todo = plan.filter((e) => e.action === 'create' || e.action === 'evolve');
        if (opts.dryRun || todo.length === 0 || !(await confirm('Apply this plan?', opts.yes))) {
          if (!opts.dryRun && todo.length) out.note('nothing applied');
          out.result(summary, ['name', 'action', 'currentVersion']);
          return;
        }
        const applied = [];
        for (const entry of plan) {
          if (entry.action === 'unchanged') {
            applied.push({ name: entry.name, action: entry.action, version: entry.currentVersion });
            continue;
          }
          const { name, ...definition } = entry.definition;
          const view =
            entry.action === 'create'
              ? await expectOk(api.POST('/feature-views', { body: entry.definition }))
              : await expectOk(
                  api.PUT('/feature-views/{name}', {
                    params: { path: { name } },
                    body: { ...definition, expectedVersion: entry.currentVersion },
                  }),
                );
          out.note(`${entry.action === 'create' ? 'created' : 'evolved'} ${name} (v${view.version})`);
          applied.push({ name, action: entry.action, version: view.version });
        }
        out.result(applied, ['name', 'action', 'version']);
      }),
    );
  features
    .command('push <view>')
    .description(`write a file's rows online and offline, in batches of ${MAX_PUSH_ROWS}`)
    .requiredOption('-f, --file <path>', 'rows: .csv (header row), .parquet, .jsonl or .json')
    .action(
      action(async ({ api, out }, name: string, opts: { file: string }) => {
        const rows = await readRowsFile(opts.file, await readView(api, name));
        if (rows.length === 0) throw new CliFailure(`${opts.file} holds no rows`, EXIT.USAGE);
        const total = { featureView: name, rows: 0, offlineFiles: 0, onlineWritten: 0, onlineSkipped: 0 };
        for (const batch of batches(rows, MAX_PUSH_ROWS)) {
          try {
            const pushed = await expectOk(api.POST('/push', { body: { featureView: name, rows: batch } }));
            total.rows += pushed.rows;
            total.offlineFiles += pushed.offlineFiles;
            total.onlineWritten += pushed.onlineWritten;
            total.onlineSkipped += pushed.onlineSkipped;
          } catch (err) {
            throw err instanceof PlatformApiError ? inFile(err, total.rows, rows.length) : err;
          }
          out.note(
            `pushed ${total.rows}/${rows.length} rows (${Math.floor((total.rows / rows.length) * 100)}%)`,
          );
        }
        out.result(total);
      }),
    );
  features
    .command('get <refs...>')
    .description('online values of view:feature references for entity keys, e.g. -e driver_id=1001,1002')
    .requiredOption('-e, --entity <key=values...>', 'join key and its values (repeatable, comma-separated)')
    .option('--full-feature-names', 'name columns view__feature')
    .action(
      action(async ({ api, out }, refs: string[], opts: { entity: string[]; fullFeatureNames?: boolean }) => {
        const keyTypes = new Map<string, string>();
        for (const view of new Set(refs.map((r) => r.split(':')[0]))) {
          for (const e of (await readView(api, view)).entities) keyTypes.set(e.name, e.valueType);
        }
        const entities = Object.fromEntries(
          Object.entries(parseKeyValueList(opts.entity, '--entity')).map(([key, values]) => [
            key,
            values.map((v) => (keyTypes.get(key) === 'int64' && /^-?\d+$/.test(v) ? Number(v) : v)),
          ]),
        );
        const answer = await expectOk(
          api.POST('/get-online-features', {
            body: { features: refs, entities, full_feature_names: opts.fullFeatureNames ?? false },
          }),
        );
        if (out.format === 'json') {
          out.result(answer);
          return;
        }
        // Feast answers column by column; a table reads better row by row, a status beside a value.
        const names = answer.metadata.feature_names;
        const count = answer.results[0]?.values.length ?? 0;
        const rows = Array.from({ length: count }, (_, j) =>
          Object.fromEntries(
            names.map((n, c) => {
              const { values, statuses } = answer.results[c];
              const status = statuses[j] === 'PRESENT' ? '' : ` (${statuses[j]})`;
              return [n, `${values[j] ?? ''}${status}`];
            }),
          ),
        );
        out.result(rows, names);
      }),
    );
}

function listViews(api: PlatformClient) {
  return allPages((nextToken) => expectOk(api.GET('/feature-views', { params: { query: { nextToken } } })));
}

function readView(api: PlatformClient, name: string): Promise<FeatureView>;
function readView(api: PlatformClient, name: string, orNone: true): Promise<FeatureView | undefined>;
/** A stored view; with `orNone`, undefined when there is none of that name. */
async function readView(api: PlatformClient, name: string, orNone = false): Promise<FeatureView | undefined> {
  try {
    return (await expectOk(api.GET('/feature-views/{name}', { params: { path: { name } } }))) as FeatureView;
  } catch (err) {
    if (orNone && err instanceof PlatformApiError && err.code === 'FEATURE_VIEW_NOT_FOUND') return undefined;
    throw err;
  }
}

/**
 * A refused batch's error, its row numbers counted in the file rather than in the batch, saying
 * what the batches before it wrote (they stay written; this one and those after it do not).
 */
function inFile(err: PlatformApiError, offset: number, rowCount: number): PlatformApiError {
  const details = err.details as { badRows?: number[]; problems?: { row?: number }[] } | undefined;
  const problems = details?.problems?.map((p) => (p.row === undefined ? p : { ...p, row: p.row + offset }));
  const badRows = details?.badRows?.map((row) => row + offset);
  return new PlatformApiError(
    err.status,
    err.code,
    `${err.message} (${offset} of ${rowCount} rows pushed before this batch)`,
    problems ? { ...details, badRows, problems } : err.details,
  );
}
