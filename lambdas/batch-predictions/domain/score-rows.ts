/**
 * Scores one batch of rows and accounts for each: a row with its key and every feature as a finite
 * number is scored; any other row, or one the model answers with a non-finite score, becomes a
 * dead-letter row naming where it came from and why. Scored + refused = the batch, always.
 * The model is run once over the good rows; if it throws, each row runs alone, so one poisoned
 * row is dead-lettered without taking its batch with it.
 */

/** Where a row came from: the object and its line (CSV, JSON Lines) or row group and index. */
export interface RowSource {
  readonly object: string;
  readonly line?: number;
  readonly rowGroup?: number;
  /** The row's index in the input (0-based, over the whole input). */
  readonly index: number;
}

export interface InputRow {
  readonly index: number;
  readonly row: Record<string, unknown>;
  readonly source: RowSource;
}

export interface PredictionRow {
  readonly key: unknown;
  readonly prediction: number;
}

export interface DeadLetterRow {
  readonly key: unknown;
  readonly source: RowSource;
  readonly reason: string;
}

export interface ScoredBatch {
  readonly predictions: PredictionRow[];
  readonly deadLetters: DeadLetterRow[];
}

/** Runs the model over rows of features (model input order); one score per row. */
export type Score = (features: number[][]) => number[];

/** The value as a number: numbers, and strings that are exactly a finite decimal (CSV cells). */
function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function featuresOf(row: Record<string, unknown>, names: readonly string[]): number[] | string {
  const out: number[] = [];
  for (const name of names) {
    if (!(name in row)) return `missing feature ${name}`;
    const n = numberOf(row[name]);
    if (n === undefined)
      return `feature ${name} is not a finite number: ${JSON.stringify(row[name])?.slice(0, 64)}`;
    out.push(n);
  }
  return out;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

/** A row the model may take (its key and features in model order), or why it may not. */
export type CheckedRow =
  | { readonly key: unknown; readonly features: number[] }
  | { readonly key: unknown; readonly reason: string };

/** Checks a row before any model sees it: a key, and every feature a finite number. */
export function checkRow(
  row: Record<string, unknown>,
  keyColumn: string,
  featureNames: readonly string[],
): CheckedRow {
  const key = row[keyColumn];
  if (key === undefined || key === null || key === '')
    return { key: null, reason: `missing key column ${keyColumn}` };
  const features = featuresOf(row, featureNames);
  return typeof features === 'string' ? { key, reason: features } : { key, features };
}

export function scoreRows(
  rows: readonly InputRow[],
  keyColumn: string,
  featureNames: readonly string[],
  score: Score,
): ScoredBatch {
  const deadLetters: DeadLetterRow[] = [];
  const good: Array<{ key: unknown; features: number[]; source: RowSource }> = [];
  for (const { row, source } of rows) {
    const checked = checkRow(row, keyColumn, featureNames);
    if ('reason' in checked) deadLetters.push({ ...checked, source });
    else good.push({ ...checked, source });
  }
  const predictions: PredictionRow[] = [];
  const accept = (r: (typeof good)[number], prediction: number) => {
    if (Number.isFinite(prediction)) predictions.push({ key: r.key, prediction });
    else deadLetters.push({ key: r.key, source: r.source, reason: `the model returned ${prediction}` });
  };
  if (good.length === 0) return { predictions, deadLetters };
  let scores: number[] | undefined;
  try {
    scores = score(good.map((r) => r.features));
  } catch {
    scores = undefined;
  }
  if (scores && scores.length === good.length) {
    good.forEach((r, i) => {
      accept(r, scores[i]);
    });
  } else {
    for (const r of good) {
      try {
        accept(r, score([r.features])[0]);
      } catch (err) {
        deadLetters.push({
          key: r.key,
          source: r.source,
          reason: `the model refused the row: ${message(err)}`,
        });
      }
    }
  }
  return { predictions, deadLetters };
}
