/** Option values as the API wants them; a bad one is a usage error naming the option. */
import { InvalidArgumentError } from 'commander';

/** `key=value` pairs (repeatable or comma-separated) as a string map. */
export function parseKeyValues(
  values: readonly string[] | undefined,
  option: string,
): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of (values ?? []).flatMap((v) => v.split(','))) {
    const [key, value] = splitPair(pair, option);
    map[key] = value;
  }
  return map;
}

/** `key=v1,v2` pairs (repeatable) as a map of value lists: `-e id=1,2 -e id=3` is `{id: [1,2,3]}`. */
export function parseKeyValueList(
  values: readonly string[] | undefined,
  option: string,
): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const pair of values ?? []) {
    const [key, value] = splitPair(pair, option);
    map[key] = [...(map[key] ?? []), ...value.split(',')];
  }
  return map;
}

function splitPair(pair: string, option: string): [string, string] {
  const at = pair.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`${option}: expected key=value, got "${pair}"`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}

/** `name=number` pairs as a number map (metrics). */
export function parseMetrics(values: readonly string[] | undefined, option: string): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [key, text] of Object.entries(parseKeyValues(values, option))) {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value))
      throw new InvalidArgumentError(`${option}: ${key} must be a number, got "${text}"`);
    metrics[key] = value;
  }
  return metrics;
}

/** A positive integer argument (a version number). */
export function parseVersion(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new InvalidArgumentError(`version must be a positive integer, got "${text}"`);
  return value;
}

/** A finite number option value (a floor, a quorum, hours); the platform checks its range. */
export function parseNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new InvalidArgumentError(`expected a number, got "${text}"`);
  return value;
}
