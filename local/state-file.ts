/**
 * The local platform's state files (stream checkpoints, the local SageMaker's state, credentials,
 * the connection file) survive a hard kill: each is written to a temporary file, flushed and renamed
 * over the old one, so a reader sees the old or the new content, never half of one. A file that is
 * corrupt anyway (edited by hand, a full disk) is named in the error with what to do about it.
 * @see https://man7.org/linux/man-pages/man2/rename.2.html (rename replaces the target atomically)
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

/** Writes `text` to `file` atomically: a crash leaves the previous content or the new, whole. */
export function writeFileAtomic(file: string, text: string, options: { mode?: number } = {}): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', options.mode ?? 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

/** Writes a value as JSON, atomically. */
export function writeJsonAtomic(file: string, value: unknown, options: { mode?: number } = {}): void {
  writeFileAtomic(file, JSON.stringify(value, null, 1), options);
}

/** What a state file holds and how to recover when it is unreadable, for the error message. */
export interface StateFileDescription {
  /** e.g. `the audit stream checkpoint` */
  readonly what: string;
  /** e.g. `delete it to republish from the oldest record (consumers dedupe on detail.id)` */
  readonly recovery: string;
}

/** Thrown when a state file exists but cannot be parsed; its message names the file and the recovery. */
export class CorruptStateFileError extends Error {
  constructor(
    public readonly file: string,
    description: StateFileDescription,
    cause: unknown,
  ) {
    super(
      `${file}: ${description.what} is not valid JSON (${(cause as Error).message}); ${description.recovery}`,
      {
        cause,
      },
    );
    this.name = 'CorruptStateFileError';
  }
}

/** Reads a JSON state file; `undefined` when it does not exist, a `CorruptStateFileError` when unreadable. */
export function readJsonState<T>(file: string, description: StateFileDescription): T | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new CorruptStateFileError(file, description, cause);
  }
}

/**
 * Reads a JSON Lines log that is only ever appended to. A hard kill can tear the last line (the
 * append was cut short): that line is dropped, as its write never completed, and the file is
 * rewritten without it so the next append does not run into it. A bad line before the last is
 * corruption, and is named.
 */
export function readJsonLines<T>(file: string, description: StateFileDescription): T[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: T[] = [];
  const kept: string[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as T);
      kept.push(line);
    } catch (cause) {
      const isLast = lines.slice(i + 1).every((l) => l === '');
      if (!isLast) throw new CorruptStateFileError(`${file} line ${i + 1}`, description, cause);
      writeFileAtomic(file, kept.map((l) => `${l}\n`).join(''));
    }
  }
  return out;
}
