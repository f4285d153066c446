/**
 * What commands print: results on stdout as JSON or an aligned table, progress and messages on
 * stderr only, so `mlops ... --output json | jq` always reads clean JSON.
 */
export type OutputFormat = 'json' | 'table';

export interface Output {
  readonly format: OutputFormat;
  /** A result: one object, or rows with the columns a table shows (JSON shows every field). */
  result(value: unknown, columns?: readonly string[]): void;
  /** A line for the person at the terminal. */
  note(message: string): void;
}

export interface OutputOptions {
  /**
   * Print only this field of the result (a dot path), as plain text: one line, or a line per row,
   * so a shell can keep it (`JOB=$(mlops batch submit ... --field jobId)`).
   */
  readonly field?: string;
}

/** Where text goes: stdout and stderr, or a test's sink. */
interface TextSink {
  write(text: string): unknown;
}

export function output(
  format: OutputFormat,
  options: OutputOptions = {},
  out: TextSink = process.stdout,
  err: TextSink = process.stderr,
): Output {
  return {
    format,
    result(value, columns) {
      if (options.field !== undefined) {
        const rows = Array.isArray(value) ? value : [value];
        const field = options.field;
        out.write(rows.map((row) => `${cell(path(row as Record<string, unknown>, field))}\n`).join(''));
        return;
      }
      if (format === 'json') {
        out.write(`${JSON.stringify(value, null, 2)}\n`);
        return;
      }
      out.write(`${Array.isArray(value) ? table(value, columns) : record(value)}\n`);
    },
    note(message) {
      err.write(`${message}\n`);
    },
  };
}

/** Rows as columns padded to their widest cell; nested values as compact JSON. */
export function table(rows: readonly unknown[], columns?: readonly string[]): string {
  const objects = rows as Record<string, unknown>[];
  const keys = columns ?? [...new Set(objects.flatMap((row) => Object.keys(row)))];
  if (objects.length === 0) return '(none)';
  const cells = objects.map((row) => keys.map((k) => cell(path(row, k))));
  const widths = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i].length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(keys.map((k) => k.toUpperCase())), ...cells.map(line)].join('\n');
}

/** One object as `key  value` lines. */
function record(value: unknown): string {
  if (value === null || typeof value !== 'object') return cell(value);
  const entries = Object.entries(value as Record<string, unknown>);
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${k.padEnd(width)}  ${cell(v)}`).join('\n');
}

/** `a.b` reads a nested field, so a table can show `weights.challenger`. */
function path(row: Record<string, unknown> | undefined, key: string): unknown {
  return key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], row);
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
