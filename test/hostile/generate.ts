/**
 * Seeded generation of hostile requests from a route's schemas: the route's JSON Schema (what
 * `z.toJSONSchema` makes of its zod schema, as the OpenAPI document does) gives a near-valid
 * base body, and every node of it is then broken one way at a time: wrong types, out-of-range,
 * non-finite and unstorable numbers, strings and arrays past their bounds, huge records, values
 * nested 100 and 10,000 deep, unknown fields, missing required fields, nulls. Each case is JSON
 * text, so values JSON cannot carry (`1e400` parses to Infinity) reach the server as an attacker
 * would send them.
 */
import * as z from 'zod';

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema is walked field by field
type Schema = any;

/** One generated body: what it breaks, and the text sent. */
export interface BodyCase {
  readonly label: string;
  readonly text: string;
}

/** A small fast PRNG (mulberry32): the same seed gives the same requests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The JSON Schema of a zod schema, as the request side sees it. */
export const jsonSchemaOf = (schema: z.ZodType): Schema =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** Strings tried, in order, for a `pattern` or `format` (the first that fits is the sample). */
const CANDIDATES = [
  'hostile',
  'hostile_fv',
  'hostile_fv:f1',
  'a'.repeat(64).replace(/a/g, 'f'),
  'https://example.com/card',
  's3://hostile-bucket/data/rows.parquet',
  '2026-01-01T00:00:00Z',
  'champion',
  'None',
  'x',
];

function resolve(s: Schema, root: Schema): Schema {
  if (s?.$ref) return root.$defs?.[String(s.$ref).split('/').pop() ?? ''] ?? {};
  return s ?? {};
}

function typesOf(s: Schema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (s.type) return [s.type];
  if (s.properties) return ['object'];
  return [];
}

/** A value the schema probably accepts (patterns are matched from a list of candidates). */
export function sample(s0: Schema, root: Schema, depth = 0): unknown {
  const s = resolve(s0, root);
  if (depth > 8) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const alt = s.anyOf ?? s.oneOf;
  if (alt)
    return sample(alt.find((a: Schema) => resolve(a, root).type !== 'null') ?? alt[0], root, depth + 1);
  if (s.allOf) return sample(s.allOf[0], root, depth + 1);
  const [type] = typesOf(s);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries<Schema>(s.properties ?? {})) {
        if ((s.required ?? []).includes(k) || depth < 2) out[k] = sample(v, root, depth + 1);
      }
      return out;
    }
    case 'array': {
      const n = Math.max(1, s.minItems ?? 1);
      return Array.from({ length: Math.min(n, 3) }, () => sample(s.items ?? {}, root, depth + 1));
    }
    case 'string': {
      if (s.pattern || s.format) {
        const re = s.pattern ? new RegExp(s.pattern) : undefined;
        const fit = CANDIDATES.find((c) => (!re || re.test(c)) && (s.format !== 'uri' || c.includes('://')));
        if (fit) return fit;
      }
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    }
    case 'integer':
      return Math.max(1, s.minimum ?? 1);
    case 'number':
      return s.minimum ?? 0.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'x';
  }
}

/** A placeholder replaced in the text after serialization, for values JSON.stringify cannot write. */
const RAW = (token: string) => `\u0000RAW:${token}\u0000`;
const writeText = (value: unknown): string =>
  JSON.stringify(value).replace(/"\\u0000RAW:([^\\]*)\\u0000"/g, (_, token: string) => token);

const nest = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

interface Node {
  readonly path: (string | number)[];
  readonly schema: Schema;
}

/** Every schema node reachable from the base value, with the path to it. */
function nodes(
  s0: Schema,
  root: Schema,
  value: unknown,
  path: (string | number)[] = [],
  out: Node[] = [],
): Node[] {
  const s = resolve(s0, root);
  out.push({ path, schema: s });
  if (path.length > 6) return out;
  const alt = s.anyOf ?? s.oneOf;
  const chosen = alt ? resolve(alt.find((a: Schema) => resolve(a, root).type !== 'null') ?? alt[0], root) : s;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      const child =
        chosen.properties?.[k] ??
        (typeof chosen.additionalProperties === 'object' ? chosen.additionalProperties : {});
      nodes(child, root, v, [...path, k], out);
    }
  } else if (Array.isArray(value) && value.length > 0) {
    nodes(chosen.items ?? {}, root, value[0], [...path, 0], out);
  }
  return out;
}

function setAt(base: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let cur = copy;
  for (const key of path.slice(0, -1)) cur = cur[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove) delete cur[last];
  else cur[last] = value;
  return copy;
}

/**
 * Cases that break one node each of a base value: `example` when given, else a sample of the
 * schema.
 */
export function bodyCases(schema: z.ZodType, random: () => number, example?: unknown): BodyCase[] {
  const root = jsonSchemaOf(schema);
  const base = example ?? sample(root, root);
  const cases: BodyCase[] = [];
  const add = (label: string, path: (string | number)[], value: unknown, remove = false) =>
    cases.push({
      label: `${label} at body${path.map((p) => `.${p}`).join('')}`,
      text: writeText(setAt(base, path, value, remove)),
    });
  for (const { path, schema: s } of nodes(root, root, base)) {
    const types = typesOf(s);
    const typed = types.length > 0 || s.enum || s.const !== undefined;
    if (typed) {
      add('wrong type', path, wrongTypeFor(types));
      if (!types.includes('null')) add('null', path, null);
      add('nested 100 deep', path, JSON.parse(nest(100)));
    }
    add('nested 10,000 deep', path, RAW(nest(10_000)));
    if (types.includes('number') || types.includes('integer')) {
      for (const token of ['1e400', '-1e400', '1e200', '-1e200', '1.5e-200'])
        add(`non-finite or unstorable ${token}`, path, RAW(token));
      if (s.maximum !== undefined) add('over the maximum', path, s.maximum + 1);
      if (s.minimum !== undefined) add('under the minimum', path, s.minimum - 1);
      if (types.includes('integer') && !types.includes('number')) add('a fraction for an integer', path, 1.5);
    }
    if (types.includes('string') && s.maxLength !== undefined) {
      add('one character too long', path, 'x'.repeat(s.maxLength + 1));
      add('a 1 MB string', path, 'x'.repeat(1024 * 1024));
    }
    if (types.includes('array')) {
      if (s.maxItems !== undefined)
        add(
          'one item too many',
          path,
          Array.from({ length: s.maxItems + 1 }, () => sample(s.items ?? {}, root)),
        );
      if (s.minItems) add('too few items', path, []);
    }
    if (types.includes('object') && typeof s.additionalProperties === 'object') {
      // 3,000 entries of about 400 bytes: past DynamoDB's 400 KB item if the record were stored.
      const huge: Record<string, unknown> = {};
      for (let i = 0; i < 3000; i++) huge[`k${i}_${'k'.repeat(120)}`] = 'v'.repeat(250);
      add('a record of 3,000 entries (1.1 MB)', path, huge);
    }
    if (types.includes('object') && s.additionalProperties === false) {
      add('an unknown field', path, {
        ...(getAt(base, path) as object),
        [`unknown_${Math.floor(random() * 1e6)}`]: 1,
      });
    }
    if (path.length > 0 && (resolveParentRequired(root, base, path) ?? false))
      add('a missing required field', path, undefined, true);
  }
  for (const [label, text] of [
    ['not JSON', '{"unterminated'],
    ['an array body', '[]'],
    ['a string body', '"body"'],
    ['a non-finite body', '1e400'],
    ['the body nested 10,000 deep', nest(10_000)],
    ['an object nested 10,000 deep', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
  ] as const) {
    cases.push({ label, text });
  }
  return cases;
}

/** A value of none of the node's types. */
function wrongTypeFor(types: string[]): unknown {
  if (!types.includes('object')) return { wrong: 'type' };
  if (!types.includes('string')) return 'not-the-type';
  return 12345;
}

function getAt(base: unknown, path: (string | number)[]): unknown {
  let cur = base as Record<string | number, unknown>;
  for (const key of path) cur = cur?.[key] as Record<string | number, unknown>;
  return cur;
}

function resolveParentRequired(root: Schema, base: unknown, path: (string | number)[]): boolean | undefined {
  const parentPath = path.slice(0, -1);
  const parent = nodes(root, root, base).find((n) => n.path.join('.') === parentPath.join('.'));
  return parent?.schema.required?.includes(path[path.length - 1]);
}

/** Path parameter values that no route should take as a valid name or number. */
export const BAD_PATH_VALUES = [
  'A'.repeat(1000),
  'UPPER',
  '..',
  '%00',
  '%2F..%2Fetc',
  'with space',
  '-1',
  '0',
  '1.5',
  '1e400',
  '99999999999999999999999',
  "'; DROP TABLE models;--",
  '%F0%9F%92%A3',
  '__proto__',
];

/** Query strings a list route must refuse or read safely. */
export function queryCases(): { label: string; query: string }[] {
  const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return [
    ['limit -1', 'limit=-1'],
    ['limit 0', 'limit=0'],
    ['limit huge', 'limit=99999999999'],
    ['limit non-finite', 'limit=1e400'],
    ['limit not a number', 'limit=abc'],
    ['limit repeated', 'limit=1&limit=2'],
    ['a token that is not base64 JSON', 'nextToken=%21%21%21'],
    ['a token of a string', `nextToken=${forged('x')}`],
    ['a forged token with wrong key types', `nextToken=${forged({ pk: { S: 1 }, sk: 5 })}`],
    ['a forged token of another table', `nextToken=${forged({ id: 'x', other: 'y' })}`],
    ['a forged token nested deep', `nextToken=${forged(JSON.parse(nest(60)))}`],
    ['a 3 KB token', `nextToken=${'A'.repeat(3000)}`],
    ['an unknown parameter', 'unknownParam=1'],
    ['stage unknown', 'stage=Galaxy'],
  ].map(([label, query]) => ({ label, query }));
}
