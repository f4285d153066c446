/**
 * `mlops batch ...`: batch prediction jobs, scoring every row of an S3 input with a model version.
 * `--watch` follows a job to its end and exits 4 unless it succeeded.
 */
import { type Command, Option } from 'commander';
import { expectOk, type PlatformClient } from '../../client';
import { action, CliFailure } from '../context';
import { EXIT } from '../exit-codes';
import type { Output } from '../output';
import { allPages } from '../pages';
import { type WatchOptions, watchOptions, watchUntil } from '../watch';
import { parseVersion } from './parse';

const JOB_COLUMNS = ['jobId', 'version', 'engine', 'status', 'progress', 'counts', 'createdAt'];
const ENDED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export function batchCommands(program: Command): void {
  const batch = program.command('batch').description('batch prediction jobs');
  watchOptions(
    batch
      .command('submit <model>')
      .description('score an S3 input (a file or a prefix) with a version; 202 with the job')
      .option(
        '--model-version <version>',
        'the version (default: the alias, else the champion)',
        parseVersion,
      )
      .option('--alias <alias>', 'the alias naming the version')
      .option('--input <s3uri>', 'an object, or a prefix ending in / of objects in one format')
      .addOption(new Option('--format <format>', 'the input format').choices(['csv', 'jsonl', 'parquet']))
      .option('--feature-view <view>', "score entity rows enriched from this view's offline store")
      .option('--entities <s3uri>', 'with --feature-view: a CSV of entity rows')
      .option('--as-of <time>', 'with --feature-view: join as of this ISO 8601 time (default: now)')
      .requiredOption('--key-column <column>', 'the column that identifies a row')
      .requiredOption('--output-uri <s3uri>', 'the prefix the job writes under')
      .addOption(new Option('--output-format <format>', 'the output format').choices(['jsonl', 'csv']))
      .addOption(
        new Option('--engine <engine>', 'Distributed Map or Batch Transform').choices(['map', 'transform']),
      )
      .option('--tolerated-failure-percent <percent>', 'fail past this share of refused rows', Number),
    'the job',
  ).action(
    action(async ({ api, out }, model: string, opts: SubmitOptions) => {
      const input = opts.featureView
        ? {
            featureView: opts.featureView,
            entities: required(opts.entities, '--entities'),
            ...(opts.asOf ? { asOf: opts.asOf } : {}),
          }
        : { uri: required(opts.input, '--input'), format: required(opts.format, '--format') };
      const job = await expectOk(
        api.POST('/batch-predictions', {
          body: {
            model,
            version: opts.modelVersion,
            alias: opts.alias,
            input,
            keyColumn: opts.keyColumn,
            output: { uri: opts.outputUri, format: opts.outputFormat },
            engine: opts.engine,
            toleratedFailurePercent: opts.toleratedFailurePercent,
          },
        }),
      );
      await follow(api, out, job.jobId, opts, job);
    }),
  );
  watchOptions(
    batch.command('get <jobId>').description('a job: status, counts, progress, output'),
    'the job',
  ).action(
    action(async ({ api, out }, jobId: string, opts: WatchOptions) => {
      await follow(api, out, jobId, opts);
    }),
  );
  batch
    .command('list <model>')
    .description("a model's jobs, newest first")
    .action(
      action(async ({ api, out }, model: string) => {
        const jobs = await allPages((nextToken) =>
          expectOk(
            api.GET('/models/{name}/batch-predictions', {
              params: { path: { name: model }, query: { nextToken } },
            }),
          ),
        );
        out.result(jobs, JOB_COLUMNS);
      }),
    );
  batch
    .command('cancel <jobId>')
    .description('stop a submitted or running job; what it wrote stays')
    .action(
      action(async ({ api, out }, jobId: string) => {
        out.result(
          await expectOk(api.POST('/batch-predictions/{jobId}/cancel', { params: { path: { jobId } } })),
        );
      }),
    );
  batch
    .command('resume <jobId>')
    .description('run a failed or cancelled job again: only batches without output run')
    .action(
      action(async ({ api, out }, jobId: string) => {
        out.result(
          await expectOk(api.POST('/batch-predictions/{jobId}/resume', { params: { path: { jobId } } })),
        );
      }),
    );
}

interface SubmitOptions extends WatchOptions {
  readonly modelVersion?: number;
  readonly alias?: string;
  readonly input?: string;
  readonly format?: 'csv' | 'jsonl' | 'parquet';
  readonly featureView?: string;
  readonly entities?: string;
  readonly asOf?: string;
  readonly keyColumn: string;
  readonly outputUri: string;
  readonly outputFormat?: 'jsonl' | 'csv';
  readonly engine?: 'map' | 'transform';
  readonly toleratedFailurePercent?: number;
}

function required<T>(value: T | undefined, option: string): T {
  if (value === undefined) throw new CliFailure(`${option} is required here`, EXIT.USAGE);
  return value;
}

function readJob(api: PlatformClient, jobId: string) {
  return expectOk(api.GET('/batch-predictions/{jobId}', { params: { path: { jobId } } }));
}

/** Shows the job, or with `--watch` follows it and fails (exit 4) unless it succeeded. */
async function follow(
  api: PlatformClient,
  out: Output,
  jobId: string,
  opts: WatchOptions,
  known?: Awaited<ReturnType<typeof readJob>>,
): Promise<void> {
  if (!opts.watch) {
    out.result(known ?? (await readJob(api, jobId)));
    return;
  }
  const job = await watchUntil(
    out,
    () => readJob(api, jobId),
    (j) =>
      `${j.status} ${Math.round(j.progress * 100)}% read ${j.counts.read} predicted ${j.counts.predicted} failed ${j.counts.failed}`,
    (j) => ENDED.has(j.status),
    opts.interval * 1000,
  );
  out.result(job);
  if (job.status !== 'SUCCEEDED')
    throw new CliFailure(
      `batch job ${job.jobId} ${job.status}${job.statusReason ? `: ${job.statusReason}` : ''}`,
      EXIT.OPERATION_FAILED,
    );
}
