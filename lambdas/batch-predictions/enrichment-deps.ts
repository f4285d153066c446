/**
 * Enrichment from the feature store's offline store, wired where the stack gives a batch function
 * the view registry and the offline bucket (`FEATURE_REGISTRY_TABLE_NAME`,
 * `FEATURE_OFFLINE_BUCKET_NAME`): the API checks an entity list's header against the view, the
 * prepare step joins the rows through the feature store's public surface.
 */
import { ENV } from '../../contracts/env';
import {
  checkEnrichmentColumns,
  DynamoDbFeatureViewStore,
  enrichFromOfflineStore,
  offlineStoreOf,
  type S3OfflineStore,
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

/** Header and rows of a CSV as records keyed by column; a short row leaves its last columns absent. */
function csvRows(text: string): Array<Record<string, string>> {
  const [header = [], ...records] = csvRecords(text);
  return records.map((r) => {
    const row: Record<string, string> = {};
    header.forEach((name, i) => {
      if (i < r.length) row[name] = r[i];
    });
    return row;
  });
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
  let offline: Promise<S3OfflineStore> | undefined;
  return {
    checkEntities: async (featureView, entities) => {
      const header = csvRecords(await files.firstLine(entities.bucket, entities.key))[0] ?? [];
      await checkEnrichmentColumns({ views }, featureView, header);
    },
    enrich: async (featureView, entities, asOf) => {
      const rows = csvRows(await files.readText(entities.bucket, entities.key));
      offline ??= offlineStoreOf(bucket);
      const joined = await enrichFromOfflineStore({ views, offline: await offline }, featureView, rows, asOf);
      const view = await checkEnrichmentColumns({ views }, featureView, Object.keys(rows[0] ?? {}));
      return {
        jsonLines: joined.map((r) => `${JSON.stringify(r)}\n`).join(''),
        featureNames: view.features.map((f) => f.name),
      };
    },
  };
}
