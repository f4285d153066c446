/**
 * Request, resource and row shapes of the feature store, shared by the handlers, the adapters,
 * the CDK config (views declared at deploy time) and local mode. Names follow Feast: feature
 * view, entity (join key), TTL, `view:feature` references; the online lookup speaks Feast's
 * feature-server JSON exactly, so Feast users' HTTP clients work unchanged.
 * @see https://docs.feast.dev/getting-started/concepts/feature-view
 * @see https://docs.feast.dev/reference/feature-servers/python-feature-server
 */
import * as z from 'zod';
import { storableNumber } from './dynamodb-number';
import {
  CREATED_TIMESTAMP_FIELD,
  EVENT_TIMESTAMP_FIELD,
  FeatureViewName,
  FieldName,
  MAX_ENTITIES_PER_VIEW,
  MAX_ENTITY_STRING_LENGTH,
  MAX_FEATURES_PER_VIEW,
  MAX_INLINE_TRAINING_ROWS,
  MAX_LOOKUP_ENTITIES,
  MAX_LOOKUP_FEATURES,
  MAX_LOOKUP_VALUES,
  MAX_PUSH_ROWS,
} from './feature-names';
import { StreamSource, streamSourceProblems } from './feature-streams';
import { lazySchema } from './lazy-schema';

// The schema-free names, for callers that take the feature contracts whole.
export * from './feature-names';

/** Key types an entity may have (Feast's ValueType.INT64 and STRING). */
export const EntityValueType = lazySchema(() => z.enum(['int64', 'string']));
export type EntityValueType = z.infer<typeof EntityValueType>;
/** Types a feature may have. int64 values must be JSON-safe integers (|v| <= 2^53 - 1). */
export const FeatureDtype = lazySchema(() => z.enum(['int64', 'float64', 'string', 'bool', 'timestamp']));
export type FeatureDtype = z.infer<typeof FeatureDtype>;

export const EntitySpec = lazySchema(() => z.strictObject({ name: FieldName, valueType: EntityValueType }));
export type EntitySpec = z.infer<typeof EntitySpec>;

/** A feature and the rules every pushed value must meet. */
export const FeatureSpec = lazySchema(() =>
  z
    .strictObject({
      name: FieldName,
      dtype: FeatureDtype,
      /** A required feature refuses null or missing values. */
      required: z.boolean().default(false),
      /** Inclusive bounds, for int64 and float64 only. */
      min: storableNumber().optional(),
      max: storableNumber().optional(),
      /** The only values accepted, for string and int64 only. */
      allowedValues: z
        .array(z.union([z.string(), storableNumber().int()]))
        .min(1)
        .max(1000)
        .optional(),
      description: z.string().max(1024).default(''),
    })
    .superRefine((f, ctx) => {
      const numeric = f.dtype === 'int64' || f.dtype === 'float64';
      if ((f.min !== undefined || f.max !== undefined) && !numeric) {
        ctx.addIssue({ code: 'custom', message: `min/max apply to int64 and float64, not ${f.dtype}` });
      }
      if (f.min !== undefined && f.max !== undefined && f.min > f.max) {
        ctx.addIssue({ code: 'custom', message: `min ${f.min} is above max ${f.max}`, path: ['min'] });
      }
      if (f.allowedValues !== undefined) {
        const want = f.dtype === 'string' ? 'string' : f.dtype === 'int64' ? 'number' : undefined;
        if (want === undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `allowedValues apply to string and int64, not ${f.dtype}`,
          });
        } else if (f.allowedValues.some((v) => typeof v !== want)) {
          ctx.addIssue({
            code: 'custom',
            message: `allowedValues must all be ${f.dtype}`,
            path: ['allowedValues'],
          });
        }
      }
    }),
);
export type FeatureSpec = z.infer<typeof FeatureSpec>;

/**
 * Where the view's history lives. `push`: rows arrive through the push route and the platform
 * writes them to its offline bucket. `s3`: Parquet files another job writes under a prefix.
 * `stream`: events arrive on the feature stream; the view serves windowed aggregates of them
 * (see `contracts/feature-streams.ts`) and its events land offline as pushed rows do.
 */
export const OfflineSource = lazySchema(() =>
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('push') }),
    z.strictObject({
      type: z.literal('s3'),
      uri: z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/, 'must be an s3:// URI'),
      format: z.literal('parquet').default('parquet'),
      timestampField: z.string().min(1).max(128).default(EVENT_TIMESTAMP_FIELD),
      createdTimestampField: z.string().min(1).max(128).optional(),
    }),
    StreamSource,
  ]),
);
export type OfflineSource = z.infer<typeof OfflineSource>;

const TagMap = lazySchema(() =>
  z
    .record(z.string().min(1).max(128), z.string().max(256))
    .refine((tags) => Object.keys(tags).length <= 50, 'at most 50 tags'),
);

/** Everything a user sets on a view besides its name; the body of create (with name) and update. */
const viewSpecShape = {
  entities: lazySchema(() => z.array(EntitySpec).min(1).max(MAX_ENTITIES_PER_VIEW)),
  features: lazySchema(() => z.array(FeatureSpec).min(1).max(MAX_FEATURES_PER_VIEW)),
  /**
   * How long a value stays valid after its event time. 0 means forever, as in Feast.
   * @default 0
   */
  ttlSeconds: lazySchema(() =>
    z
      .number()
      .int()
      .min(0)
      .max(10 * 366 * 86_400)
      .default(0),
  ),
  owner: lazySchema(() => z.string().max(256).default('')),
  description: lazySchema(() => z.string().max(4096).default('')),
  tags: lazySchema(() => TagMap.default({})),
  /** @default - rows arrive by push */
  source: lazySchema(() => OfflineSource.default({ type: 'push' })),
  /** Expected time between fresh rows; the freshness alarm fires past it. Unset means no alarm. */
  expectedIntervalSeconds: lazySchema(() =>
    z
      .number()
      .int()
      .min(60)
      .max(366 * 86_400)
      .optional(),
  ),
};

/**
 * Names must be unique across entities and features, and not shadow the timestamp columns; a
 * stream source's aggregations must name features of the view and have distinct output names.
 */
function checkNames(
  spec: { entities: EntitySpec[]; features: FeatureSpec[]; source: OfflineSource },
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>([EVENT_TIMESTAMP_FIELD, CREATED_TIMESTAMP_FIELD]);
  for (const name of [...spec.entities.map((e) => e.name), ...spec.features.map((f) => f.name)]) {
    if (seen.has(name)) ctx.addIssue({ code: 'custom', message: `name ${name} is used twice or reserved` });
    seen.add(name);
  }
  if (spec.source.type !== 'stream') return;
  const entityNames = spec.entities.map((e) => e.name);
  for (const message of streamSourceProblems(spec.source, spec.features, entityNames)) {
    ctx.addIssue({ code: 'custom', message, path: ['source', 'aggregations'] });
  }
}

export const CreateFeatureViewRequest = lazySchema(() =>
  z.strictObject({ name: FeatureViewName, ...viewSpecShape }).superRefine(checkNames),
);
export type CreateFeatureViewRequest = z.infer<typeof CreateFeatureViewRequest>;

/**
 * The whole new definition (PUT semantics), checked against the current one by schema
 * evolution. `expectedVersion` makes the update conditional on the version it was based on.
 */
export const UpdateFeatureViewRequest = lazySchema(() =>
  z
    .strictObject({ ...viewSpecShape, expectedVersion: z.number().int().min(1).optional() })
    .superRefine(checkNames),
);
export type UpdateFeatureViewRequest = z.infer<typeof UpdateFeatureViewRequest>;

/** A feature view as stored and returned; `version` grows by one per compatible change. */
export const FeatureView = lazySchema(() =>
  z.strictObject({
    name: FeatureViewName,
    ...viewSpecShape,
    version: z.number().int().min(1),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export type FeatureView = z.infer<typeof FeatureView>;

export const ListFeatureViewsQuery = lazySchema(() =>
  z.strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    nextToken: z.string().max(2048).optional(),
  }),
);
export type ListFeatureViewsQuery = z.infer<typeof ListFeatureViewsQuery>;

/**
 * A value as it travels in JSON; typed against the view by the domain, not here. Numbers are
 * refused here when DynamoDB (the online store) could not hold them, before anything is written.
 */
export const JsonScalar = lazySchema(() => z.union([z.string(), storableNumber(), z.boolean(), z.null()]));

/**
 * A batch of rows for one view. Each row holds the entity keys, `event_timestamp` (ISO 8601 with
 * a zone, or epoch seconds), optionally `created_timestamp`, and feature values.
 */
export const PushRequest = lazySchema(() =>
  z.strictObject({
    featureView: FeatureViewName,
    rows: z
      .array(z.record(z.string().max(128), JsonScalar))
      .min(1)
      .max(MAX_PUSH_ROWS),
  }),
);
export type PushRequest = z.infer<typeof PushRequest>;

/** `view:feature`, Feast's feature reference. */
export const FeatureRef = lazySchema(() =>
  z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}:[a-z][a-z0-9_]{0,62}$/, 'must be view:feature in lowercase identifiers'),
);

const EntityColumnValue = lazySchema(() =>
  z.union([z.number().int(), z.string().max(MAX_ENTITY_STRING_LENGTH)]),
);

/** Refs are unique: a repeated ref would make two columns of one name. */
const FeatureRefList = lazySchema(() =>
  z
    .array(FeatureRef)
    .min(1)
    .max(MAX_LOOKUP_FEATURES)
    .refine((refs) => new Set(refs).size === refs.length, 'features must not repeat'),
);

/**
 * Feast's `POST /get-online-features` body: entity keys as columns of equal length.
 * @see https://docs.feast.dev/reference/feature-servers/python-feature-server
 */
export const GetOnlineFeaturesRequest = lazySchema(() =>
  z
    .strictObject({
      features: FeatureRefList,
      entities: z
        .record(FieldName, z.array(EntityColumnValue).min(1).max(MAX_LOOKUP_ENTITIES))
        .refine((cols) => Object.keys(cols).length >= 1, 'give at least one entity column')
        .refine(
          (cols) => new Set(Object.values(cols).map((c) => c.length)).size <= 1,
          'entity columns must all have the same length',
        ),
      full_feature_names: z.boolean().default(false),
    })
    .superRefine(({ features, entities }, ctx) => {
      const columns = Object.values(entities);
      const values = (columns[0]?.length ?? 0) * (columns.length + features.length);
      if (values > MAX_LOOKUP_VALUES) {
        ctx.addIssue({
          code: 'custom',
          path: ['entities'],
          message: `asks for ${values} values (entity rows x (entity columns + features)), over ${MAX_LOOKUP_VALUES}: split the lookup`,
        });
      }
    }),
);
export type GetOnlineFeaturesRequest = z.infer<typeof GetOnlineFeaturesRequest>;

/** PRESENT, NOT_FOUND and OUTSIDE_MAX_AGE of Feast's FieldStatus (the ones this store emits). */
export const FieldStatus = lazySchema(() => z.enum(['PRESENT', 'NOT_FOUND', 'OUTSIDE_MAX_AGE']));
export type FieldStatus = z.infer<typeof FieldStatus>;

/**
 * Feast's response: `feature_names` lists the entity columns first, then the features; `results`
 * holds one vector per name (column-wise, one entry per entity row). Entity columns are PRESENT
 * with the zero timestamp `1970-01-01T00:00:00Z`, as Feast's protobuf JSON renders them.
 */
export const GetOnlineFeaturesResponse = lazySchema(() =>
  z.strictObject({
    metadata: z.strictObject({ feature_names: z.array(z.string()) }),
    results: z.array(
      z.strictObject({
        values: z.array(JsonScalar),
        statuses: z.array(FieldStatus),
        event_timestamps: z.array(z.string()),
      }),
    ),
  }),
);
export type GetOnlineFeaturesResponse = z.infer<typeof GetOnlineFeaturesResponse>;

/**
 * A point-in-time-correct training set: each entity row (join keys, `event_timestamp`, and any
 * other columns such as labels, passed through) gets, per view, the latest value at or before
 * its timestamp and within the view's TTL. Rows come inline or as a Parquet/JSON-lines object.
 */
export const TrainingSetRequest = lazySchema(() =>
  z
    .strictObject({
      features: FeatureRefList,
      entityRows: z
        .array(z.record(z.string().max(128), JsonScalar))
        .min(1)
        .max(MAX_INLINE_TRAINING_ROWS)
        .optional(),
      entityRowsUri: z
        .string()
        .regex(/^s3:\/\/[^\s]+$/, 'must be an s3:// URI')
        .optional(),
      fullFeatureNames: z.boolean().default(false),
    })
    .refine((r) => (r.entityRows === undefined) !== (r.entityRowsUri === undefined), {
      message: 'give exactly one of entityRows and entityRowsUri',
    }),
);
export type TrainingSetRequest = z.infer<typeof TrainingSetRequest>;

export const TrainingSetJobStatus = lazySchema(() => z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED']));
export type TrainingSetJobStatus = z.infer<typeof TrainingSetJobStatus>;

/** A training-set job as the status route returns it. */
export interface TrainingSetJob {
  readonly jobId: string;
  readonly status: TrainingSetJobStatus;
  readonly features: readonly string[];
  /** The Parquet object, once SUCCEEDED. */
  readonly outputUri?: string;
  readonly rowCount?: number;
  readonly error?: string;
  /** Erasures of an entity whose rows this training set holds: retrain without it. */
  readonly erasureIds?: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A key value once typed against the view: int64 as a safe integer, or a string. */
export type EntityValue = number | string;
/** A feature value once typed: int64/float64 numbers, strings, booleans, timestamps as ISO strings. */
export type FeatureValue = number | string | boolean | null;

/**
 * A validated, normalized row: the shape of the offline Parquet rows and the source of online
 * items. Timestamps are epoch milliseconds; every feature of the view has a value or null.
 */
export interface FeatureRow {
  readonly entityKey: Readonly<Record<string, EntityValue>>;
  readonly eventTimestampMs: number;
  /** When the row was written; breaks ties between equal event times (Feast's created_timestamp). */
  readonly createdTimestampMs?: number;
  readonly values: Readonly<Record<string, FeatureValue>>;
}

/**
 * Offline > online for event times in `[start, end)` (a backfill). Re-running it is harmless:
 * online writes are newer-wins, so the same rows write the same items.
 */
export const MaterializeRequest = lazySchema(() =>
  z
    .strictObject({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) })
    .refine((r) => Date.parse(r.start) < Date.parse(r.end), { message: 'start must be before end' }),
);
export type MaterializeRequest = z.infer<typeof MaterializeRequest>;

/** What one materialization did; the same numbers come back for a re-run, bar `itemsSkipped`. */
export interface MaterializationResult {
  readonly featureView: string;
  readonly filesRead: number;
  readonly rowsRead: number;
  /** Rows in range, collapsed to the newest per entity key. */
  readonly itemsConsidered: number;
  readonly itemsWritten: number;
  /** Items left alone because the online store already held a newer value. */
  readonly itemsSkipped: number;
  /** The watermark after an incremental run (epoch ms of the newest file read). */
  readonly watermarkMs?: number;
  /** Rows skipped because their entity was erased (a tombstone stands). */
  readonly rowsErased?: number;
}

/**
 * A feature view declared in the CDK config (`mlops:featureViews`), created or evolved by
 * `cdk deploy`. `materializeEveryMinutes` adds an EventBridge schedule running incremental
 * materialization for the view.
 */
export const DeclaredFeatureView = lazySchema(() =>
  z
    .strictObject({
      name: FeatureViewName,
      ...viewSpecShape,
      materializeEveryMinutes: z.number().int().min(1).max(1440).optional(),
    })
    .superRefine(checkNames),
);
export type DeclaredFeatureView = z.infer<typeof DeclaredFeatureView>;

/** The list under `mlops:featureViews`; names must be unique. */
export const DeclaredFeatureViews = lazySchema(() =>
  z
    .array(DeclaredFeatureView)
    .max(50)
    .refine(
      (views) => new Set(views.map((v) => v.name)).size === views.length,
      'feature view names must be unique',
    ),
);

/**
 * The freshness metric: age in seconds of a view's newest offline row, emitted by the
 * materializer (dimension `FeatureView`) and watched by the view's alarm.
 */
export const FRESHNESS_METRIC = {
  namespace: 'cdk-mlops/FeatureStore',
  name: 'FeatureFreshnessSeconds',
} as const;

/** S3 layout of the feature bucket, shared by the construct (IAM, lifecycle) and the adapters. */
export const FEATURE_BUCKET_LAYOUT = {
  /** Parquet data: `features/offline/<view>/dt=<date>/<file>.parquet`. */
  offline: 'features/offline/',
  /** One JSON entry per data file: `features/manifest/<view>/dt=<date>/<entry>.json`. */
  manifest: 'features/manifest/',
  /** Training-set jobs: request, entity rows and output under `features/training/<jobId>/`. */
  training: 'features/training/',
  /** Athena query results (the workgroup's output location). */
  athenaResults: 'features/athena-results/',
  /** Stream events refused, with their reasons: `features/stream-rejected/<date>/<shard>/<seq>.json`. */
  streamRejected: 'features/stream-rejected/',
} as const;
