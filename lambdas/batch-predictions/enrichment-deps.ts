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
} from '../features';
import { csvRecords } from '../monitoring';
import { documentClient, requiredEnv } from '../shared/clients';
import type { S3BatchFiles } from './adapters/s3-batch-files';
import type { JobDeps } from './domain/ports';
import type { Enrich } from './domain/steps';

export interface Enrichment {
  readonly checkEntities: NonNullable<JobDeps['checkEntities']>;
  readonly enrich: Enrich;
}

/** @returns undefined where the function has no feature store (a feature-view input is then a 400) */
export function enrichmentFromEnv(files: S3BatchFiles): Enrichment | undefined {
  const table = process.env[ENV.featureRegistryTable];
  const bucket = process.env[ENV.featureOfflineBucket];
  if (!table || !bucket) return undefined;
  const views = new DynamoDbFeatureViewStore({
    client: documentClient(),
    table,
    auditTable: requiredEnv(ENV.auditTable),
  });
  let joins: Promise<EntityListJoin> | undefined;
  return {
    checkEntities: async (featureView, entities) => {
      const header = csvRecords(await files.firstLine(entities.bucket, entities.key))[0] ?? [];
      await checkEnrichmentColumns({ views }, featureView, header);
    },
    enrich: async (featureView, entities, asOf, run) => {
      joins ??= entityListJoinOf(bucket);
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
    },
  };
}
