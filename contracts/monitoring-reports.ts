/**
 * What the monitoring routes reply, as types: reference profiles, drift and quality reports, the
 * report list and a scheduled check's outcome. The monitoring domain computes these types (it
 * imports them from here); `monitoring-responses.ts` holds their schemas and checks at compile
 * time that each schema and its type are the same shape.
 * @see https://docs-old.evidentlyai.com/reference/data-drift-algorithm
 */
import type { FeatureOverride } from './monitoring';
import type { Page } from './pages';

export type { Page };

/** Kind of a monitored feature. */
export type FeatureType = 'numeric' | 'categorical';

/** The drift tests the platform computes. */
export type DriftTestName = 'ks' | 'chi-square' | 'wasserstein' | 'jensen-shannon' | 'psi';

/** Whether a test's score is a p-value (small = drift) or a distance (large = drift). */
export type ScoreKind = 'p-value' | 'distance';

/** Category -> count. */
export type CategoryCounts = Readonly<Record<string, number>>;

interface FeatureProfileBase {
  readonly name: string;
  /** Non-missing values. */
  readonly count: number;
  /** Missing values (null, empty, NaN) in the training data. */
  readonly missing: number;
  /** The test/threshold/type override recorded at build time. */
  readonly override?: FeatureOverride;
}

/** A numeric feature of the reference. */
export interface NumericFeatureProfile extends FeatureProfileBase {
  readonly type: 'numeric';
  readonly statistics: {
    readonly min: number;
    readonly max: number;
    readonly mean: number;
    readonly std: number;
  };
  /** Decile bins (numpy quantiles, duplicates dropped) and their counts, for reading. */
  readonly deciles: { readonly cutPoints: readonly number[]; readonly counts: readonly number[] };
  /** Every value, ascending. */
  readonly sample: readonly number[];
}

/** A categorical feature of the reference. */
export interface CategoricalFeatureProfile extends FeatureProfileBase {
  readonly type: 'categorical';
  readonly counts: CategoryCounts;
}

export type FeatureProfileEntry = NumericFeatureProfile | CategoricalFeatureProfile;

/** A model version's reference profile. */
export interface ReferenceProfile {
  readonly schemaVersion: 1;
  readonly modelName: string;
  /** Absent for an ad-hoc reference given inline to an on-demand check. */
  readonly modelVersion?: number;
  readonly createdAt: string;
  /** Where the training data came from (an `s3://` URI or `inline`). */
  readonly source: string;
  readonly rowCount: number;
  /** In the order CSV capture columns carry them. */
  readonly features: readonly FeatureProfileEntry[];
}

/** A profile as the API shows it and the HTML page describes it: numeric features without their sample. */
export interface DescribedProfile extends Omit<ReferenceProfile, 'features'> {
  readonly features: Array<Omit<NumericFeatureProfile, 'sample'> | CategoricalFeatureProfile>;
}

/** `POST` (201) and `GET .../reference-profile`: where the profile is stored, and the profile. */
export interface ReferenceProfileReply {
  readonly uri: string;
  readonly profile: DescribedProfile;
}

/** A feature's verdict. */
export interface FeatureDriftVerdict {
  readonly feature: string;
  readonly drifted: boolean;
}

/** One feature's drift outcome, ready for a report and a metric. */
export interface FeatureDriftResult extends FeatureDriftVerdict {
  readonly type: FeatureType;
  readonly test: DriftTestName;
  readonly scoreKind: ScoreKind;
  /** The number compared with the threshold: the p-value, or the distance. */
  readonly score: number;
  readonly threshold: number;
  /** The test statistic: KS D, chi-square, PSI, Jensen-Shannon or normalised Wasserstein distance. */
  readonly statistic: number;
  /** Present for the p-value tests. */
  readonly pValue?: number;
  readonly referenceSize: number;
  readonly currentSize: number;
}

/** The dataset-level verdict. */
export interface DatasetDriftResult {
  readonly drifted: boolean;
  /** Drifted features / all features. */
  readonly driftShare: number;
  readonly driftShareThreshold: number;
  readonly numberOfFeatures: number;
  readonly numberOfDriftedFeatures: number;
  readonly driftedFeatures: readonly string[];
}

/** Bars of one feature's chart: the same bins for reference and current, as proportions. */
export interface Histogram {
  /** Bin labels: `[lo, hi)` ranges or category names. */
  readonly labels: readonly string[];
  readonly reference: readonly number[];
  readonly current: readonly number[];
}

/** One feature of a report. */
export interface FeatureReport extends FeatureDriftResult {
  readonly missing: number;
  readonly invalid: number;
  readonly histogram: Histogram;
}

/** A feature left out of the verdict, and why (e.g. no current values). */
export interface SkippedFeature {
  readonly feature: string;
  readonly reason: string;
}

/** A drift report, stored as JSON beside its HTML page. */
export interface DriftReport {
  readonly reportId: string;
  readonly kind: 'on-demand' | 'scheduled';
  readonly modelName: string;
  readonly modelVersion?: number;
  readonly createdAt: string;
  readonly referenceRows: number;
  readonly currentRows: number;
  /** What the window covered (scheduled checks): capture objects and their range. */
  readonly window?: { readonly files: number; readonly firstKey?: string; readonly lastKey?: string };
  /** Absent when no feature could be tested (e.g. an empty window). */
  readonly dataset?: DatasetDriftResult;
  readonly features: readonly FeatureReport[];
  readonly skipped: readonly SkippedFeature[];
  /** Where the report is stored, set once written. */
  readonly location?: { readonly json: string; readonly html: string };
}

/** Metric name -> value. */
export type QualityMetrics = Record<string, number>;

/** The baseline comparison of a quality report. */
export interface QualityComparison {
  readonly metric: string;
  readonly current: number;
  /** Absent when the version registered no such metric. */
  readonly baseline?: number;
  /** (baseline - current) / |baseline|, sign flipped for lower-is-better metrics: > 0 is worse. */
  readonly relativeDrop?: number;
  readonly maxRelativeDrop: number;
  readonly degraded: boolean;
}

/** A stored quality report. */
export interface QualityReport {
  readonly reportId: string;
  readonly kind: 'quality';
  readonly modelName: string;
  readonly modelVersion: number;
  readonly createdAt: string;
  readonly window: {
    readonly from: string;
    readonly to: string;
    readonly files: number;
    readonly records: number;
  };
  /** Records whose prediction had a label. */
  readonly joined: number;
  readonly metrics: QualityMetrics;
  readonly comparison: QualityComparison;
  readonly location?: { readonly json: string };
}

/** A report as listed per model. */
export interface ReportEntry {
  readonly reportId: string;
  readonly modelName: string;
  readonly kind: DriftReport['kind'] | 'quality';
  readonly createdAt: string;
  readonly drifted?: boolean;
  readonly degraded?: boolean;
  readonly driftShare?: number;
  readonly location: { readonly json: string; readonly html?: string };
}

/** `POST .../ground-truth`: how many labels were stored. */
export interface GroundTruthReply {
  readonly modelName: string;
  readonly accepted: number;
  /**
   * Outcomes the labels added to running experiments' ground-truth metrics (replays not counted);
   * absent where the platform feeds no experiment.
   */
  readonly experimentOutcomes?: number;
}

/** What a scheduled check did. */
export type CheckOutcome =
  | { readonly status: 'NO_NEW_CAPTURE'; readonly modelName: string }
  | { readonly status: 'CHECK_IN_PROGRESS'; readonly modelName: string; readonly runId: string }
  | { readonly status: 'REPORTED'; readonly modelName: string; readonly report: DriftReport }
  | {
      readonly status: 'FANNED_OUT';
      readonly modelName: string;
      readonly runId: string;
      readonly executionArn: string;
      readonly files: number;
    };
