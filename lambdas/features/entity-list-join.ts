/**
 * Enrichment of an entity list on the feature store's offline engine, imported on first use by
 * `entityListJoinOf`: the list staged as Parquet (`EntityTableWriter`), then joined with a view by
 * the engine the caller names (Athena on AWS, DuckDB locally) with the training sets' SQL, reading
 * only the offline files committed as of the run's `asOf`.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { FeatureView } from '../../contracts/features';
import { s3Client } from '../shared/s3-client';
import { EntityTableWriter, type EntityTableWriterProps } from './adapters/entity-list-table';
import { S3OfflineStore } from './adapters/s3-offline-store';
import { joinEntityTable } from './domain/enrich';
import type { EntityJoinInput } from './domain/ports';
import { type OfflineEngineConfig, offlineEngine } from './engine-on-demand';

export interface EntityListJoin {
  /** A writer staging an entity list's records as the engine's entity table. */
  writer(props: Omit<EntityTableWriterProps, 'put'>): EntityTableWriter;
  /** Joins a staged table with every feature of the view as of `asOf`; the output's Parquet keys. */
  join(
    view: FeatureView,
    input: Omit<EntityJoinInput, 'view' | 'files'>,
    asOf: Date,
  ): Promise<readonly string[]>;
}

export function entityListJoin(bucket: string, config: OfflineEngineConfig): EntityListJoin {
  const offline = new S3OfflineStore({ client: s3Client(), bucket });
  const engine = offlineEngine(offline, bucket, config);
  return {
    writer: (props) =>
      new EntityTableWriter({
        ...props,
        put: async (b, key, body) => {
          await s3Client().send(new PutObjectCommand({ Bucket: b, Key: key, Body: body }));
        },
      }),
    join: async (view, input, asOf) => (await joinEntityTable({ offline, engine }, view, input, asOf)).keys,
  };
}
