/**
 * `mlops drift ...`: data drift and model quality. `check` runs a model's scheduled check now, or
 * compares a file (or S3 object) with a reference; `report` writes a stored report's HTML page to
 * a file and prints its path (`--open` shows it in the browser); `quality` scores a capture window.
 */
import { type Command, Option } from 'commander';
import { expectOk, type PlatformClient } from '../../client';
import type { ProblemType } from '../../contracts/monitoring';
import type { DriftReport } from '../../contracts/monitoring-reports';
import { action, CliFailure } from '../context';
import { EXIT } from '../exit-codes';
import { writeHtml } from '../html-file';
import type { Output } from '../output';
import { allPages } from '../pages';
import { readRowsFile } from '../tabular-file';
import { parseVersion } from './parse';

const FEATURE_COLUMNS = ['feature', 'type', 'test', 'score', 'threshold', 'drifted'];

export function driftCommands(program: Command): void {
  const drift = program.command('drift').description('data drift and model quality reports');
  drift
    .command('check <model>')
    .description("run the model's scheduled check now, or compare --current data with a reference")
    .option('--current <file|s3uri>', 'data to check: .csv, .parquet, .jsonl, .json, or an s3:// URI')
    .option(
      '--reference <file|s3uri>',
      'reference data (default: the version profile of --reference-version)',
    )
    .option(
      '--reference-version <version>',
      'the registered version whose reference profile to compare with',
      parseVersion,
    )
    .option('--fail-on-drift', 'exit 4 when the dataset drifted')
    .action(
      action(async ({ api, out }, model: string, opts: CheckOptions) => {
        const report = opts.current ? await onDemand(api, model, opts) : await scheduled(api, out, model);
        if (!report) return;
        showReport(out, report);
        if (opts.failOnDrift && report.dataset?.drifted)
          throw new CliFailure(
            `${model} drifted: ${report.dataset.driftedFeatures.join(', ')}`,
            EXIT.OPERATION_FAILED,
          );
      }),
    );
  drift
    .command('list <model>')
    .description("a model's drift and quality reports, newest first")
    .action(
      action(async ({ api, out }, model: string) => {
        out.result(await reports(api, model), [
          'reportId',
          'kind',
          'createdAt',
          'drifted',
          'driftShare',
          'degraded',
        ]);
      }),
    );
  drift
    .command('report <model> [reportId]')
    .description("write a drift report's HTML page to a file and print its path (default: the newest)")
    .option('--out <file>', 'where to write it (default: mlops-drift-<model>-<reportId>.html here)')
    .option('--open', 'open it in the browser (xdg-open or open)')
    .action(
      action(async ({ api, out }, model: string, given: string | undefined, opts: ReportOptions) => {
        const reportId = given ?? (await reports(api, model)).find((r) => r.location.html)?.reportId;
        if (!reportId) throw new CliFailure(`${model} has no drift report yet`, EXIT.REFUSED);
        const html = await expectOk(
          api.GET('/monitoring/models/{name}/reports/{reportId}/html', {
            params: { path: { name: model, reportId } },
            parseAs: 'text',
          }),
        );
        const path = writeHtml(
          out,
          html as string,
          opts.out ?? `mlops-drift-${model}-${reportId}.html`,
          !!opts.open,
        );
        out.result(out.format === 'json' ? { reportId, path } : path);
      }),
    );
  drift
    .command('quality <model>')
    .description("quality over a capture window joined with ground truth, against the version's metric")
    .requiredOption('--endpoint <name>', 'the endpoint whose capture to read')
    .requiredOption('--model-version <version>', 'the version that served', parseVersion)
    .requiredOption('--from <time>', 'window start (ISO 8601)')
    .requiredOption('--to <time>', 'window end (ISO 8601)')
    .addOption(
      new Option('--problem-type <type>', 'what the model predicts')
        .choices(['binary-classification', 'multiclass-classification', 'regression'])
        .makeOptionMandatory(),
    )
    .option('--variant <name>', 'the production variant', 'AllTraffic')
    .option('--baseline-metric <name>', 'the registered metric to compare with')
    .option('--max-relative-drop <fraction>', 'degraded past this relative drop (default 0.05)', Number)
    .action(
      action(async ({ api, out }, model: string, opts: QualityOptions) => {
        const report = await expectOk(
          api.POST('/monitoring/models/{name}/quality-reports', {
            params: { path: { name: model } },
            body: {
              endpointName: opts.endpoint,
              variant: opts.variant,
              modelVersion: opts.modelVersion,
              from: opts.from,
              to: opts.to,
              quality: {
                problemType: opts.problemType,
                baselineMetric: opts.baselineMetric,
                maxRelativeDrop: opts.maxRelativeDrop,
              },
            },
          }),
        );
        out.result(report);
      }),
    );
}

interface CheckOptions {
  readonly current?: string;
  readonly reference?: string;
  readonly referenceVersion?: number;
  readonly failOnDrift?: boolean;
}

interface ReportOptions {
  readonly out?: string;
  readonly open?: boolean;
}

interface QualityOptions {
  readonly endpoint: string;
  readonly modelVersion: number;
  readonly from: string;
  readonly to: string;
  readonly problemType: ProblemType;
  readonly variant: string;
  readonly baselineMetric?: string;
  readonly maxRelativeDrop?: number;
}

function reports(api: PlatformClient, model: string) {
  return allPages((nextToken) =>
    expectOk(
      api.GET('/monitoring/models/{name}/reports', {
        params: { path: { name: model }, query: { nextToken } },
      }),
    ),
  );
}

async function onDemand(api: PlatformClient, model: string, opts: CheckOptions): Promise<DriftReport> {
  if (!opts.reference && !opts.referenceVersion)
    throw new CliFailure('--current needs --reference or --reference-version', EXIT.USAGE);
  const reference = opts.reference
    ? await dataSource(opts.reference)
    : { modelVersion: opts.referenceVersion! };
  return expectOk(
    api.POST('/monitoring/drift-reports', {
      body: { modelName: model, reference, current: await dataSource(opts.current!) },
    }),
  );
}

/** The scheduled check, run now: a report, or what it did instead (nothing new, fanned out). */
async function scheduled(api: PlatformClient, out: Output, model: string): Promise<DriftReport | undefined> {
  const outcome = await expectOk(
    api.POST('/monitoring/models/{name}/checks', { params: { path: { name: model } } }),
  );
  if (outcome.status === 'REPORTED') return outcome.report;
  out.result(outcome);
  return undefined;
}

/** An `s3://` URI as is; a local file as inline rows. */
async function dataSource(given: string) {
  return given.startsWith('s3://') ? { uri: given } : { rows: await readRowsFile(given) };
}

/** JSON: the whole report. A table: a verdict line on stderr, and a row per feature. */
function showReport(out: Output, report: DriftReport): void {
  if (out.format === 'json') {
    out.result(report);
    return;
  }
  const d = report.dataset;
  out.note(
    d
      ? `report ${report.reportId}: ${d.drifted ? 'DRIFTED' : 'no drift'}, ${d.numberOfDriftedFeatures}/${d.numberOfFeatures} features (share ${d.driftShare.toFixed(2)}, threshold ${d.driftShareThreshold})`
      : `report ${report.reportId}: no feature could be tested`,
  );
  out.result(
    report.features.map((f) => ({ ...f, score: Number(f.score.toPrecision(4)) })),
    FEATURE_COLUMNS,
  );
}
