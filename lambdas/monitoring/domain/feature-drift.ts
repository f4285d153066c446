/**
 * Runs the selected drift test on one feature's reference and current samples and reads the
 * verdict: the glue between {@link selectTest} and the statistics, used by the on-demand route and
 * by single-Lambda scheduled checks. (A fanned-out check merges shard summaries instead and calls
 * the `...FromSummaries` functions of `summary.ts` with the same choice.)
 * @see https://docs-old.evidentlyai.com/reference/data-drift-algorithm
 */
import type { FeatureDriftResult } from '../../../contracts/monitoring-reports';
import { chiSquare } from './chi-square';
import { assertCategoricalSample, assertFiniteSample } from './errors';
import { categoricalJensenShannon, jensenShannon } from './jensen-shannon';
import { ks2samp } from './ks';
import { categoricalPsi, psi } from './psi';
import { type FeatureTestOverride, isDrifted, selectTest } from './select-test';
import { normalisedWassersteinDistance } from './wasserstein';

/** One feature to test. Numeric features carry numbers, categorical ones strings. */
export type FeatureSamples =
  | {
      readonly name: string;
      readonly type: 'numeric';
      readonly reference: ArrayLike<number>;
      readonly current: ArrayLike<number>;
    }
  | {
      readonly name: string;
      readonly type: 'categorical';
      readonly reference: ArrayLike<string>;
      readonly current: ArrayLike<string>;
    };

/** Options of {@link detectFeatureDrift}. */
export interface FeatureDriftOptions extends FeatureTestOverride {
  /**
   * Reference-quantile bins for numeric PSI and Jensen-Shannon.
   * @default 10
   */
  readonly bins?: number;
}

export type { FeatureDriftResult };

function distinctCount(a: ArrayLike<number | string>, b: ArrayLike<number | string>): number {
  const seen = new Set<number | string>();
  for (let i = 0; i < a.length; i++) seen.add(a[i]);
  for (let i = 0; i < b.length; i++) seen.add(b[i]);
  return seen.size;
}

/** Numbers as category labels (`String(0.5)` = "0.5"; -0 and 0 both become "0"). */
const labels = (values: ArrayLike<number>): string[] => Array.from(values, (v) => String(v));

/**
 * Selects the test for a feature (defaults or `options`), runs it and reads the verdict.
 * @throws InvalidSampleError on an empty sample or NaN / Infinity / non-string values
 * @throws BadRequestError for an override that does not fit the feature
 * @see https://docs-old.evidentlyai.com/reference/data-drift-algorithm
 */
export function detectFeatureDrift(
  feature: FeatureSamples,
  options: FeatureDriftOptions = {},
): FeatureDriftResult {
  if (feature.type === 'numeric') {
    assertFiniteSample(feature.reference, 'reference');
    assertFiniteSample(feature.current, 'current');
  } else {
    assertCategoricalSample(feature.reference, 'reference');
    assertCategoricalSample(feature.current, 'current');
  }
  const choice = selectTest(
    {
      name: feature.name,
      type: feature.type,
      referenceSize: feature.reference.length,
      distinctValues: distinctCount(feature.reference, feature.current),
    },
    options,
  );
  const categorical =
    feature.type === 'categorical'
      ? { reference: feature.reference, current: feature.current }
      : choice.treatAsCategorical
        ? { reference: labels(feature.reference), current: labels(feature.current) }
        : undefined;
  let statistic: number;
  let pValue: number | undefined;
  switch (choice.test) {
    case 'ks': {
      const r = ks2samp(feature.reference as ArrayLike<number>, feature.current as ArrayLike<number>);
      statistic = r.statistic;
      pValue = r.pValue;
      break;
    }
    case 'chi-square': {
      const r = chiSquare(categorical!.reference, categorical!.current);
      statistic = r.statistic;
      pValue = r.pValue;
      break;
    }
    case 'wasserstein':
      statistic = normalisedWassersteinDistance(
        feature.reference as ArrayLike<number>,
        feature.current as ArrayLike<number>,
      );
      break;
    case 'jensen-shannon':
      statistic = categorical
        ? categoricalJensenShannon(categorical.reference, categorical.current).statistic
        : jensenShannon(feature.reference as ArrayLike<number>, feature.current as ArrayLike<number>, options)
            .statistic;
      break;
    case 'psi':
      statistic =
        feature.type === 'categorical'
          ? categoricalPsi(feature.reference, feature.current).statistic
          : psi(feature.reference, feature.current, options).statistic;
      break;
  }
  const score = pValue ?? statistic;
  return {
    feature: feature.name,
    type: feature.type,
    test: choice.test,
    scoreKind: choice.scoreKind,
    score,
    threshold: choice.threshold,
    drifted: isDrifted(choice.scoreKind, score, choice.threshold),
    statistic,
    ...(pValue === undefined ? {} : { pValue }),
    referenceSize: feature.reference.length,
    currentSize: feature.current.length,
  };
}
