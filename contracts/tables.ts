/**
 * DynamoDB table declarations shared by the CDK storage construct, the adapters and local mode,
 * so a key name is written once. Every table is on-demand with a string partition key `pk` and
 * string sort key `sk` unless said otherwise.
 */

/** A table's key schema and secondary indexes, enough to create it in CDK or DynamoDB Local. */
export interface TableDeclaration {
  /** Logical name: the CDK construct id, and the local table name. */
  readonly id: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly globalSecondaryIndexes?: ReadonlyArray<{
    indexName: string;
    partitionKey: string;
    sortKey: string;
  }>;
  /** Attribute holding an epoch-seconds expiry, when items expire. */
  readonly timeToLiveAttribute?: string;
  /** Whether the table publishes a stream of new images (the event outbox). */
  readonly streamNewImages?: boolean;
}

/** Models, versions and aliases in one table: a model and everything under it share a partition. */
export const REGISTRY_TABLE = {
  id: 'Registry',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [{ indexName: 'byKind', partitionKey: 'kind', sortKey: 'name' }],
} as const satisfies TableDeclaration;

/**
 * The audit trail, which is also the transactional outbox: every state change writes its audit
 * record in the same transaction, and the table's stream publishes it to EventBridge, so an event
 * is never lost nor sent for a change that did not commit. Kept apart from the registry table so
 * history outlives a deleted model.
 */
export const AUDIT_TABLE = {
  id: 'Audit',
  partitionKey: 'pk',
  sortKey: 'sk',
  streamNewImages: true,
} as const satisfies TableDeclaration;

/** Powertools idempotency records: `id` key, `expiration` TTL (its default attribute names). */
export const IDEMPOTENCY_TABLE = {
  id: 'Idempotency',
  partitionKey: 'id',
  timeToLiveAttribute: 'expiration',
} as const satisfies TableDeclaration;

export const TABLES: readonly TableDeclaration[] = [REGISTRY_TABLE, AUDIT_TABLE, IDEMPOTENCY_TABLE];

/** Item keys of the registry table. Version numbers are zero-padded so they sort numerically. */
export const registryKeys = {
  model: (name: string) => ({ pk: `MODEL#${name}`, sk: 'MODEL' }),
  version: (name: string, version: number) => ({
    pk: `MODEL#${name}`,
    sk: `VERSION#${String(version).padStart(10, '0')}`,
  }),
  versionPrefix: 'VERSION#',
  alias: (name: string, alias: string) => ({ pk: `MODEL#${name}`, sk: `ALIAS#${alias}` }),
  aliasPrefix: 'ALIAS#',
  modelPartition: (name: string) => `MODEL#${name}`,
} as const;

/** The `kind` value indexed by `byKind` for listing models by name prefix. */
export const MODEL_KIND = 'MODEL';

/** Audit keys: one partition per model, sorted by time then a unique id. */
export const auditKeys = {
  record: (modelName: string, at: string, id: string) => ({ pk: `MODEL#${modelName}`, sk: `${at}#${id}` }),
  partition: (modelName: string) => `MODEL#${modelName}`,
} as const;
