/**
 * Enrichment for batch scoring: entity rows joined with every feature of one view from the
 * offline store, point in time, as of one fixed instant. It composes the training sets' pieces
 * (the view registry, the offline store's manifest listing and Parquet reads, `toEntityRows` and
 * `pointInTimeJoin`) rather than running an engine job: the caller holds the rows and wants them
 * back joined.
 *
 * A row without an `event_timestamp` joins as of `asOf`. Files written after `asOf` are left out
 * whatever their event times, so the join is "as known at `asOf`": a job resumed later, with rows
 * pushed meanwhile, enriches exactly as its first run did.
 */
import { EVENT_TIMESTAMP_FIELD } from '../../../contracts/feature-names';
import type { FeatureValue, FeatureView } from '../../../contracts/features';
import { FeatureViewNotFoundError, type RowProblem, ValidationFailedError } from './errors';
import { resolveFeatureRefs } from './online';
import { pointInTimeJoin, toEntityRows } from './point-in-time';
import type { EntityJoinEngine, EntityJoinInput, FeatureViewStore, OfflineStore } from './ports';
import type { RawRow } from './validation';

export interface EnrichmentDeps {
  readonly views: Pick<FeatureViewStore, 'get'>;
  readonly offline: Pick<OfflineStore, 'listFiles' | 'readRows'>;
}

/**
 * The view, once every one of its join keys is among `columns`.
 * @throws FeatureViewNotFoundError (404), ValidationFailedError (422) naming each missing key
 */
export async function checkEnrichmentColumns(
  deps: Pick<EnrichmentDeps, 'views'>,
  featureView: string,
  columns: readonly string[],
): Promise<FeatureView> {
  const view = await deps.views.get(featureView);
  if (!view) throw new FeatureViewNotFoundError(featureView);
  const problems: RowProblem[] = view.entities
    .filter((e) => !columns.includes(e.name))
    .map((e) => ({ field: e.name, rule: 'REQUIRED', reason: `entity rows have no ${e.name} column` }));
  if (problems.length > 0) throw new ValidationFailedError('Entity rows', problems);
  return view;
}

/**
 * Joins each row with the view's features as of its `event_timestamp` (else `asOf`), from the
 * offline files written at or before `asOf`. Rows come back in order, their columns first, then
 * one column per feature (null where nothing joins). CSV gives strings: int64 join keys written
 * as integers are read as numbers.
 * @throws FeatureViewNotFoundError, ValidationFailedError (a missing join key column, bad rows)
 */
export async function enrichFromOfflineStore(
  deps: EnrichmentDeps,
  featureView: string,
  rows: readonly RawRow[],
  asOf: Date,
): Promise<Array<Record<string, unknown>>> {
  const view = await checkEnrichmentColumns(deps, featureView, rows.length > 0 ? Object.keys(rows[0]) : []);
  const asOfMs = asOf.getTime();
  const features = resolveFeatureRefs(
    new Map([[view.name, view]]),
    view.features.map((f) => `${view.name}:${f.name}`),
    false,
  );
  const typed = rows.map((row) => {
    const out: Record<string, unknown> = { ...row };
    for (const e of view.entities)
      if (e.valueType === 'int64' && typeof out[e.name] === 'string' && /^-?\d+$/.test(out[e.name] as string))
        out[e.name] = Number(out[e.name]);
    if (out[EVENT_TIMESTAMP_FIELD] === undefined || out[EVENT_TIMESTAMP_FIELD] === '')
      out[EVENT_TIMESTAMP_FIELD] = asOf.toISOString();
    return out;
  });
  const entityRows = toEntityRows(features, typed);
  if (entityRows.length === 0) return [];
  // A loop, not Math.min(...): spreading millions of rows overflows the call stack.
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const r of entityRows) {
    first = Math.min(first, r.eventTimestampMs);
    last = Math.max(last, r.eventTimestampMs);
  }
  const fromMs = view.ttlSeconds > 0 ? first - view.ttlSeconds * 1000 : undefined;
  const files = (await deps.offline.listFiles(view.name, { fromMs, toMs: last + 1 })).filter(
    (f) => f.writtenAtMs <= asOfMs,
  );
  const history = (await Promise.all(files.map((f) => deps.offline.readRows(view, f)))).flat();
  return pointInTimeJoin(entityRows, features, new Map([[view.name, history]])).map(
    (r): Record<string, unknown> => ({ ...r.fields, ...(r.features as Record<string, FeatureValue>) }),
  );
}

/**
 * Joins a staged entity table (see `EntityTableWriter`) with every feature of the view on the
 * offline engine (Athena on AWS, DuckDB locally), with the rule above: only files committed (with a
 * manifest entry) and written at or before `asOf` are read, so a rerun reads what the first run
 * read. Returns the output's Parquet keys, in `__row_id` order.
 */
export async function joinEntityTable(
  deps: { readonly offline: Pick<OfflineStore, 'listFiles'>; readonly engine: EntityJoinEngine },
  view: FeatureView,
  input: Omit<EntityJoinInput, 'view' | 'files'>,
  asOf: Date,
): Promise<{ readonly keys: readonly string[] }> {
  const { minEventMs, maxEventMs } = input.entities;
  const files =
    minEventMs === undefined || maxEventMs === undefined
      ? []
      : (
          await deps.offline.listFiles(view.name, {
            fromMs: view.ttlSeconds > 0 ? minEventMs - view.ttlSeconds * 1000 : undefined,
            toMs: maxEventMs + 1,
          })
        ).filter((f) => f.writtenAtMs <= asOf.getTime());
  return deps.engine.joinEntities({ ...input, view, files });
}
