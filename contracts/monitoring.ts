/**
 * Request shapes, S3 layout, metric names and deploy-time config of drift and model-quality
 * monitoring, shared by the monitoring handlers, the CDK construct, local mode and the README.
 * Capture files follow SageMaker data capture exactly, so the local endpoint and a real one
 * write what the same reader reads.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture.html
 */
import * as z from 'zod';
import { storableNumber } from './dynamodb-number';
import { lazySchema } from './lazy-schema';
import { ModelName, VersionNumber } from './model-names';
import { DEFAULT_CAPTURE_PREFIX, MAX_INLINE_ROWS } from './monitoring-names';

export {
  DEFAULT_CAPTURE_PREFIX,
  MAX_INLINE_ROWS,
  MAX_PROFILE_ROWS,
  MONITORING_METRICS_NAMESPACE,
  MONITORING_PREFIX,
  MonitoringMetric,
  monitoringKeys,
  outermostPrefixes,
  REFERENCE_PROFILE_TAG,
} from './monitoring-names';

const S3Uri = lazySchema(() =>
  z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/\S+$/, 'must be s3://bucket/key'),
);

const JsonScalar = lazySchema(() => z.union([z.string(), z.number(), z.boolean(), z.null()]));
const InlineRows = lazySchema(() =>
  z
    .array(z.record(z.string().min(1).max(128), JsonScalar))
    .min(1)
    .max(MAX_INLINE_ROWS),
);

/**
 * Tabular data: inline rows, or an S3 object of the platform bucket (`csv` with a header row,
 * `parquet`, `jsonl` one object a line, `json` an array of objects; by extension when `format` is
 * not given). A URI ending in `/` reads every object under that prefix, e.g. a feature view's
 * offline Parquet files.
 */
export const DataSource = lazySchema(() =>
  z.union([
    z.strictObject({ rows: InlineRows }),
    z.strictObject({ uri: S3Uri, format: z.enum(['csv', 'parquet', 'jsonl', 'json']).optional() }),
  ]),
);
export type DataSource = z.infer<typeof DataSource>;

const DriftTest = lazySchema(() => z.enum(['ks', 'chi-square', 'wasserstein', 'jensen-shannon', 'psi']));
/** Per-feature override of the default test and threshold (see `select-test.ts`). */
export const FeatureOverride = lazySchema(() =>
  z.strictObject({
    test: DriftTest.optional(),
    threshold: storableNumber().positive().optional(),
    type: z.enum(['numeric', 'categorical']).optional(),
  }),
);
export type FeatureOverride = z.infer<typeof FeatureOverride>;
const FeatureOverrides = lazySchema(() =>
  z
    .record(z.string().min(1).max(128), FeatureOverride)
    .refine((m) => Object.keys(m).length <= 500, 'at most 500 features'),
);

/** Columns never profiled: identifiers and labels are not features. */
const ExcludeList = lazySchema(() => z.array(z.string().min(1).max(128)).max(100).default([]));

export const BuildProfileRequest = lazySchema(() =>
  z.strictObject({
    data: DataSource,
    /** Features to profile, in the order CSV capture columns carry them. @default - every column but `exclude` */
    features: z.array(z.string().min(1).max(128)).min(1).max(500).optional(),
    exclude: ExcludeList,
    overrides: FeatureOverrides.default({}),
  }),
);
export type BuildProfileRequest = z.infer<typeof BuildProfileRequest>;

/** On-demand drift: reference as data or a registered version's profile, current as data. */
export const DriftCheckRequest = lazySchema(() =>
  z.strictObject({
    modelName: ModelName,
    reference: z.union([DataSource, z.strictObject({ modelVersion: VersionNumber })]),
    current: DataSource,
    features: z.array(z.string().min(1).max(128)).min(1).max(500).optional(),
    exclude: ExcludeList,
    overrides: FeatureOverrides.default({}),
    driftShareThreshold: storableNumber().gt(0).max(1).optional(),
  }),
);
export type DriftCheckRequest = z.infer<typeof DriftCheckRequest>;

/** Ground truth for captured predictions, joined by the capture's `eventMetadata.inferenceId`. */
export const GroundTruthRequest = lazySchema(() =>
  z.strictObject({
    labels: z
      .array(
        z.strictObject({
          inferenceId: z.string().min(1).max(256),
          label: z.union([storableNumber(), z.string().min(1).max(256)]),
        }),
      )
      .min(1)
      .max(1000),
  }),
);
export type GroundTruthRequest = z.infer<typeof GroundTruthRequest>;

export const ProblemType = lazySchema(() =>
  z.enum(['binary-classification', 'multiclass-classification', 'regression']),
);
export type ProblemType = z.infer<typeof ProblemType>;

/** Quality settings of a monitored model. */
export const QualitySettings = lazySchema(() =>
  z.strictObject({
    problemType: ProblemType,
    /** The registry version metric compared, e.g. `accuracy`, `roc_auc`, `rmse`. @default accuracy or rmse */
    baselineMetric: z.string().min(1).max(128).optional(),
    /** Relative drop of the baseline metric that counts as degraded. @default 0.05 */
    maxRelativeDrop: storableNumber().gt(0).lt(1).default(0.05),
    /** Score at or above which a binary prediction is the positive class. @default 0.5 */
    decisionThreshold: storableNumber().gt(0).lt(1).default(0.5),
    /** The positive class label for binary metrics. @default 1 */
    positiveLabel: z.union([storableNumber(), z.string()]).default(1),
  }),
);
export type QualitySettings = z.infer<typeof QualitySettings>;

/** A quality report over the capture of a time window (ISO times, hour granularity of the layout). */
export const QualityReportRequest = lazySchema(() =>
  z.strictObject({
    endpointName: z.string().min(1).max(63),
    variant: z.string().min(1).max(63).default('AllTraffic'),
    modelVersion: VersionNumber,
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    quality: QualitySettings,
  }),
);
export type QualityReportRequest = z.infer<typeof QualityReportRequest>;

/** A drift or quality report's id, as the report routes take it. */
export const ReportId = lazySchema(() => z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a report id'));

export const ListReportsQuery = lazySchema(() =>
  z.strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    nextToken: z.string().max(2048).optional(),
  }),
);

/** One monitored model of the `mlops:monitoring` config. */
export const MonitoredModel = lazySchema(() =>
  z.strictObject({
    modelName: ModelName,
    /** The endpoint whose capture is checked. @default - the platform's endpoint of the model */
    endpointName: z
      .string()
      .regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, 'must be a SageMaker endpoint name')
      .optional(),
    variant: z.string().min(1).max(63).default('AllTraffic'),
    /**
     * The version whose reference profile the capture is compared with. @default - the version the
     * `champion` alias points at when the check runs, so a promoted retrain becomes the reference
     */
    modelVersion: z.number().int().min(1).optional(),
    /** EventBridge schedule expression. @default rate(1 hour) */
    schedule: z
      .string()
      .regex(
        /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\([^)]+\))$/,
        'must be rate(...) or cron(...)',
      )
      .default('rate(1 hour)'),
    overrides: FeatureOverrides.default({}),
    driftShareThreshold: storableNumber().gt(0).max(1).default(0.5),
    quality: QualitySettings.optional(),
  }),
);
export type MonitoredModel = z.infer<typeof MonitoredModel>;

/**
 * A monitored model as its SSM parameter holds it: the endpoint always named (the construct fills
 * in the platform's endpoint of the model), so functions never rebuild an endpoint name.
 */
export const MonitoredModelSetting = lazySchema(() => MonitoredModel.required({ endpointName: true }));
export type MonitoredModelSetting = z.infer<typeof MonitoredModelSetting>;

/** The `mlops:monitoring` block. */
export const MonitoringConfig = lazySchema(() =>
  z.strictObject({
    /** Capture prefix in the platform bucket. @default capture/ */
    capturePrefix: z
      .string()
      .regex(/^[A-Za-z0-9!_.*'()/-]{1,512}\/$/, 'must end with /')
      .default(DEFAULT_CAPTURE_PREFIX),
    /** Capture files one Lambda checks; more are fanned out by a Distributed Map. @default 20 */
    maxFilesPerLambda: z.number().int().min(1).max(1000).default(20),
    models: z.array(MonitoredModel).max(50).default([]),
  }),
);
export type MonitoringConfig = z.infer<typeof MonitoringConfig>;

/**
 * The block without its models: what every monitoring function gets in its environment
 * (`MONITORING_SETTINGS`), a fixed size however many models there are.
 */
export const MonitoringSettings = lazySchema(() => MonitoringConfig.omit({ models: true }));
export type MonitoringSettings = z.infer<typeof MonitoringSettings>;

/**
 * The SSM path of an environment's monitored models: one String parameter per model,
 * `<path>/<model>`, holding its `MonitoredModel` as JSON (see `contracts/parameters.ts`).
 */
export const monitoredModelsPath = (envName: string): string => `/cdk-mlops/${envName}/monitored-models`;

/** Input of a scheduled check (the schedule rule's constant input). */
export const ScheduledCheckInput = lazySchema(() => z.strictObject({ modelName: ModelName }));
export type ScheduledCheckInput = z.infer<typeof ScheduledCheckInput>;
