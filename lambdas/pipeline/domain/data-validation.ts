/**
 * Checks a training window before any GPU time is spent on it: enough rows, a label on every row,
 * a null share per column under the limit, values inside the ranges the feature view (and the
 * config) declare, and required features present. Every check runs, so a refusal lists all there
 * is to fix, each with a reason a person can act on.
 */
import type { RetrainingConfig } from '../../../contracts/pipeline';

export type Row = Readonly<Record<string, unknown>>;

/** A feature's declared rules, as the feature view holds them. */
export interface DeclaredFeature {
  readonly name: string;
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
}

export interface ValidationProblem {
  readonly check: 'rowCount' | 'label' | 'nullShare' | 'range' | 'required' | 'type';
  readonly column?: string;
  readonly message: string;
}

export interface ValidationReport {
  readonly valid: boolean;
  readonly rowCount: number;
  /** Feature columns in their order in the data, label and excluded columns left out. */
  readonly features: readonly string[];
  /** Share of null/missing values per feature column. */
  readonly nullShare: Readonly<Record<string, number>>;
  readonly problems: readonly ValidationProblem[];
}

const isMissing = (v: unknown) =>
  v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
/** Values shown in a message: enough to find them, not the whole window. */
const SHOWN = 3;

export function validateTrainingWindow(input: {
  rows: readonly Row[];
  label: string;
  exclude: readonly string[];
  validation: RetrainingConfig['validation'];
  declared?: readonly DeclaredFeature[];
}): ValidationReport {
  const { rows, label, validation } = input;
  const problems: ValidationProblem[] = [];
  if (rows.length < validation.minRows) {
    problems.push({
      check: 'rowCount',
      message: `the window has ${rows.length} rows; at least ${validation.minRows} are required`,
    });
  }
  const skip = new Set([label, ...input.exclude]);
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        if (!skip.has(key)) columns.push(key);
      }
    }
  }
  const unlabelled = rows.filter((r) => isMissing(r[label])).length;
  if (rows.length > 0 && !seen.has(label)) {
    problems.push({ check: 'label', column: label, message: `label column ${label} is not in the data` });
  } else if (unlabelled > 0) {
    problems.push({
      check: 'label',
      column: label,
      message: `${unlabelled} of ${rows.length} rows have no ${label}`,
    });
  }

  const declared = new Map((input.declared ?? []).map((f) => [f.name, f]));
  const nullShare: Record<string, number> = {};
  for (const column of columns) {
    const values = rows.map((r) => r[column]);
    const missing = values.filter(isMissing).length;
    nullShare[column] = rows.length === 0 ? 0 : missing / rows.length;
    const spec = declared.get(column);
    if (spec?.required && missing > 0) {
      problems.push({
        check: 'required',
        column,
        message: `${column} is required but missing in ${missing} rows`,
      });
    } else if (nullShare[column] > validation.maxNullShare) {
      problems.push({
        check: 'nullShare',
        column,
        message: `${column} is null in ${(nullShare[column] * 100).toFixed(1)}% of rows; at most ${(validation.maxNullShare * 100).toFixed(1)}% allowed`,
      });
    }
    const present = values.filter((v) => !isMissing(v));
    const notNumbers = present.filter((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (notNumbers.length > 0) {
      problems.push({
        check: 'type',
        column,
        message: `${column} has ${notNumbers.length} non-numeric values, e.g. ${notNumbers
          .slice(0, SHOWN)
          .map((v) => JSON.stringify(v))
          .join(', ')}`,
      });
      continue;
    }
    const range = { ...pick(spec), ...pick(validation.ranges[column]) };
    const below = range.min === undefined ? [] : (present as number[]).filter((v) => v < range.min!);
    const above = range.max === undefined ? [] : (present as number[]).filter((v) => v > range.max!);
    if (below.length + above.length > 0) {
      const bounds = `[${range.min ?? '-inf'}, ${range.max ?? 'inf'}]`;
      const shown = [...below, ...above].slice(0, SHOWN).join(', ');
      problems.push({
        check: 'range',
        column,
        message: `${below.length + above.length} values of ${column} are outside ${bounds}, e.g. ${shown}`,
      });
    }
  }
  for (const spec of declared.values()) {
    if (spec.required && !seen.has(spec.name) && rows.length > 0) {
      problems.push({
        check: 'required',
        column: spec.name,
        message: `required feature ${spec.name} is not in the data`,
      });
    }
  }
  return { valid: problems.length === 0, rowCount: rows.length, features: columns, nullShare, problems };
}

const pick = (r: { min?: number; max?: number } | undefined) => ({
  ...(r?.min !== undefined ? { min: r.min } : {}),
  ...(r?.max !== undefined ? { max: r.max } : {}),
});

/**
 * Splits rows into training and holdout, deterministically: row i goes to the holdout when a hash
 * of its index and the run id falls under the holdout share, so a retried task makes the same
 * split and two runs make different ones.
 */
export function splitHoldout<T>(
  rows: readonly T[],
  holdoutPercent: number,
  seed: string,
): { train: T[]; holdout: T[] } {
  const train: T[] = [];
  const holdout: T[] = [];
  rows.forEach((row, i) => {
    (fnv1a(`${seed}:${i}`) % 100 < holdoutPercent ? holdout : train).push(row);
  });
  return { train, holdout };
}

/** 32-bit FNV-1a: small, fast, well spread for short keys. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
