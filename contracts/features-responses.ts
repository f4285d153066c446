/**
 * The feature store's replies as schemas, for the routes' `response` and so the API document. Each
 * is checked at compile time against the type the domain returns: `FeatureView` is the contract's
 * own schema, `TrainingSetJob` and `MaterializationResult` are declared beside the requests, and
 * `PushResult` is derived from its schema here; the list page is the common `Page`.
 */
import * as z from 'zod';
import {
  FeatureView,
  FieldStatus,
  type MaterializationResult,
  type TrainingSetJob,
  TrainingSetJobStatus,
} from './features';
import { lazySchema } from './lazy-schema';
import { type Page, page } from './pages';
import { type Same, sameShape } from './same-shape';

/** A feature view: `POST /feature-views` (201), `GET` and `PUT /feature-views/{name}`. */
export const FeatureViewResponse = FeatureView;

/** `GET /feature-views`: a page of views; `nextToken` is present while more remain. */
export const FeatureViewPageResponse = lazySchema(() => page(FeatureView));

/** `POST /push`: what the batch wrote, online and offline. */
export const PushResponse = lazySchema(() =>
  z.object({
    featureView: z.string(),
    rows: z.number().int(),
    offlineFiles: z.number().int(),
    onlineWritten: z.number().int(),
    /** Rows older than what the online store already held: kept offline, not served. */
    onlineSkipped: z.number().int(),
  }),
);
/** What a push wrote. */
export type PushResult = z.infer<typeof PushResponse>;

/** `POST /feature-views/{name}/materialize`: what the range materialization did. */
export const MaterializeResponse = lazySchema(() =>
  z.object({
    featureView: z.string(),
    filesRead: z.number().int(),
    rowsRead: z.number().int(),
    /** Rows in range, collapsed to the newest per entity key. */
    itemsConsidered: z.number().int(),
    itemsWritten: z.number().int(),
    /** Items left alone because the online store already held a newer value. */
    itemsSkipped: z.number().int(),
    /** The watermark after an incremental run (epoch ms of the newest file read). */
    watermarkMs: z.number().optional(),
    /** Rows skipped because their entity was erased (a tombstone stands). */
    rowsErased: z.number().int().optional(),
  }),
);

/** One shard of the feature stream, as the consumer's last flush of it left it. */
export const ShardFreshness = lazySchema(() =>
  z.object({
    shardId: z.string(),
    /** Every event of the shard that arrived before this instant is in the aggregates. */
    watermark: z.string(),
    flushedAt: z.string(),
    /** How far the watermark trails `checkedAt`. */
    lagSeconds: z.number(),
  }),
);

/**
 * `GET /feature-views/{name}/freshness`: how old the view's freshest online data is, and the
 * status `get-online-features` gives its values now. A batch view's age is that of its newest row
 * (event time) against its TTL; a stream view's is the lag of the consumer's watermark behind the
 * clock against the tumbling window plus the batching window.
 */
export const FeatureViewFreshnessResponse = lazySchema(() =>
  z.object({
    featureView: z.string(),
    kind: z.enum(['batch', 'stream']),
    checkedAt: z.string(),
    /**
     * PRESENT within the max age; OUTSIDE_MAX_AGE past it (or a stream whose consumer never
     * flushed); NOT_FOUND for a batch view without rows.
     */
    status: FieldStatus,
    /** Seconds since the newest row's event time (batch) or the stream's watermark (stream). */
    ageSeconds: z.number().optional(),
    /** The TTL (batch; absent when 0, which never expires) or the healthy lag bound (stream). */
    maxAgeSeconds: z.number().optional(),
    /** Batch: the newest row's event time. */
    newestEventAt: z.string().optional(),
    /** Batch: when the newest offline file was written (a push, or a stream view's events). */
    lastWrittenAt: z.string().optional(),
    /** Batch: the newest offline file the scheduled materialization has copied online. */
    lastMaterializedAt: z.string().optional(),
    /** The view's freshness alarm threshold, when it has one. */
    expectedIntervalSeconds: z.number().int().optional(),
    /** Stream: the newest watermark of any shard, what the status is judged by. */
    watermark: z.string().optional(),
    /** Stream: every shard that ever flushed, by shard id (a stuck one lags while others move). */
    shards: z.array(ShardFreshness).optional(),
  }),
);
/** A feature view's freshness. */
export type FeatureViewFreshness = z.infer<typeof FeatureViewFreshnessResponse>;

/** A training-set job: `POST /training-sets` (202) and `GET /training-sets/{jobId}`. */
export const TrainingSetJobResponse = lazySchema(() =>
  z.object({
    jobId: z.string(),
    status: TrainingSetJobStatus,
    features: z.array(z.string()).readonly(),
    /** The Parquet object, once SUCCEEDED. */
    outputUri: z.string().optional(),
    rowCount: z.number().int().optional(),
    error: z.string().optional(),
    /** Erasures of an entity whose rows this training set holds: retrain without it. */
    erasureIds: z.array(z.string()).readonly().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);

// Compile-time checks: each schema's output and the domain's type are the same shape.
sameShape<Same<z.output<typeof FeatureViewPageResponse>, Page<FeatureView>>>(true);
sameShape<Same<z.output<typeof MaterializeResponse>, MaterializationResult>>(true);
sameShape<Same<z.output<typeof TrainingSetJobResponse>, TrainingSetJob>>(true);
