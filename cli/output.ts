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

export function output(format: OutputFormat, out = process.stdout, err = process.stderr): Output {
  return {
    format,
    result(value, columns) {
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
function path(row: Record<string, unknown>, key: string): unknown {
  return key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], row);
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
