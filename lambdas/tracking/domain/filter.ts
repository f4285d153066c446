/**
 * MLflow's search grammar, parsed: a filter is comparisons joined by AND (MLflow has no OR),
 * each `<entity>.<key> <comparator> <value>`, and order_by is `<entity>.<key> [ASC|DESC]`.
 * Entities are `metrics`, `params`, `tags` and `attributes` (with MLflow's aliases: `metric`,
 * `param`, `parameter(s)`, `tag`, `attribute`, `attr`, `run`); keys are bare (dots allowed),
 * or quoted with backticks or double quotes. Strings are quoted, numbers bare, as MLflow demands.
 * @see https://mlflow.org/docs/latest/search-runs.html
 */
import { InvalidFilterError } from './errors';

export type Entity = 'metric' | 'param' | 'tag' | 'attribute';
export type Comparator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'LIKE'
  | 'ILIKE'
  | 'IN'
  | 'NOT IN'
  | 'IS NULL'
  | 'IS NOT NULL';

export interface Comparison {
  readonly entity: Entity;
  readonly key: string;
  readonly comparator: Comparator;
  /** A number for numeric comparisons, a string or a list of strings otherwise; none for IS NULL. */
  readonly value?: number | string | readonly string[];
}

export interface OrderClause {
  readonly entity: Entity;
  readonly key: string;
  readonly ascending: boolean;
}

const ENTITY_ALIASES: Record<string, Entity> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
};

type Token =
  | { kind: 'ident'; entity?: string; key: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'op'; value: string }
  | { kind: 'word'; value: string }
  | { kind: 'punct'; value: '(' | ')' | ',' };

const WORDS = new Set(['AND', 'LIKE', 'ILIKE', 'IN', 'NOT', 'IS', 'NULL', 'ASC', 'DESC']);

/** Splits a filter or order_by clause into tokens; a stray character is a 400 naming it. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const quoted = (quote: string): string => {
    const end = text.indexOf(quote, i + 1);
    if (end < 0) throw new InvalidFilterError(`Invalid filter '${text}': unterminated quote ${quote}`);
    const value = text.slice(i + 1, end);
    i = end + 1;
    return value;
  };
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'" || ch === '"') {
      tokens.push({ kind: 'string', value: quoted(ch) });
    } else if (ch === '`') {
      tokens.push({ kind: 'ident', key: quoted('`') });
    } else if ('()'.includes(ch) || ch === ',') {
      tokens.push({ kind: 'punct', value: ch as '(' | ')' | ',' });
      i++;
    } else if ('<>=!'.includes(ch)) {
      const two = text.slice(i, i + 2);
      const op = ['<=', '>=', '!=', '=='].includes(two) ? two : ch;
      if (op === '!') throw new InvalidFilterError(`Invalid filter '${text}': '!' must be followed by '='`);
      tokens.push({ kind: 'op', value: op === '==' ? '=' : op });
      i += op.length;
    } else if (/[-+\d.]/.test(ch) && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.test(text.slice(i))) {
      const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i))!;
      tokens.push({ kind: 'number', value: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][\w.]*/.exec(text.slice(i))!;
      i += m[0].length;
      const word = m[0].toUpperCase();
      if (WORDS.has(word)) {
        tokens.push({ kind: 'word', value: word });
      } else if (m[0].endsWith('.') && (text[i] === '"' || text[i] === '`')) {
        // `params."my param"`: the key is quoted after the dot.
        tokens.push({ kind: 'ident', entity: m[0].slice(0, -1), key: quoted(text[i]) });
      } else {
        const dot = m[0].indexOf('.');
        tokens.push(
          dot < 0
            ? { kind: 'ident', key: m[0] }
            : { kind: 'ident', entity: m[0].slice(0, dot), key: m[0].slice(dot + 1) },
        );
      }
    } else {
      throw new InvalidFilterError(`Invalid filter '${text}': unexpected character '${ch}' at ${i}`);
    }
  }
  return tokens;
}

/** The entity and key of an identifier; bare names are attributes (`status`, `name`). */
function identifier(token: Token | undefined, text: string): { entity: Entity; key: string } {
  if (token?.kind !== 'ident') {
    throw new InvalidFilterError(`Invalid filter '${text}': expected an identifier such as metrics.rmse`);
  }
  if (token.entity === undefined) return { entity: 'attribute', key: token.key };
  const entity = ENTITY_ALIASES[token.entity.toLowerCase()];
  if (!entity) {
    throw new InvalidFilterError(
      `Invalid entity type '${token.entity}'. Valid values are metrics, params, tags and attributes`,
    );
  }
  if (!token.key) throw new InvalidFilterError(`Invalid filter '${text}': ${token.entity} needs a key`);
  return { entity, key: token.key };
}

/** Parses a filter into its comparisons (all must hold); an empty filter is none. */
export function parseFilter(filter: string | undefined): Comparison[] {
  if (!filter?.trim()) return [];
  const tokens = tokenize(filter);
  const comparisons: Comparison[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new InvalidFilterError(`Invalid filter '${filter}': ${what}`);
  };
  const word = (value: string) =>
    tokens[i]?.kind === 'word' && (tokens[i] as { value: string }).value === value;
  for (;;) {
    const { entity, key } = identifier(tokens[i++], filter);
    const t = tokens[i++];
    let comparator: Comparator;
    let value: Comparison['value'];
    if (t?.kind === 'op') {
      comparator = t.value as Comparator;
      const v = tokens[i++];
      if (v?.kind === 'number' || v?.kind === 'string') value = v.value;
      else fail(`expected a value after ${t.value}`);
    } else if (t?.kind === 'word' && (t.value === 'LIKE' || t.value === 'ILIKE')) {
      comparator = t.value;
      const v = tokens[i++];
      if (v?.kind !== 'string') fail(`${t.value} needs a quoted string pattern`);
      value = (v as { value: string }).value;
    } else if (t?.kind === 'word' && (t.value === 'IN' || t.value === 'NOT')) {
      if (t.value === 'NOT' && !word('IN')) fail('expected IN after NOT');
      if (t.value === 'NOT') i++;
      comparator = t.value === 'NOT' ? 'NOT IN' : 'IN';
      value = list();
    } else if (t?.kind === 'word' && t.value === 'IS') {
      const not = word('NOT');
      if (not) i++;
      if (!word('NULL')) fail('expected NULL after IS');
      i++;
      comparator = not ? 'IS NOT NULL' : 'IS NULL';
    } else {
      return fail(`expected a comparator after ${key}`);
    }
    comparisons.push({ entity, key, comparator, ...(value === undefined ? {} : { value }) });
    if (i >= tokens.length) return comparisons;
    if (!word('AND')) fail(`expected AND, got '${describe(tokens[i])}' (MLflow's grammar has no OR)`);
    i++;
  }

  function list(): string[] {
    if (tokens[i]?.kind !== 'punct' || (tokens[i] as { value: string }).value !== '(')
      fail('IN needs a (list)');
    i++;
    const values: string[] = [];
    for (;;) {
      const v = tokens[i++];
      if (v?.kind !== 'string') fail('IN lists hold quoted strings');
      values.push((v as { value: string }).value);
      const p = tokens[i++];
      if (p?.kind === 'punct' && p.value === ')') return values;
      if (p?.kind !== 'punct' || p.value !== ',') fail("expected ',' or ')' in an IN list");
    }
  }
}

function describe(token: Token | undefined): string {
  if (!token) return 'end of filter';
  if (token.kind === 'ident') return token.entity ? `${token.entity}.${token.key}` : token.key;
  return String(token.value);
}

/** Parses order_by clauses (`metrics.rmse DESC`, `attributes.start_time`); ascending by default. */
export function parseOrderBy(clauses: readonly string[] | undefined): OrderClause[] {
  return (clauses ?? []).map((clause) => {
    const tokens = tokenize(clause);
    const { entity, key } = identifier(tokens[0], clause);
    const direction = tokens[1];
    if (
      tokens.length > 2 ||
      (direction && (direction.kind !== 'word' || !['ASC', 'DESC'].includes(direction.value)))
    ) {
      throw new InvalidFilterError(`Invalid order_by clause '${clause}': expected <identifier> [ASC|DESC]`);
    }
    return { entity, key, ascending: direction?.kind !== 'word' || direction.value !== 'DESC' };
  });
}
