/**
 * Reference profiles: what a model version's training data looked like, per feature, kept so that
 * every later drift check compares with exactly the same reference. A numeric feature keeps its
 * whole sorted sample (KS and Wasserstein need every value to be exact; quantile bins for PSI and
 * Jensen-Shannon are cut from it on demand) plus summary statistics and deciles to read; a
 * categorical one keeps its counts. Plain JSON, stored in S3 and linked from the registry version.
 */
import type { FeatureOverride } from '../../../contracts/monitoring';
import { MAX_PROFILE_ROWS } from '../../../contracts/monitoring-names';
import type {
  CategoricalFeatureProfile,
  DescribedProfile,
  FeatureProfileEntry,
  NumericFeatureProfile,
  ReferenceProfile,
} from '../../../contracts/monitoring-reports';
import { BadRequestError } from '../../shared/errors';
import { numpyStd, numpySum, sortedCopy } from '../../shared/numeric';
import { countCategories } from './categories';
import { type Column, type Row, toColumns } from './columns';
import { countInBins, quantileBins } from './psi';

export const PROFILE_SCHEMA_VERSION = 1;

export type {
  CategoricalFeatureProfile,
  DescribedProfile,
  FeatureProfileEntry,
  NumericFeatureProfile,
  ReferenceProfile,
};

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
export function describeProfile(profile: ReferenceProfile): DescribedProfile {
  return {
    ...profile,
    features: profile.features.map((f) => {
      if (f.type !== 'numeric') return f;
      const { sample: _, ...described } = f;
      return described;
    }),
  };
}
