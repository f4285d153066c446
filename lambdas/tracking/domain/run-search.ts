/**
 * Runs and experiments searched with MLflow's grammar: which entity keys take which comparators,
 * how a run lacking a key compares (it never matches, as MLflow's SQL store joins), the order
 * (missing values last, then start_time DESC and run_id as MLflow's tiebreak) and offset page
 * tokens, opaque to the client.
 */
import type { ViewType } from '../../../contracts/tracking';
import { BadRequestError } from '../../shared/errors';
import { InvalidFilterError } from './errors';
import { type Comparison, type Entity, type OrderClause, parseFilter, parseOrderBy } from './filter';
import { type ExperimentRecord, own, type RunRecord } from './records';

const NUMERIC = new Set(['=', '!=', '<', '<=', '>', '>=']);
const STRING = new Set(['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN']);
const NULLS = new Set(['IS NULL', 'IS NOT NULL']);

/** Run attributes a filter or order_by may name, and whether they are numbers. */
const RUN_ATTRIBUTES: Record<string, 'number' | 'string'> = {
  run_id: 'string',
  run_name: 'string',
  status: 'string',
  user_id: 'string',
  artifact_uri: 'string',
  lifecycle_stage: 'string',
  start_time: 'number',
  end_time: 'number',
  created: 'number',
  Created: 'number',
};
const EXPERIMENT_ATTRIBUTES: Record<string, 'number' | 'string'> = {
  name: 'string',
  experiment_id: 'string',
  creation_time: 'number',
  last_update_time: 'number',
};

export type Value = number | string | undefined;

function runValue(run: RunRecord, entity: Entity, key: string): Value {
  switch (entity) {
    case 'metric':
      return own(run.metrics, key)?.value;
    case 'param':
      return own(run.params, key);
    case 'tag':
      return own(run.tags, key);
    default:
      return runAttribute(run, key);
  }
}

function runAttribute(run: RunRecord, key: string): Value {
  switch (key) {
    case 'run_id':
      return run.runId;
    case 'run_name':
      return run.runName;
    case 'status':
      return run.status;
    case 'user_id':
      return run.userId;
    case 'artifact_uri':
      return run.artifactUri;
    case 'lifecycle_stage':
      return run.lifecycleStage;
    case 'end_time':
      return run.endTime;
    default:
      return run.startTime;
  }
}

function experimentValue(e: ExperimentRecord, entity: Entity, key: string): Value {
  if (entity === 'tag') return own(e.tags, key);
  switch (key) {
    case 'name':
      return e.name;
    case 'experiment_id':
      return e.experimentId;
    case 'creation_time':
      return e.creationTime;
    default:
      return e.lastUpdateTime;
  }
}

/** Checks each comparison against MLflow's rules for its entity; a violation is a 400. */
export function checkComparisons(
  comparisons: readonly Comparison[],
  attributes: Record<string, 'number' | 'string'>,
  entities: readonly Entity[],
): void {
  for (const c of comparisons) {
    if (!entities.includes(c.entity))
      throw new InvalidFilterError(`Invalid entity type '${c.entity}' in this search`);
    const kind =
      c.entity === 'metric' ? 'number' : c.entity === 'attribute' ? attributes[c.key] : ('string' as const);
    if (!kind) {
      throw new InvalidFilterError(
        `Invalid attribute key '${c.key}' specified. Valid keys are ${Object.keys(attributes).join(', ')}`,
      );
    }
    if (NULLS.has(c.comparator)) {
      if (c.entity === 'tag' || c.entity === 'param') continue;
      throw new InvalidFilterError(`${c.comparator} is only supported for tags and params`);
    }
    const allowed = kind === 'number' ? NUMERIC : STRING;
    if (!allowed.has(c.comparator)) {
      throw new InvalidFilterError(`Invalid comparator '${c.comparator}' for ${c.entity} ${c.key}`);
    }
    if (kind === 'number' && typeof c.value !== 'number') {
      throw new InvalidFilterError(`Expected numeric value type for ${c.entity} ${c.key}, got '${c.value}'`);
    }
    if (kind === 'string' && typeof c.value === 'number') {
      throw new InvalidFilterError(`Expected a quoted string value for ${c.entity} ${c.key}, got ${c.value}`);
    }
  }
}

/**
 * SQL LIKE: `%` matches any run of characters, `_` exactly one, the rest literally. Matched with
 * the greedy two-pointer wildcard algorithm (backtracking only to the last `%`), so a pattern of
 * many `%` costs O(pattern x value), never the exponential time a regular expression could take.
 */
export function like(value: string, pattern: string, ignoreCase: boolean): boolean {
  const v = ignoreCase ? value.toLowerCase() : value;
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (i < v.length) {
    if (j < p.length && (p[j] === '_' || (p[j] !== '%' && p[j] === v[i]))) {
      i++;
      j++;
    } else if (j < p.length && p[j] === '%') {
      star = j++;
      mark = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (j < p.length && p[j] === '%') j++;
  return j === p.length;
}

export function holds(c: Comparison, actual: Value): boolean {
  if (c.comparator === 'IS NULL') return actual === undefined;
  if (c.comparator === 'IS NOT NULL') return actual !== undefined;
  if (actual === undefined) return false;
  const v = c.value;
  switch (c.comparator) {
    case '=':
      return actual === v;
    case '!=':
      return actual !== v;
    case '<':
      return (actual as number) < (v as number);
    case '<=':
      return (actual as number) <= (v as number);
    case '>':
      return (actual as number) > (v as number);
    case '>=':
      return (actual as number) >= (v as number);
    case 'LIKE':
      return like(String(actual), v as string, false);
    case 'ILIKE':
      return like(String(actual), v as string, true);
    case 'IN':
      return (v as readonly string[]).includes(String(actual));
    default:
      return !(v as readonly string[]).includes(String(actual));
  }
}

/** Missing values sort last in either direction; NaN after every number. */
export function compareValues(a: Value, b: Value, ascending: boolean): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const aNaN = typeof a === 'number' && Number.isNaN(a);
  const bNaN = typeof b === 'number' && Number.isNaN(b);
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  const order = a < b ? -1 : a > b ? 1 : 0;
  return ascending ? order : -order;
}

function checkOrder(
  clauses: readonly OrderClause[],
  attributes: Record<string, 'number' | 'string'>,
  entities: readonly Entity[],
) {
  for (const c of clauses) {
    if (!entities.includes(c.entity) || (c.entity === 'attribute' && !attributes[c.key])) {
      throw new InvalidFilterError(`Invalid order_by key ${c.entity}.${c.key}`);
    }
  }
}

const inView = (stage: string, view: ViewType | undefined) =>
  view === 'ALL' || (view === 'DELETED_ONLY' ? stage === 'deleted' : stage === 'active');

/** A page of a search: the items, and the token of the next page when there is one. */
export interface SearchPage<T> {
  readonly items: T[];
  readonly nextPageToken?: string;
}

export interface SearchOptions {
  readonly filter?: string;
  readonly orderBy?: readonly string[];
  readonly viewType?: ViewType;
  readonly maxResults: number;
  readonly pageToken?: string;
  /**
   * A page also ends before its items' `sizeOf` passes this many bytes (at least one item per
   * page): the client follows `next_page_token`, and the reply stays inside Lambda's 6 MB.
   * @default - no limit
   */
  readonly maxBytes?: number;
}

/** The keys a run search reads, so a store may fetch only those. */
export function referencedKeys(options: Pick<SearchOptions, 'filter' | 'orderBy'>) {
  return [...parseFilter(options.filter), ...parseOrderBy(options.orderBy)].map((c) => ({
    entity: c.entity,
    key: c.key,
  }));
}

/** Filters, orders and pages runs as MLflow's SearchRuns does. */
export function searchRuns(runs: readonly RunRecord[], options: SearchOptions): SearchPage<RunRecord> {
  const comparisons = parseFilter(options.filter);
  const order = parseOrderBy(options.orderBy);
  const entities: Entity[] = ['metric', 'param', 'tag', 'attribute'];
  checkComparisons(comparisons, RUN_ATTRIBUTES, entities);
  checkOrder(order, RUN_ATTRIBUTES, entities);
  const matched = runs.filter(
    (r) =>
      inView(r.lifecycleStage, options.viewType) &&
      comparisons.every((c) => holds(c, runValue(r, c.entity, c.key))),
  );
  const tiebreak: OrderClause[] = [
    { entity: 'attribute', key: 'start_time', ascending: false },
    { entity: 'attribute', key: 'run_id', ascending: true },
  ];
  const clauses = [...order, ...tiebreak];
  matched.sort((a, b) => {
    for (const c of clauses) {
      const d = compareValues(runValue(a, c.entity, c.key), runValue(b, c.entity, c.key), c.ascending);
      if (d !== 0) return d;
    }
    return 0;
  });
  return page(matched, options, (r) => JSON.stringify(r).length);
}

/** Filters, orders and pages experiments as MLflow's SearchExperiments does. */
export function searchExperiments(
  experiments: readonly ExperimentRecord[],
  options: SearchOptions,
): SearchPage<ExperimentRecord> {
  const comparisons = parseFilter(options.filter);
  const order = parseOrderBy(options.orderBy);
  checkComparisons(comparisons, EXPERIMENT_ATTRIBUTES, ['tag', 'attribute']);
  checkOrder(order, EXPERIMENT_ATTRIBUTES, ['attribute']);
  const matched = experiments.filter(
    (e) =>
      inView(e.lifecycleStage, options.viewType) &&
      comparisons.every((c) => holds(c, experimentValue(e, c.entity, c.key))),
  );
  const clauses: OrderClause[] = [
    ...(order.length ? order : [{ entity: 'attribute' as const, key: 'creation_time', ascending: false }]),
    { entity: 'attribute', key: 'experiment_id', ascending: true },
  ];
  matched.sort((a, b) => {
    for (const c of clauses) {
      const d = compareValues(
        experimentValue(a, c.entity, c.key),
        experimentValue(b, c.entity, c.key),
        c.ascending,
      );
      if (d !== 0) return d;
    }
    return 0;
  });
  return page(matched, options, (e) => JSON.stringify(e).length);
}

/** How a search reads one kind of item: the attributes and entities it names, its order. */
export interface SearchSpec<T> {
  readonly attributes: Record<string, 'number' | 'string'>;
  readonly entities: readonly Entity[];
  readonly valueOf: (item: T, entity: Entity, key: string) => Value;
  /** The order when order_by is empty. */
  readonly defaultOrder: readonly OrderClause[];
  /** Appended to every order, so pages are stable. */
  readonly tiebreak: readonly OrderClause[];
  /**
   * `tags.k != 'v'` also matches an item without the tag, as MLflow's registry store answers it:
   * the client excludes prompts from `search_registered_models` with such a filter, and a model
   * without the prompt tag must still be found.
   * @default false
   */
  readonly missingTagIsNotEqual?: boolean;
}

/** Filters, orders and pages items by MLflow's grammar under `spec`. */
export function searchWith<T>(
  items: readonly T[],
  options: SearchOptions,
  spec: SearchSpec<T>,
): SearchPage<T> {
  const comparisons = parseFilter(options.filter);
  const order = parseOrderBy(options.orderBy);
  checkComparisons(comparisons, spec.attributes, spec.entities);
  checkOrder(order, spec.attributes, spec.entities);
  const matches = (item: T, c: Comparison) => {
    const actual = spec.valueOf(item, c.entity, c.key);
    if (spec.missingTagIsNotEqual && c.entity === 'tag' && c.comparator === '!=' && actual === undefined)
      return true;
    return holds(c, actual);
  };
  const matched = items.filter((item) => comparisons.every((c) => matches(item, c)));
  const clauses = [...(order.length ? order : spec.defaultOrder), ...spec.tiebreak];
  matched.sort((a, b) => {
    for (const c of clauses) {
      const d = compareValues(
        spec.valueOf(a, c.entity, c.key),
        spec.valueOf(b, c.entity, c.key),
        c.ascending,
      );
      if (d !== 0) return d;
    }
    return 0;
  });
  return page(matched, options, (item) => JSON.stringify(item).length);
}

export function page<T>(items: T[], options: SearchOptions, sizeOf: (item: T) => number): SearchPage<T> {
  const offset = decodeOffset(options.pageToken);
  const slice: T[] = [];
  let bytes = 0;
  for (const item of items.slice(offset, offset + options.maxResults)) {
    bytes += options.maxBytes === undefined ? 0 : sizeOf(item);
    if (slice.length > 0 && options.maxBytes !== undefined && bytes > options.maxBytes) break;
    slice.push(item);
  }
  const next = offset + slice.length;
  return { items: slice, ...(next < items.length ? { nextPageToken: encodeOffset(next) } : {}) };
}

export const encodeOffset = (offset: number): string =>
  Buffer.from(JSON.stringify({ offset })).toString('base64url');

export function decodeOffset(token: string | undefined): number {
  if (!token) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw new BadRequestError('INVALID_PAGE_TOKEN', 'page_token is not a token this API issued');
}
