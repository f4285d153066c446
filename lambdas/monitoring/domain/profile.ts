/**
 * Reference profiles: what a model version's training data looked like, per feature, kept so that
 * every later drift check compares with exactly the same reference. A numeric feature keeps its
 * whole sorted sample (KS and Wasserstein need every value to be exact; quantile bins for PSI and
 * Jensen-Shannon are cut from it on demand) plus summary statistics and deciles to read; a
 * categorical one keeps its counts. Plain JSON, stored in S3 and linked from the registry version.
 */
import type { FeatureOverride } from '../../../contracts/monitoring';
import { MAX_PROFILE_ROWS } from '../../../contracts/monitoring';
import { BadRequestError } from '../../shared/errors';
import { type CategoryCounts, countCategories } from './categories';
import { type Column, type Row, toColumns } from './columns';
import { numpyStd, numpySum, sortedCopy } from './numeric';
import { countInBins, quantileBins } from './psi';

export const PROFILE_SCHEMA_VERSION = 1;

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
  readonly schemaVersion: typeof PROFILE_SCHEMA_VERSION;
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

/** Inputs of {@link buildProfile}. */
export interface BuildProfileInput {
  readonly modelName: string;
  readonly modelVersion?: number;
  readonly source: string;
  readonly createdAt: string;
  readonly rows: readonly Row[];
  readonly features?: readonly string[];
  readonly exclude?: readonly string[];
  readonly overrides?: Readonly<Record<string, FeatureOverride>>;
}

/**
 * Builds a profile from training rows.
 * @throws BadRequestError `TOO_MANY_ROWS` above `MAX_PROFILE_ROWS`, `EMPTY_FEATURE` for a feature
 *   with no value at all, `NO_FEATURES` when there is nothing to profile
 */
export function buildProfile(input: BuildProfileInput): ReferenceProfile {
  if (input.rows.length > MAX_PROFILE_ROWS) {
    throw new BadRequestError(
      'TOO_MANY_ROWS',
      `a profile is built from at most ${MAX_PROFILE_ROWS} rows, got ${input.rows.length}`,
    );
  }
  const overrides = input.overrides ?? {};
  const types = Object.fromEntries(Object.entries(overrides).map(([name, o]) => [name, o.type]));
  const columns = toColumns(input.rows, { features: input.features, exclude: input.exclude, types });
  return {
    schemaVersion: PROFILE_SCHEMA_VERSION,
    modelName: input.modelName,
    ...(input.modelVersion === undefined ? {} : { modelVersion: input.modelVersion }),
    createdAt: input.createdAt,
    source: input.source,
    rowCount: input.rows.length,
    features: columns.map((c) => profileColumn(c, overrides[c.name])),
  };
}

function profileColumn(column: Column, override: FeatureOverride | undefined): FeatureProfileEntry {
  if (column.values.length === 0) {
    throw new BadRequestError('EMPTY_FEATURE', `feature ${column.name} has no values in the reference data`, {
      details: { feature: column.name },
    });
  }
  const base = { name: column.name, count: column.values.length, missing: column.missing };
  const withOverride = override ? { override } : {};
  if (column.type === 'categorical') {
    return {
      ...base,
      type: 'categorical',
      counts: countCategories(column.values, 'reference'),
      ...withOverride,
    };
  }
  const sample = Array.from(sortedCopy(column.values));
  const bins = quantileBins(sample);
  return {
    ...base,
    type: 'numeric',
    statistics: {
      min: sample[0],
      max: sample[sample.length - 1],
      mean: numpySum(sample) / sample.length,
      std: numpyStd(sample),
    },
    deciles: { cutPoints: bins.cutPoints, counts: countInBins(sample, bins, 'reference') },
    sample,
    ...withOverride,
  };
}

/** A profile's feature by name. @throws BadRequestError `UNKNOWN_FEATURE` */
export function profileFeature(profile: ReferenceProfile, name: string): FeatureProfileEntry {
  const found = profile.features.find((f) => f.name === name);
  if (!found) throw new BadRequestError('UNKNOWN_FEATURE', `the reference profile has no feature ${name}`);
  return found;
}

/** A profile without its samples: what the API returns and the HTML page describes. */
export function describeProfile(profile: ReferenceProfile) {
  return {
    ...profile,
    features: profile.features.map((f) => {
      if (f.type !== 'numeric') return f;
      const { sample: _, ...described } = f;
      return described;
    }),
  };
}
