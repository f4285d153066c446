/**
 * Enrichment for batch scoring: an entity list joined with every feature of one view from the
 * offline store, point in time, as of one fixed instant, on the engine that builds training sets
 * (the list staged as its entity table by `EntityTableWriter`, the join its SQL).
 *
 * A row without an `event_timestamp` joins as of `asOf`. Files written after `asOf` are left out
 * whatever their event times, so the join is "as known at `asOf`": a job resumed later, with rows
 * pushed meanwhile, enriches exactly as its first run did.
 */
import type { FeatureView } from '../../../contracts/features';
import { FeatureViewNotFoundError, type RowProblem, ValidationFailedError } from './errors';
import type { EntityJoinEngine, EntityJoinInput, FeatureViewStore, OfflineStore } from './ports';

export interface EnrichmentDeps {
  readonly views: Pick<FeatureViewStore, 'get'>;
}

/**
 * A column name the entity table may have: a lowercase identifier. Athena's tables live in the Glue
 * catalog, which folds names to lower case, so `Customer_ID` would not be the column the join
 * reads; the same rule holds locally, so a list refused on AWS is refused by `npm start` too.
 * @see https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
 */
const ENTITY_COLUMN = /^[a-z_][a-z0-9_]*$/;

/**
 * The view, once every one of its join keys is among `columns` and every column is a lowercase
 * identifier.
 * @throws FeatureViewNotFoundError (404), ValidationFailedError (422) naming each missing key and
 *   each column the engine cannot name
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
  for (const column of columns.filter((c) => !ENTITY_COLUMN.test(c))) {
    problems.push({
      field: column,
      rule: 'NAME_FORMAT',
      reason: `entity row columns must be lowercase identifiers ([a-z_][a-z0-9_]*), got ${JSON.stringify(column)}`,
    });
  }
  if (problems.length > 0) throw new ValidationFailedError('Entity rows', problems);
  return view;
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
