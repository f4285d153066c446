/**
 * The current window as mergeable per-feature summaries (`summary.ts`): sorted samples for numeric
 * features, counts for categorical ones, typed by the reference profile. One capture file gives
 * one summary; a Distributed Map's shards merge to exactly the summary of one pass over all files
 * (sorted merge and integer sums), so the drift report is the same bit for bit.
 */

import type { Row } from './columns';
import { IncompatibleSummariesError } from './errors';
import type { ReferenceProfile } from './profile';
import { type CategoricalSummary, merge, type SampleSummary } from './summary';

/** One feature of the current window. */
export interface CurrentFeature {
  readonly summary: SampleSummary | CategoricalSummary;
  /** Missing values (null, empty, NaN). */
  readonly missing: number;
  /** Values of the wrong type for the reference (e.g. text in a numeric feature), left out. */
  readonly invalid: number;
}

/** The current window of one check, mergeable with another of the same profile. */
export interface CurrentSummary {
  readonly rowCount: number;
  /** Capture records (or rows) read. */
  readonly records: number;
  readonly features: Readonly<Record<string, CurrentFeature>>;
}

const isMissing = (v: unknown): boolean =>
  v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));

/** Summarises rows against the profile's features and types; other columns are ignored. */
export function summarizeCurrent(
  rows: readonly Row[],
  profile: ReferenceProfile,
  records = rows.length,
): CurrentSummary {
  const features: Record<string, CurrentFeature> = {};
  for (const feature of profile.features) {
    let missing = 0;
    let invalid = 0;
    if (feature.type === 'numeric') {
      const values: number[] = [];
      for (const row of rows) {
        const v = row[feature.name];
        if (isMissing(v)) missing++;
        else if (typeof v === 'number' && Number.isFinite(v)) values.push(v);
        else invalid++;
      }
      values.sort((a, b) => a - b);
      features[feature.name] = { summary: { kind: 'sample', values }, missing, invalid };
    } else {
      const counts = new Map<string, number>();
      for (const row of rows) {
        const v = row[feature.name];
        if (isMissing(v)) missing++;
        else if (typeof v === 'object') invalid++;
        else counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      }
      features[feature.name] = {
        summary: { kind: 'categorical', counts: Object.fromEntries(counts) },
        missing,
        invalid,
      };
    }
  }
  return { rowCount: rows.length, records, features };
}

/** An empty window for the profile: the identity of {@link mergeCurrent}. */
export function emptyCurrent(profile: ReferenceProfile): CurrentSummary {
  return summarizeCurrent([], profile, 0);
}

/**
 * Merges two windows of the same profile. Associative and commutative.
 * @throws IncompatibleSummariesError when their features differ
 */
export function mergeCurrent(a: CurrentSummary, b: CurrentSummary): CurrentSummary {
  const names = Object.keys(a.features);
  if (names.length !== Object.keys(b.features).length || names.some((n) => !(n in b.features))) {
    throw new IncompatibleSummariesError('cannot merge window summaries of different features');
  }
  const features: Record<string, CurrentFeature> = {};
  for (const name of names) {
    const x = a.features[name];
    const y = b.features[name];
    features[name] = {
      summary: merge(x.summary, y.summary),
      missing: x.missing + y.missing,
      invalid: x.invalid + y.invalid,
    };
  }
  return { rowCount: a.rowCount + b.rowCount, records: a.records + b.records, features };
}
