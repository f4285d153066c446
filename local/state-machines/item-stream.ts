/**
 * A Distributed Map's ItemReader over one S3 object, read as Step Functions reads it: a stream of
 * items, not the object whole. JSON Lines and CSV go a line (a record) at a time; a JSON array (the
 * manifests the platform writes) an element at a time. So the local map holds the items of the
 * batches in flight, not every item of the input, as a Map Run on AWS does.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
 */

/** The text of an object in chunks, in order. */
export type TextChunks = AsyncIterable<string>;

export interface ReaderConfig {
  InputType?: string;
  CSVHeaderLocation?: 'FIRST_ROW' | 'GIVEN';
  CSVHeaders?: string[];
  CSVDelimiter?: string;
  MaxItems?: number;
}

const DELIMITERS: Record<string, string> = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' };

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; empty lines are skipped. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The lines of a text (LF or CRLF), the last one whether or not a newline ends it. */
export async function* linesOf(chunks: TextChunks): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    rest += chunk;
    let start = 0;
    for (let at = rest.indexOf('\n'); at >= 0; at = rest.indexOf('\n', start)) {
      yield rest.slice(start, at).replace(/\r$/, '');
      start = at + 1;
    }
    rest = rest.slice(start);
  }
  if (rest !== '') yield rest.replace(/\r$/, '');
}

/** CSV records a line at a time; a quoted field spanning lines keeps its record's lines together. */
async function* csvRecordsOf(chunks: TextChunks, delimiter: string): AsyncGenerator<string[]> {
  let pending: string | undefined;
  for await (const line of linesOf(chunks)) {
    pending = pending === undefined ? line : `${pending}\n${line}`;
    // An odd count of quotes leaves a field open (a doubled quote counts two).
    if ((pending.match(/"/g)?.length ?? 0) % 2 === 1) continue;
    yield* parseCsv(pending, delimiter);
    pending = undefined;
  }
  if (pending !== undefined) yield* parseCsv(pending, delimiter);
}

const notArray = () => new Error('a JSON item reader needs a JSON array');

/** The elements of a top-level JSON array, each parsed once its text is complete. */
async function* jsonArrayItems(chunks: TextChunks): AsyncGenerator<unknown> {
  let started = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let current = '';
  for await (const chunk of chunks) {
    for (const c of chunk) {
      if (!started) {
        if (c === '[') started = true;
        else if (c.trim() !== '') throw notArray();
        continue;
      }
      if (inString) {
        current += c;
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        if (depth === 0) {
          // The array's own close: its last element, if any, ends here.
          if (current.trim() !== '') yield JSON.parse(current);
          return;
        }
        depth--;
      } else if (c === ',' && depth === 0) {
        yield JSON.parse(current);
        current = '';
        continue;
      }
      current += c;
    }
  }
  throw notArray();
}

/** The items an ItemReader reads, as Step Functions reads them (CSV values stay strings). */
export async function* streamItems(chunks: TextChunks, config: ReaderConfig = {}): AsyncGenerator<unknown> {
  const type = config.InputType ?? 'JSON';
  const max = config.MaxItems || Number.POSITIVE_INFINITY;
  let count = 0;
  let items: AsyncGenerator<unknown>;
  if (type === 'JSON') items = jsonArrayItems(chunks);
  else if (type === 'JSONL')
    items = (async function* () {
      for await (const line of linesOf(chunks)) if (line.trim() !== '') yield JSON.parse(line);
    })();
  else if (type === 'CSV') {
    const records = csvRecordsOf(chunks, DELIMITERS[config.CSVDelimiter ?? 'COMMA'] ?? ',');
    items = (async function* () {
      let headers = config.CSVHeaderLocation === 'GIVEN' ? (config.CSVHeaders ?? []) : undefined;
      for await (const r of records) {
        if (headers === undefined) headers = r;
        else yield Object.fromEntries(headers.map((h, i) => [h, r[i] ?? '']));
      }
    })();
  } else throw new Error(`ItemReader InputType ${type} does not run locally`);
  for await (const item of items) {
    if (count++ >= max) return;
    yield item;
  }
}

/** The items of a whole text (what `streamItems` reads, from one chunk). */
export async function itemsOf(text: string, config: ReaderConfig = {}): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of streamItems(oneChunk(text), config)) items.push(item);
  return items;
}

export async function* oneChunk(text: string): AsyncGenerator<string> {
  yield text;
}
