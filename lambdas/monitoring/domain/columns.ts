/**
 * Rows (training data, captured requests, feature-store records) to per-feature columns. Missing
 * values (null, undefined, '', NaN) are dropped from a feature's column and counted, because every
 * drift test refuses NaN; booleans are categories (`"true"`, `"false"`).
 */
import { BadRequestError } from '../../shared/errors';
import type { FeatureType } from './select-test';

/** One row: feature name to value. */
export type Row = Readonly<Record<string, unknown>>;

/** One feature's non-missing values. */
export type Column =
  | { readonly name: string; readonly type: 'numeric'; readonly values: number[]; readonly missing: number }
  | {
      readonly name: string;
      readonly type: 'categorical';
      readonly values: string[];
      readonly missing: number;
    };

/** Options of {@link toColumns}. */
export interface ColumnOptions {
  /** @default - every key of the rows but `exclude`, in first-seen order */
  readonly features?: readonly string[];
  /** @default - none */
  readonly exclude?: readonly string[];
  /** Types to force. @default - numeric when every present value is a finite number */
  readonly types?: Readonly<Record<string, FeatureType | undefined>>;
}

const isMissing = (v: unknown): boolean =>
  v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));

/** Feature names of rows: first-seen key order, minus `exclude`. */
export function featureNames(rows: readonly Row[], exclude: readonly string[] = []): string[] {
  const skip = new Set(exclude);
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) if (!skip.has(key)) seen.add(key);
  return [...seen];
}

/**
 * Splits rows into typed columns.
 * @throws BadRequestError `NO_FEATURES` when nothing is left to profile, `INVALID_VALUE` for a
 *   non-number in a column forced numeric, or an object/array value
 */
export function toColumns(rows: readonly Row[], options: ColumnOptions = {}): Column[] {
  const names = options.features ?? featureNames(rows, options.exclude);
  if (names.length === 0) throw new BadRequestError('NO_FEATURES', 'the data has no feature columns');
  return names.map((name) => {
    const present: unknown[] = [];
    let missing = 0;
    for (const row of rows) {
      const v = row[name];
      if (isMissing(v)) missing++;
      else present.push(v);
    }
    const forced = options.types?.[name];
    const numeric = forced ? forced === 'numeric' : present.length > 0 && present.every(isFiniteNumber);
    if (numeric) {
      const values = present.map((v, i) => {
        if (!isFiniteNumber(v)) {
          throw new BadRequestError(
            'INVALID_VALUE',
            `feature ${name} is numeric but has ${JSON.stringify(v)}`,
            {
              details: { feature: name, index: i },
            },
          );
        }
        return v;
      });
      return { name, type: 'numeric', values, missing };
    }
    const values = present.map((v) => {
      if (typeof v === 'object') {
        throw new BadRequestError('INVALID_VALUE', `feature ${name} holds a nested value`, {
          details: { feature: name },
        });
      }
      return String(v);
    });
    return { name, type: 'categorical', values, missing };
  });
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
