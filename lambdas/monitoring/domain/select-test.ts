/**
 * Which drift test each feature gets, and the dataset-level verdict, following Evidently's defaults
 * (`_get_default_stattest`) so results read the way data scientists expect:
 *
 * | feature | reference n <= 1000 | reference n > 1000 |
 * |---|---|---|
 * | numeric, > 5 distinct values (pooled) | KS, p < 0.05 | Wasserstein / std(reference) >= 0.1 |
 * | numeric, <= 5 distinct values | chi-square, p < 0.05 | Jensen-Shannon >= 0.1 |
 * | categorical | chi-square, p < 0.05 | Jensen-Shannon >= 0.1 |
 *
 * Differences from Evidently, on purpose: binary features (<= 2 distinct values) get chi-square
 * goodness of fit instead of Evidently's two-proportion z-test; PSI's default threshold is 0.2
 * (the platform's seed alert rule "PSI > 0.2"; Evidently uses 0.1). Every feature can override
 * the test and the threshold. Distances drift at `score >= threshold`, p-values at
 * `p < threshold`, as in Evidently.
 * @see https://docs-old.evidentlyai.com/reference/data-drift-algorithm
 */
import type {
  DatasetDriftResult,
  DriftTestName,
  FeatureDriftVerdict,
  FeatureType,
  ScoreKind,
} from '../../../contracts/monitoring-reports';
import { BadRequestError } from '../../shared/errors';

export type { DatasetDriftResult, DriftTestName, FeatureDriftVerdict, FeatureType, ScoreKind };

/** Score kind of each test. */
export const SCORE_KIND: Readonly<Record<DriftTestName, ScoreKind>> = {
  ks: 'p-value',
  'chi-square': 'p-value',
  wasserstein: 'distance',
  'jensen-shannon': 'distance',
  psi: 'distance',
};

/** Default threshold of each test (see the module comment). */
export const DEFAULT_THRESHOLDS: Readonly<Record<DriftTestName, number>> = {
  ks: 0.05,
  'chi-square': 0.05,
  wasserstein: 0.1,
  'jensen-shannon': 0.1,
  psi: 0.2,
};

/** Reference sizes up to this use the statistical tests (KS, chi-square); Evidently's cut-off. */
export const SMALL_REFERENCE_MAX = 1000;
/** Numeric features with at most this many distinct values are tested as categorical. */
export const LOW_CARDINALITY_MAX = 5;
/** Default share of drifted features at which the dataset is declared drifted (Evidently). */
export const DEFAULT_DRIFT_SHARE_THRESHOLD = 0.5;

/** A per-feature override of the default test and/or threshold. */
export interface FeatureTestOverride {
  /** @default - chosen by feature type and reference size */
  readonly test?: DriftTestName;
  /** @default - `DEFAULT_THRESHOLDS[test]` */
  readonly threshold?: number;
}

/** What the selection looks at. */
export interface FeatureProfile {
  /** Feature name, used in error messages. */
  readonly name: string;
  readonly type: FeatureType;
  /** Number of reference values. */
  readonly referenceSize: number;
  /** Distinct values over reference and current pooled (Evidently's `nunique` of both). */
  readonly distinctValues: number;
}

/** The chosen test, threshold and how to read the score. */
export interface TestChoice {
  readonly test: DriftTestName;
  readonly threshold: number;
  readonly scoreKind: ScoreKind;
  /**
   * True when a numeric feature is tested over its values as categories: always for chi-square,
   * and for Jensen-Shannon when it has <= 5 distinct values. Otherwise PSI and Jensen-Shannon use
   * the reference's quantile bins.
   */
  readonly treatAsCategorical: boolean;
}

function defaultTest(profile: FeatureProfile): DriftTestName {
  const categorical = profile.type === 'categorical' || profile.distinctValues <= LOW_CARDINALITY_MAX;
  if (profile.referenceSize <= SMALL_REFERENCE_MAX) return categorical ? 'chi-square' : 'ks';
  return categorical ? 'jensen-shannon' : 'wasserstein';
}

/**
 * Chooses the test and threshold for a feature: the override where given, Evidently's defaults
 * otherwise.
 * @throws BadRequestError `INVALID_DRIFT_TEST` for a test that does not fit the feature type, or
 *   `INVALID_THRESHOLD` for a p-value threshold outside (0, 1) or a distance threshold <= 0
 * @see https://docs-old.evidentlyai.com/reference/data-drift-algorithm
 */
export function selectTest(profile: FeatureProfile, override: FeatureTestOverride = {}): TestChoice {
  const test = override.test ?? defaultTest(profile);
  if (!(test in SCORE_KIND)) {
    throw new BadRequestError(
      'INVALID_DRIFT_TEST',
      `unknown drift test "${test}" for feature ${profile.name}`,
    );
  }
  if (profile.type === 'categorical' && (test === 'ks' || test === 'wasserstein')) {
    throw new BadRequestError(
      'INVALID_DRIFT_TEST',
      `${test} needs a numeric feature, but ${profile.name} is categorical`,
    );
  }
  const scoreKind = SCORE_KIND[test];
  const threshold = override.threshold ?? DEFAULT_THRESHOLDS[test];
  const valid =
    scoreKind === 'p-value' ? threshold > 0 && threshold < 1 : threshold > 0 && Number.isFinite(threshold);
  if (!valid) {
    const range = scoreKind === 'p-value' ? '(0, 1)' : '> 0';
    throw new BadRequestError(
      'INVALID_THRESHOLD',
      `threshold for feature ${profile.name} (${test}) must be ${range}, got ${threshold}`,
    );
  }
  // Evidently bins a low-cardinality numeric feature by its values; chi-square needs categories.
  const treatAsCategorical =
    profile.type === 'numeric' &&
    (test === 'chi-square' || (test === 'jensen-shannon' && profile.distinctValues <= LOW_CARDINALITY_MAX));
  return { test, threshold, scoreKind, treatAsCategorical };
}

/**
 * Whether a score crosses its threshold: p < threshold for p-values, score >= threshold for distances.
 * @see https://docs-old.evidentlyai.com/reference/data-drift-algorithm
 */
export function isDrifted(scoreKind: ScoreKind, score: number, threshold: number): boolean {
  return scoreKind === 'p-value' ? score < threshold : score >= threshold;
}

/** One feature's outcome, as the dataset verdict needs it. */
/** Options of {@link datasetDrift}. */
export interface DatasetDriftOptions {
  /**
   * Share of drifted features (0..1] at or above which the dataset has drifted.
   * @default 0.5
   */
  readonly driftShareThreshold?: number;
}

/**
 * Dataset drift: the share of drifted features compared with `driftShareThreshold` (drift when
 * share >= threshold, as Evidently's `DatasetDriftMetric`).
 * @throws BadRequestError `NO_FEATURES` for an empty list, `INVALID_THRESHOLD` outside (0, 1]
 * @see https://docs-old.evidentlyai.com/reference/data-drift-algorithm
 */
export function datasetDrift(
  results: readonly FeatureDriftVerdict[],
  { driftShareThreshold = DEFAULT_DRIFT_SHARE_THRESHOLD }: DatasetDriftOptions = {},
): DatasetDriftResult {
  if (!(driftShareThreshold > 0 && driftShareThreshold <= 1)) {
    throw new BadRequestError(
      'INVALID_THRESHOLD',
      `driftShareThreshold must be in (0, 1], got ${driftShareThreshold}`,
    );
  }
  if (results.length === 0) {
    throw new BadRequestError('NO_FEATURES', 'dataset drift needs at least one feature result');
  }
  const driftedFeatures = results.filter((r) => r.drifted).map((r) => r.feature);
  const driftShare = driftedFeatures.length / results.length;
  return {
    drifted: driftShare >= driftShareThreshold,
    driftShare,
    driftShareThreshold,
    numberOfFeatures: results.length,
    numberOfDriftedFeatures: driftedFeatures.length,
    driftedFeatures,
  };
}
