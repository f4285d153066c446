/**
 * `mlops batch ...`: batch prediction jobs, scoring every row of an S3 input with a model version.
 * `--watch` follows a job to its end and exits 4 unless it succeeded. `upload` puts an input file
 * in the platform bucket through a presigned PUT, as the bucket takes no other writes from callers;
 * `output` reads a job's parts through presigned GETs.
 */
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { type Command, Option } from 'commander';
import { expectOk, type PlatformClient } from '../../client';
import { action, CliFailure } from '../context';
import { EXIT } from '../exit-codes';
import type { Output } from '../output';
import { allPages } from '../pages';
import { presignedUpload } from '../presigned-upload';
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
  batch
    .command('upload <file>')
    .description(
      "put a job's input in the platform bucket under batch-predictions/in/ (a presigned PUT); prints its s3:// URI",
    )
    .option('--key <name>', 'its key under batch-predictions/in/ (default: the file name)')
    .action(
      action(async ({ api, out }, file: string, opts: { key?: string }) => {
        const sizeBytes = fileSize(file);
        const answer = await expectOk(
          api.POST('/batch-predictions/uploads', {
            body: { fileName: opts.key ?? basename(file), contentLength: sizeBytes },
          }),
        );
        await presignedUpload(file, sizeBytes, answer.upload, out);
        out.result({ uri: answer.uri, sizeBytes });
      }),
    );
  batch
    .command('output <jobId>')
    .description(
      "a job's output parts, concatenated on stdout in order (presigned GETs through the API), or with --list the parts",
    )
    .option('--dead-letter', 'the refused rows, with their source and reason, instead of the predictions')
    .option('--list', 'list the parts (name, size, s3:// URI) instead of printing them')
    .action(
      action(async ({ api, out }, jobId: string, opts: { deadLetter?: boolean; list?: boolean }) => {
        const part = opts.deadLetter ? 'dead-letter' : 'predictions';
        const readPage = (nextToken: string | undefined) =>
          expectOk(
            api.GET('/batch-predictions/{jobId}/output', {
              params: { path: { jobId }, query: { part, nextToken } },
            }),
          );
        if (opts.list) {
          out.result(await allPages(readPage), ['name', 'sizeBytes', 'uri']);
          return;
        }
        process.stdout.on('error', quietOnClosedPipe);
        // A page at a time: its URLs expire, so none is fetched long after it was signed.
        let nextToken: string | undefined;
        do {
          const page = await readPage(nextToken);
          for (const item of page.items) await printPart(item.download.url, item.name);
          nextToken = page.nextToken;
        } while (nextToken);
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

/** Streams one part to stdout; a reader that stops early (`| head`) ends the command quietly. */
async function printPart(url: string, name: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || !response.body)
    throw new CliFailure(`reading ${name} answered ${response.status}`, EXIT.UNAVAILABLE);
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
  }
}

/** `mlops batch output ... | head -3`: the pipe closes before the output ends, which is no failure. */
function quietOnClosedPipe(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch (err) {
    throw new CliFailure(`cannot read ${file}: ${(err as Error).message}`, EXIT.USAGE);
  }
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
