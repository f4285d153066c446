/**
 * Enrichment from the feature store's offline store, wired where the stack gives a batch function
 * the view registry and the offline bucket (`FEATURE_REGISTRY_TABLE_NAME`,
 * `FEATURE_OFFLINE_BUCKET_NAME`): the API checks an entity list's header against the view; the
 * prepare step streams the list, a record a line, into the feature store's entity table and joins
 * it on the feature store's offline engine (Athena on AWS, DuckDB locally).
 */
import { ENV } from '../../contracts/env';
import {
  checkEnrichmentColumns,
  DynamoDbFeatureViewStore,
  type EntityListJoin,
  entityListJoinOf,
  type OfflineEngineConfig,
} from '../features';
import { csvRecords } from '../monitoring';
import { documentClient, requiredEnv } from '../shared/clients';
import type { S3BatchFiles } from './adapters/s3-batch-files';
import type { JobDeps } from './domain/ports';
import type { Enrich } from './domain/steps';

/** The view registry, where the function has a feature store. */
function viewsFromEnv(): { views: DynamoDbFeatureViewStore; bucket: string } | undefined {
  const table = process.env[ENV.featureRegistryTable];
  const bucket = process.env[ENV.featureOfflineBucket];
  if (!table || !bucket) return undefined;
  const views = new DynamoDbFeatureViewStore({
    client: documentClient(),
    table,
    auditTable: requiredEnv(ENV.auditTable),
  });
  return { views, bucket };
}

/** The API's check of an entity list's header. @returns undefined without a feature store (a 400) */
export function entityCheckFromEnv(files: S3BatchFiles): JobDeps['checkEntities'] {
  const store = viewsFromEnv();
  if (!store) return undefined;
  return async (featureView, entities) => {
    const header = csvRecords(await files.firstLine(entities.bucket, entities.key))[0] ?? [];
    await checkEnrichmentColumns(store, featureView, header);
  };
}

/**
 * The prepare step's join, on the engine the stack names for the steps (`FEATURE_OFFLINE_ENGINE`,
 * with Athena's database and workgroup). @returns undefined without a feature store
 */
export function enrichFromEnv(files: S3BatchFiles): Enrich | undefined {
  const store = viewsFromEnv();
  if (!store) return undefined;
  const { views, bucket } = store;
  let joins: Promise<EntityListJoin> | undefined;
  const engine = (): OfflineEngineConfig =>
    process.env[ENV.featureOfflineEngine] === 'duckdb'
      ? { engine: 'duckdb' }
      : {
          engine: 'athena',
          database: requiredEnv(ENV.featureGlueDatabase),
          workGroup: requiredEnv(ENV.featureAthenaWorkgroup),
        };
  return async (featureView, entities, asOf, run) => {
    joins ??= entityListJoinOf(bucket, engine());
    const join = await joins;
    const header = csvRecords(await files.firstLine(entities.bucket, entities.key))[0] ?? [];
    const view = await checkEnrichmentColumns({ views }, featureView, header);
    const writer = join.writer({
      view,
      header,
      asOf,
      target: { bucket: run.work.bucket, prefix: `${run.work.prefix}entities/` },
    });
    // A record a line, as the list's dead letters count lines; the header is the first.
    let first = true;
    await files.eachLine(entities.bucket, entities.key, async (line) => {
      if (first) first = false;
      else await writer.add(csvRecords(line)[0] ?? []);
    });
    const staged = await writer.close();
    const keys = await join.join(
      view,
      { runId: run.runId, entities: staged, work: run.work, rowsPerFile: run.rowsPerFile },
      asOf,
    );
    return { keys, featureNames: view.features.map((f) => f.name) };
  };
}
