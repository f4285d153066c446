/**
 * Tabular files to rows: CSV with a header row (RFC 4180 quoting), Parquet (hyparquet, pure JS),
 * JSON Lines and JSON arrays of objects. Numbers in CSV become numbers; Parquet INT64 (BigInt)
 * becomes a number (exact up to 2^53, which covers feature values); dates become ISO strings.
 * @see https://www.rfc-editor.org/rfc/rfc4180
 * @see https://github.com/hyparam/hyparquet
 */
import { BadRequestError } from '../../shared/errors';
import type { Row } from './columns';

export type TabularFormat = 'csv' | 'parquet' | 'jsonl' | 'json';

/** The format named by a key's extension. @throws BadRequestError `UNKNOWN_FORMAT` */
export function formatOf(key: string, given?: TabularFormat): TabularFormat {
  if (given) return given;
  const m = /\.(csv|parquet|jsonl|ndjson|json)$/i.exec(key);
  if (!m) {
    throw new BadRequestError(
      'UNKNOWN_FORMAT',
      `cannot tell the format of ${key}: give format csv, parquet, jsonl or json`,
    );
  }
  const ext = m[1].toLowerCase();
  return ext === 'ndjson' ? 'jsonl' : (ext as TabularFormat);
}

/** Parses file bytes. @throws BadRequestError `INVALID_DATA` naming what was wrong */
export async function parseTabular(bytes: Uint8Array, format: TabularFormat): Promise<Row[]> {
  try {
    if (format === 'parquet') return await parquetRows(bytes);
    const text = Buffer.from(bytes).toString('utf8');
    if (format === 'csv') return parseCsv(text);
    if (format === 'jsonl')
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => asRow(JSON.parse(l)));
    const body = JSON.parse(text) as unknown;
    if (!Array.isArray(body)) throw new Error('a JSON file must hold an array of objects');
    return body.map(asRow);
  } catch (cause) {
    if (cause instanceof BadRequestError) throw cause;
    throw new BadRequestError('INVALID_DATA', `cannot read ${format}: ${(cause as Error).message}`, {
      cause,
    });
  }
}

function asRow(v: unknown): Row {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('every record must be a JSON object');
  return v as Row;
}

async function parquetRows(bytes: Uint8Array): Promise<Row[]> {
  // Imported on the first Parquet file: CSV and JSON captures never load the reader.
  const { parquetReadObjects } = await import('hyparquet');
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      out[k] = typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v;
    }
    return out;
  });
}

/** Splits CSV text into records of fields, honouring quotes, doubled quotes and CRLF. */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** CSV with a header row to rows; numeric-looking cells become numbers, empty cells null. */
export function parseCsv(text: string): Row[] {
  const [header, ...records] = csvRecords(text);
  if (!header) throw new Error('the CSV file is empty');
  return records.map((fields, line) => {
    if (fields.length !== header.length) {
      throw new Error(`line ${line + 2} has ${fields.length} fields, the header has ${header.length}`);
    }
    return Object.fromEntries(header.map((name, i) => [name, csvValue(fields[i])]));
  });
}

function csvValue(s: string): number | string | null {
  const t = s.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : s;
}
