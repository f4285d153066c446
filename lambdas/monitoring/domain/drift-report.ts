/**
 * A drift report from a reference profile and a current window summary: per feature the selected
 * test (Evidently's defaults or the override), its statistic, score and verdict, the histograms a
 * person looks at, then the dataset verdict. Every statistic comes from the summaries, so a single
 * Lambda and a fanned-out check give the same numbers; on the same data they equal
 * `detectFeatureDrift` (tested).
 * @see https://docs-old.evidentlyai.com/reference/data-drift-algorithm
 */
import type { FeatureOverride } from '../../../contracts/monitoring';
import type {
  DriftReport,
  FeatureReport,
  Histogram,
  SkippedFeature,
} from '../../../contracts/monitoring-reports';
import { numpyStd } from '../../shared/numeric';
import type { CategoryCounts } from './categories';
import { chiSquareFromCounts } from './chi-square';
import type { CurrentFeature, CurrentSummary } from './current-summary';
import { categoricalJensenShannonFromCounts, jensenShannonFromCounts } from './jensen-shannon';
import { ks2sampSorted } from './ks';
import type { FeatureProfileEntry, ReferenceProfile } from './profile';
import { categoricalPsiFromCounts, countInBins, psiFromCounts, quantileBins } from './psi';
import { datasetDrift, isDrifted, selectTest } from './select-test';
import { MIN_NORMALISING_STD, wassersteinDistanceSorted } from './wasserstein';

export type { DriftReport, FeatureReport, Histogram, SkippedFeature };

/** Options of {@link computeDriftReport}. */
export interface DriftReportOptions {
  readonly reportId: string;
  readonly kind: DriftReport['kind'];
  readonly createdAt: string;
  readonly overrides?: Readonly<Record<string, FeatureOverride>>;
  /** @default 0.5 */
  readonly driftShareThreshold?: number;
  readonly window?: DriftReport['window'];
}

const HISTOGRAM_BINS = 20;
const HISTOGRAM_CATEGORIES = 20;

/** Computes the report. Bad overrides are 400s (`INVALID_DRIFT_TEST`, `INVALID_THRESHOLD`). */
export function computeDriftReport(
  profile: ReferenceProfile,
  current: CurrentSummary,
  options: DriftReportOptions,
): DriftReport {
  const features: FeatureReport[] = [];
  const skipped: SkippedFeature[] = [];
  for (const feature of profile.features) {
    const cur = current.features[feature.name];
    const size = cur
      ? cur.summary.kind === 'sample'
        ? cur.summary.values.length
        : countTotal(cur.summary.counts)
      : 0;
    if (!cur || size === 0) {
      skipped.push({ feature: feature.name, reason: 'no current values' });
      continue;
    }
    const override = { ...feature.override, ...options.overrides?.[feature.name] };
    features.push(featureReport(feature, cur, override));
  }
  const dataset =
    features.length > 0
      ? datasetDrift(features, { driftShareThreshold: options.driftShareThreshold })
      : undefined;
  return {
    reportId: options.reportId,
    kind: options.kind,
    modelName: profile.modelName,
    ...(profile.modelVersion === undefined ? {} : { modelVersion: profile.modelVersion }),
    createdAt: options.createdAt,
    referenceRows: profile.rowCount,
    currentRows: current.rowCount,
    ...(options.window ? { window: options.window } : {}),
    ...(dataset ? { dataset } : {}),
    features,
    skipped,
  };
}

function countTotal(counts: CategoryCounts): number {
  let total = 0;
  for (const c of Object.values(counts)) total += c;
  return total;
}

/** Distinct values of two sorted arrays pooled. */
function distinctSorted(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  let j = 0;
  let distinct = 0;
  let last = Number.NaN;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (v !== last) distinct++;
    last = v;
  }
  return distinct;
}

/** Sorted numbers as category counts (`String(v)`, as `detectFeatureDrift` labels them). */
function labelCounts(values: readonly number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) {
    const k = String(v);
    counts[k] = (Object.hasOwn(counts, k) ? counts[k] : 0) + 1;
  }
  return counts;
}

function featureReport(
  ref: FeatureProfileEntry,
  cur: CurrentFeature,
  override: FeatureOverride,
): FeatureReport {
  const overrideTest = { test: override.test, threshold: override.threshold };
  let statistic: number;
  let pValue: number | undefined;
  let referenceSize: number;
  let currentSize: number;
  let choice: ReturnType<typeof selectTest>;
  let histogram: Histogram;
  if (ref.type === 'numeric' && cur.summary.kind === 'sample') {
    const r = ref.sample;
    const c = cur.summary.values;
    referenceSize = r.length;
    currentSize = c.length;
    choice = selectTest(
      { name: ref.name, type: 'numeric', referenceSize, distinctValues: distinctSorted(r, c) },
      overrideTest,
    );
    histogram = numericHistogram(r, c);
    if (choice.treatAsCategorical) {
      const counts = [labelCounts(r), labelCounts(c)] as const;
      if (choice.test === 'chi-square') {
        ({ statistic, pValue } = chiSquareFromCounts(counts[0], counts[1]));
      } else {
        statistic = categoricalJensenShannonFromCounts(counts[0], counts[1]).statistic;
      }
    } else if (choice.test === 'ks') {
      ({ statistic, pValue } = ks2sampSorted(r, c));
    } else if (choice.test === 'wasserstein') {
      statistic = wassersteinDistanceSorted(r, c) / Math.max(numpyStd(r), MIN_NORMALISING_STD);
    } else {
      const bins = quantileBins(r);
      const rc = countInBins(r, bins, 'reference');
      const cc = countInBins(c, bins, 'current');
      statistic = choice.test === 'psi' ? psiFromCounts(rc, cc) : jensenShannonFromCounts(rc, cc);
    }
  } else if (ref.type === 'categorical' && cur.summary.kind === 'categorical') {
    const counts = cur.summary.counts;
    referenceSize = countTotal(ref.counts);
    currentSize = countTotal(counts);
    const distinct = new Set([...Object.keys(ref.counts), ...Object.keys(counts)]).size;
    choice = selectTest(
      { name: ref.name, type: 'categorical', referenceSize, distinctValues: distinct },
      overrideTest,
    );
    histogram = categoricalHistogram(ref.counts, counts);
    if (choice.test === 'chi-square') ({ statistic, pValue } = chiSquareFromCounts(ref.counts, counts));
    else if (choice.test === 'psi') statistic = categoricalPsiFromCounts(ref.counts, counts).statistic;
    else statistic = categoricalJensenShannonFromCounts(ref.counts, counts).statistic;
  } else {
    throw new Error(`feature ${ref.name}: summary kind does not match the profile`);
  }
  const score = pValue ?? statistic;
  return {
    feature: ref.name,
    type: ref.type,
    test: choice.test,
    scoreKind: choice.scoreKind,
    score,
    threshold: choice.threshold,
    drifted: isDrifted(choice.scoreKind, score, choice.threshold),
    statistic,
    ...(pValue === undefined ? {} : { pValue }),
    referenceSize,
    currentSize,
    missing: cur.missing,
    invalid: cur.invalid,
    histogram,
  };
}

/** Equal-width bins over the pooled range: a picture, not a statistic. */
function numericHistogram(r: readonly number[], c: readonly number[]): Histogram {
  const lo = Math.min(r[0], c[0]);
  const hi = Math.max(r[r.length - 1], c[c.length - 1]);
  const bins = lo === hi ? 1 : HISTOGRAM_BINS;
  const width = (hi - lo) / bins;
  const count = (values: readonly number[]) => {
    const out = new Array<number>(bins).fill(0);
    for (const v of values) out[Math.min(bins - 1, width === 0 ? 0 : Math.floor((v - lo) / width))]++;
    return out.map((n) => n / values.length);
  };
  const fmt = (x: number) => Number(x.toPrecision(4)).toString();
  const labels = Array.from(
    { length: bins },
    (_, i) => `[${fmt(lo + i * width)}, ${fmt(lo + (i + 1) * width)})`,
  );
  return { labels, reference: count(r), current: count(c) };
}

/** The most frequent categories (reference and current pooled), the rest as `(other)`. */
function categoricalHistogram(r: CategoryCounts, c: CategoryCounts): Histogram {
  const rt = countTotal(r);
  const ct = countTotal(c);
  const share = (counts: CategoryCounts, total: number, k: string) =>
    (Object.hasOwn(counts, k) ? counts[k] : 0) / total;
  const all = [...new Set([...Object.keys(r), ...Object.keys(c)])].sort(
    (a, b) => share(r, rt, b) + share(c, ct, b) - (share(r, rt, a) + share(c, ct, a)) || (a < b ? -1 : 1),
  );
  const top = all.slice(0, HISTOGRAM_CATEGORIES);
  const rest = all.slice(HISTOGRAM_CATEGORIES);
  const labels = rest.length ? [...top, '(other)'] : top;
  const bars = (counts: CategoryCounts, total: number) => {
    const out = top.map((k) => share(counts, total, k));
    if (rest.length) out.push(rest.reduce((s, k) => s + share(counts, total, k), 0));
    return out;
  };
  return { labels, reference: bars(r, rt), current: bars(c, ct) };
}
