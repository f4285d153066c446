/**
 * The monitoring routes' replies as schemas, for the routes' `response` and so the API document.
 * The reports, profiles and check outcomes are typed in `monitoring-reports.ts`, which the
 * monitoring domain computes; the checks at the end fail `tsc` when a schema here and its type
 * are not the same shape.
 * @see https://docs-old.evidentlyai.com/reference/data-drift-algorithm
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';
import { FeatureOverride } from './monitoring';
import type {
  CheckOutcome,
  DriftReport,
  GroundTruthReply,
  Page,
  QualityReport,
  ReferenceProfileReply,
  ReportEntry,
} from './monitoring-reports';
import { page } from './pages';
import { type Same, sameShape } from './same-shape';

const Numbers = lazySchema(() => z.array(z.number()).readonly());
const Strings = lazySchema(() => z.array(z.string()).readonly());
const Counts = lazySchema(() => z.record(z.string(), z.number()));
const FeatureType = lazySchema(() => z.enum(['numeric', 'categorical']));

const profileFeatureBase = {
  name: lazySchema(() => z.string()),
  /** Non-missing values. */
  count: lazySchema(() => z.number().int()),
  /** Missing values (null, empty, NaN) in the training data. */
  missing: lazySchema(() => z.number().int()),
  /** The test/threshold/type override recorded at build time. */
  override: lazySchema(() => FeatureOverride.optional()),
};

/** A feature of a reference profile as the API shows it: numeric ones without their sample. */
const DescribedFeatureProfile = lazySchema(() =>
  z.discriminatedUnion('type', [
    z.object({
      ...profileFeatureBase,
      type: z.literal('numeric'),
      statistics: z.object({ min: z.number(), max: z.number(), mean: z.number(), std: z.number() }),
      /** Decile bins (numpy quantiles, duplicates dropped) and their counts. */
      deciles: z.object({ cutPoints: Numbers, counts: Numbers }),
    }),
    z.object({ ...profileFeatureBase, type: z.literal('categorical'), counts: Counts }),
  ]),
);

/** A version's reference profile, without the numeric samples it keeps for the tests. */
export const DescribedProfile = lazySchema(() =>
  z.object({
    schemaVersion: z.literal(1),
    modelName: z.string(),
    /** Absent for an ad-hoc reference given inline to an on-demand check. */
    modelVersion: z.number().int().optional(),
    createdAt: z.string(),
    /** Where the training data came from (an `s3://` URI or `inline`). */
    source: z.string(),
    rowCount: z.number().int(),
    features: z.array(DescribedFeatureProfile),
  }),
);

/** `POST` (201) and `GET .../reference-profile`: where the profile is stored, and the profile. */
export const ReferenceProfileResponse = lazySchema(() =>
  z.object({ uri: z.string(), profile: DescribedProfile }),
);

/** One feature of a drift report: the selected test, its score and verdict, and the histogram. */
const FeatureReport = lazySchema(() =>
  z.object({
    feature: z.string(),
    drifted: z.boolean(),
    type: FeatureType,
    test: z.enum(['ks', 'chi-square', 'wasserstein', 'jensen-shannon', 'psi']),
    scoreKind: z.enum(['p-value', 'distance']),
    /** The number compared with the threshold: the p-value, or the distance. */
    score: z.number(),
    threshold: z.number(),
    /** KS D, chi-square, PSI, Jensen-Shannon or normalised Wasserstein distance. */
    statistic: z.number(),
    /** Present for the p-value tests. */
    pValue: z.number().optional(),
    referenceSize: z.number().int(),
    currentSize: z.number().int(),
    missing: z.number().int(),
    invalid: z.number().int(),
    /** Bars of the feature's chart: the same bins for reference and current, as proportions. */
    histogram: z.object({ labels: Strings, reference: Numbers, current: Numbers }),
  }),
);

/** A drift report (`POST /monitoring/drift-reports`, 201; a scheduled check's report). */
export const DriftReportResponse = lazySchema(() =>
  z.object({
    reportId: z.string(),
    kind: z.enum(['on-demand', 'scheduled']),
    modelName: z.string(),
    modelVersion: z.number().int().optional(),
    createdAt: z.string(),
    referenceRows: z.number().int(),
    currentRows: z.number().int(),
    /** What the window covered (scheduled checks): capture objects and their range. */
    window: z
      .object({ files: z.number().int(), firstKey: z.string().optional(), lastKey: z.string().optional() })
      .optional(),
    /** The dataset verdict; absent when no feature could be tested (e.g. an empty window). */
    dataset: z
      .object({
        drifted: z.boolean(),
        /** Drifted features / all features. */
        driftShare: z.number(),
        driftShareThreshold: z.number(),
        numberOfFeatures: z.number().int(),
        numberOfDriftedFeatures: z.number().int(),
        driftedFeatures: Strings,
      })
      .optional(),
    features: z.array(FeatureReport).readonly(),
    /** Features left out of the verdict, and why (e.g. no current values). */
    skipped: z.array(z.object({ feature: z.string(), reason: z.string() })).readonly(),
    /** Where the report is stored. */
    location: z.object({ json: z.string(), html: z.string() }).optional(),
  }),
);

/** A quality report (`POST .../quality-reports`, 201): metrics against the registered baseline. */
export const QualityReportResponse = lazySchema(() =>
  z.object({
    reportId: z.string(),
    kind: z.literal('quality'),
    modelName: z.string(),
    modelVersion: z.number().int(),
    createdAt: z.string(),
    window: z.object({
      from: z.string(),
      to: z.string(),
      files: z.number().int(),
      records: z.number().int(),
    }),
    /** Records whose prediction had a label. */
    joined: z.number().int(),
    metrics: Counts,
    comparison: z.object({
      metric: z.string(),
      current: z.number(),
      /** Absent when the version registered no such metric. */
      baseline: z.number().optional(),
      /** (baseline - current) / |baseline|, sign flipped for lower-is-better metrics: > 0 is worse. */
      relativeDrop: z.number().optional(),
      maxRelativeDrop: z.number(),
      degraded: z.boolean(),
    }),
    location: z.object({ json: z.string() }).optional(),
  }),
);

/** `GET .../reports/{reportId}`: the stored report, drift or quality. */
export const MonitoringReportResponse = lazySchema(() =>
  z.union([DriftReportResponse, QualityReportResponse]),
);

/** A report as listed per model. */
export const ReportEntryResponse = lazySchema(() =>
  z.object({
    reportId: z.string(),
    modelName: z.string(),
    kind: z.enum(['on-demand', 'scheduled', 'quality']),
    createdAt: z.string(),
    drifted: z.boolean().optional(),
    degraded: z.boolean().optional(),
    driftShare: z.number().optional(),
    location: z.object({ json: z.string(), html: z.string().optional() }),
  }),
);

/** `GET .../reports`: a model's reports, newest first. */
export const ReportPageResponse = lazySchema(() => page(ReportEntryResponse));

/** `POST .../ground-truth`: how many labels were stored. */
export const GroundTruthResponse = lazySchema(() =>
  z.object({
    modelName: z.string(),
    accepted: z.number().int(),
    experimentOutcomes: z.number().int().optional(),
  }),
);

/** `POST .../checks`: what the scheduled check did, run now. */
export const CheckOutcomeResponse = lazySchema(() =>
  z.discriminatedUnion('status', [
    z.object({ status: z.literal('NO_NEW_CAPTURE'), modelName: z.string() }),
    z.object({ status: z.literal('CHECK_IN_PROGRESS'), modelName: z.string(), runId: z.string() }),
    z.object({ status: z.literal('REPORTED'), modelName: z.string(), report: DriftReportResponse }),
    /** A window too large for one Lambda: the shards run in a state machine execution. */
    z.object({
      status: z.literal('FANNED_OUT'),
      modelName: z.string(),
      runId: z.string(),
      executionArn: z.string(),
      files: z.number().int(),
    }),
  ]),
);

// Compile-time checks: each schema's output and the type the domain computes are the same shape.
sameShape<Same<z.output<typeof ReferenceProfileResponse>, ReferenceProfileReply>>(true);
sameShape<Same<z.output<typeof DriftReportResponse>, DriftReport>>(true);
sameShape<Same<z.output<typeof QualityReportResponse>, QualityReport>>(true);
sameShape<Same<z.output<typeof ReportPageResponse>, Page<ReportEntry>>>(true);
sameShape<Same<z.output<typeof GroundTruthResponse>, GroundTruthReply>>(true);
sameShape<Same<z.output<typeof CheckOutcomeResponse>, CheckOutcome>>(true);
