/**
 * EventBridge event pattern matching for the local bus: exact values, `prefix`, `suffix`,
 * `anything-but`, `exists` and `numeric`, nested to any depth, over the same patterns the CDK
 * rules declare.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */
export type EventPattern = { readonly [key: string]: EventPattern | readonly unknown[] };

type Matcher = Record<string, unknown>;

export function matchesPattern(event: unknown, pattern: EventPattern): boolean {
  if (event === null || typeof event !== 'object') return false;
  const obj = event as Record<string, unknown>;
  return Object.entries(pattern).every(([key, expected]) => {
    const value = obj[key];
    if (Array.isArray(expected)) return matchesValues(value, expected);
    return matchesPattern(value, expected as EventPattern);
  });
}

function matchesValues(value: unknown, expected: readonly unknown[]): boolean {
  const values = Array.isArray(value) ? value : [value];
  return expected.some((rule) => {
    if (rule !== null && typeof rule === 'object') return matchesRule(value, values, rule as Matcher);
    return values.some((v) => v === rule);
  });
}

function matchesRule(value: unknown, values: unknown[], rule: Matcher): boolean {
  if ('exists' in rule) return (value !== undefined) === rule.exists;
  if ('prefix' in rule) return values.some((v) => typeof v === 'string' && v.startsWith(String(rule.prefix)));
  if ('suffix' in rule) return values.some((v) => typeof v === 'string' && v.endsWith(String(rule.suffix)));
  if ('anything-but' in rule) {
    const banned = ([] as unknown[]).concat(rule['anything-but']);
    return value !== undefined && values.every((v) => !banned.includes(v));
  }
  if ('numeric' in rule) {
    const ops = rule.numeric as unknown[];
    return values.some((v) => typeof v === 'number' && numericMatch(v, ops));
  }
  return false;
}

function numericMatch(v: number, ops: unknown[]): boolean {
  for (let i = 0; i + 1 < ops.length; i += 2) {
    const bound = Number(ops[i + 1]);
    const ok =
      ops[i] === '>'
        ? v > bound
        : ops[i] === '>='
          ? v >= bound
          : ops[i] === '<'
            ? v < bound
            : ops[i] === '<='
              ? v <= bound
              : v === bound;
    if (!ok) return false;
  }
  return true;
}
