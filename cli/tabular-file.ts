/**
 * Rows of a file (`features push`, `drift check --current`): CSV (a header row, RFC 4180 quoting),
 * Parquet, JSON Lines or a JSON array, by the file's extension. CSV holds only text: without a view
 * a numeric-looking cell is a number, as the monitoring routes read CSV; pushed to a feature view,
 * each cell is typed by the view: an entity or feature declared int64 or float64 becomes a number, bool a boolean, a
 * string stays a string even when it looks like a number (a zip code `02134`). A cell that does not
 * fit its type is sent as written, for the platform to refuse with its reason.
 * @see https://www.rfc-editor.org/rfc/rfc4180
 */
import { readFileSync } from 'node:fs';
import { CREATED_TIMESTAMP_FIELD, EVENT_TIMESTAMP_FIELD } from '../contracts/feature-names';
import type { FeatureDtype, FeatureView } from '../contracts/features';
import { csvRecords, parseTabular, type TabularFormat } from '../lambdas/monitoring/domain/tabular';
import { EXIT } from './exit-codes';
import { CliFailure } from './failure';

export type Scalar = string | number | boolean | null;
export type FeatureRow = Record<string, Scalar>;

type ColumnType = FeatureDtype | 'eventTime';

/**
 * Reads `file` into rows, CSV cells typed by `view` when one is given.
 * @throws CliFailure (usage) for an unknown extension or a file that does not parse
 */
export async function readRowsFile(
  file: string,
  view?: Pick<FeatureView, 'entities' | 'features'>,
): Promise<FeatureRow[]> {
  const ext = /\.(csv|parquet|jsonl|ndjson|json)$/i.exec(file)?.[1].toLowerCase();
  if (!ext) throw new CliFailure(`${file}: give a .csv, .parquet, .jsonl or .json file`, EXIT.USAGE);
  const bytes = readFileSync(file);
  if (ext === 'csv' && view) return typedCsvRows(bytes.toString('utf8'), view);
  try {
    return (await parseTabular(bytes, ext === 'ndjson' ? 'jsonl' : (ext as TabularFormat))) as FeatureRow[];
  } catch (err) {
    throw new CliFailure(`${file}: ${(err as Error).message}`, EXIT.USAGE);
  }
}

/** CSV text to rows, each cell typed by its column's declaration in `view`; an empty cell is null. */
export function typedCsvRows(text: string, view: Pick<FeatureView, 'entities' | 'features'>): FeatureRow[] {
  const [header, ...records] = csvRecords(text);
  if (!header) throw new CliFailure('the CSV file is empty', EXIT.USAGE);
  const types = new Map<string, ColumnType>([
    ...view.entities.map((e) => [e.name, e.valueType] as const),
    ...view.features.map((f) => [f.name, f.dtype] as const),
    [EVENT_TIMESTAMP_FIELD, 'eventTime'],
    [CREATED_TIMESTAMP_FIELD, 'eventTime'],
  ]);
  const columns = header.map((name) => ({ name, type: types.get(name) ?? 'string' }));
  return records.map((fields, i) => {
    if (fields.length !== header.length)
      throw new CliFailure(
        `CSV line ${i + 2} has ${fields.length} fields, the header has ${header.length}`,
        EXIT.USAGE,
      );
    return Object.fromEntries(columns.map((c, j) => [c.name, typedCell(fields[j], c.type)]));
  });
}

function typedCell(text: string, type: ColumnType): Scalar {
  const t = text.trim();
  if (t === '') return null;
  const number = Number(t);
  switch (type) {
    case 'int64':
    case 'float64':
      return Number.isFinite(number) ? number : text;
    case 'bool':
      return /^(true|1)$/i.test(t) ? true : /^(false|0)$/i.test(t) ? false : text;
    // Epoch seconds, or an ISO 8601 text, as the push route takes either.
    case 'eventTime':
      return Number.isFinite(number) ? number : t;
    default:
      return text;
  }
}

/** `rows` in consecutive slices of at most `size`. */
export function batches<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
