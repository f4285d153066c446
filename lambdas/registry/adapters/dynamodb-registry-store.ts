/**
 * The registry on DynamoDB: one partition per model holding the model, its versions and aliases
 * (registry table), and the audit trail in its own table whose stream is the event outbox. Every
 * mutation is one conditional write or one transaction with its audit records.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../../../contracts/events';
import type { Model, ModelAlias, ModelVersion, Stage } from '../../../contracts/registry';
import { auditKeys, MODEL_KIND, REGISTRY_TABLE, registryKeys } from '../../../contracts/tables';
import { auditPut, type TransactItem } from '../../shared/audit-outbox';
import { conditional, isConditionFailure, isTransactionConflict } from '../../shared/dynamodb-errors';
import { ConflictError, ModelDeletingError, ModelNotFoundError } from '../../shared/errors';
import { encodePageToken, readPage } from '../../shared/http';
import { transactWrite } from '../../shared/idempotent-effect';
import type {
  ApprovalUpdate,
  ModelQuery,
  Page,
  PageRequest,
  RegistryStore,
  StageTransition,
} from '../domain/ports';
import { approvalUpdateItem } from './dynamodb-approval-store';

type Item = Record<string, unknown>;

/**
 * Attempts of one registration that see no other registration commit before a 409 asks the caller
 * to retry. A race lost to a registration that committed (the counter moved) is progress and is
 * not counted: 100 at once made the last ones lose more than a fixed count of races. Each lost race
 * costs a transaction, so n racing registrations cost about n^2/2 of them, and past what fits in
 * the time budget below the last ones get the 409.
 */
const MAX_REGISTRATION_ATTEMPTS = 60;
/** How long one registration keeps retrying lost races, inside API Gateway's 30 s. */
const REGISTRATION_BUDGET_MS = 20_000;

const KEY_ATTRIBUTES = ['pk', 'sk', 'kind'];
const strip = <T>(item: Item): T => {
  const out: Item = { ...item };
  for (const k of KEY_ATTRIBUTES) delete out[k];
  return out as T;
};

/**
 * The condition that an alias item is still what was read: the same version and `updatedAt`
 * (which a move always advances), or absent when nothing was read. A move or delete that lost a
 * race then fails instead of recording a `before` the alias no longer held.
 */
function aliasIsStill(expected: ModelAlias | undefined) {
  return expected
    ? {
        ConditionExpression: 'version = :expectedVersion AND updatedAt = :expectedUpdatedAt',
        ExpressionAttributeValues: {
          ':expectedVersion': expected.version,
          ':expectedUpdatedAt': expected.updatedAt,
        },
      }
    : { ConditionExpression: 'attribute_not_exists(pk)' };
}

export interface DynamoDbRegistryStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly registryTable: string;
  readonly auditTable: string;
}

export class DynamoDbRegistryStore implements RegistryStore {
  private readonly db: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly auditTable: string;

  constructor(props: DynamoDbRegistryStoreProps) {
    this.db = props.client;
    this.table = props.registryTable;
    this.auditTable = props.auditTable;
  }

  private auditPut(record: AuditRecord): TransactItem {
    return auditPut(this.auditTable, record);
  }

  /** Guards a transaction on the model still existing and ACTIVE. */
  private modelIsActive(name: string): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.table,
        Key: registryKeys.model(name),
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':active': 'ACTIVE' },
      },
    };
  }

  /** Every write of the registry: with the keyed request's idempotency record, if any. */
  private transact(items: TransactItem[]) {
    return transactWrite(this.db, items);
  }

  async createModel(model: Model, audit: AuditRecord): Promise<void> {
    await conditional(
      () =>
        this.transact([
          {
            Put: {
              TableName: this.table,
              Item: { ...registryKeys.model(model.name), kind: MODEL_KIND, ...model },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          this.auditPut(audit),
        ]),
      () => new ConflictError('MODEL_EXISTS', `model ${model.name} already exists`),
    );
  }

  async getModel(name: string): Promise<Model | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: registryKeys.model(name), ConsistentRead: true }),
    );
    return out.Item ? strip<Model>(out.Item) : undefined;
  }

  async listModels(query: ModelQuery): Promise<Page<Model>> {
    const names: Record<string, string> = { '#kind': 'kind' };
    const values: Record<string, unknown> = { ':kind': MODEL_KIND };
    let keyCondition = '#kind = :kind';
    if (query.prefix) {
      names['#name'] = 'name';
      values[':prefix'] = query.prefix;
      keyCondition += ' AND begins_with(#name, :prefix)';
    }
    let filter: string | undefined;
    if (query.tag) {
      names['#tags'] = 'tags';
      names['#tagKey'] = query.tag.key;
      if (query.tag.value === undefined) {
        filter = 'attribute_exists(#tags.#tagKey)';
      } else {
        values[':tagValue'] = query.tag.value;
        filter = '#tags.#tagKey = :tagValue';
      }
    }
    const input: QueryCommandInput = {
      TableName: this.table,
      IndexName: REGISTRY_TABLE.globalSecondaryIndexes[0].indexName,
      KeyConditionExpression: keyCondition,
      ...(filter ? { FilterExpression: filter } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    return this.page<Model>(input, query);
  }

  /** One page of a query; with a filter, reads on until `limit` matches or the end. */
  private async page<T>(input: QueryCommandInput, page: PageRequest): Promise<Page<T>> {
    const items: T[] = [];
    const query = (startKey: Record<string, unknown> | undefined) =>
      this.db.send(
        new QueryCommand({ ...input, Limit: page.limit - items.length, ExclusiveStartKey: startKey }),
      );
    // Only the caller's token can be forged; the keys DynamoDB returns are its own.
    let out = await readPage(page.nextToken, query);
    for (;;) {
      for (const item of out.Items ?? []) items.push(strip<T>(item));
      if (!out.LastEvaluatedKey || items.length >= page.limit) break;
      out = await query(out.LastEvaluatedKey);
    }
    const startKey = out.LastEvaluatedKey;
    const nextToken = encodePageToken(startKey);
    return nextToken ? { items, nextToken } : { items };
  }

  async updateModel(after: Model, expectedUpdatedAt: string, audit: AuditRecord): Promise<void> {
    await conditional(
      () =>
        this.transact([
          {
            Update: {
              TableName: this.table,
              Key: registryKeys.model(after.name),
              UpdateExpression: after.governance
                ? 'SET description = :d, tags = :t, updatedAt = :u, governance = :g'
                : 'SET description = :d, tags = :t, updatedAt = :u REMOVE governance',
              ConditionExpression: 'updatedAt = :expected AND #status = :active',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':d': after.description,
                ':t': after.tags,
                ':u': after.updatedAt,
                ':expected': expectedUpdatedAt,
                ':active': 'ACTIVE',
                ...(after.governance ? { ':g': after.governance } : {}),
              },
            },
          },
          this.auditPut(audit),
        ]),
      () =>
        new ConflictError(
          'CONCURRENT_MODIFICATION',
          `model ${after.name} changed meanwhile; read it and retry`,
        ),
    );
  }

  async renameModel(before: Model, after: Model, audit: AuditRecord): Promise<void> {
    try {
      await this.transact([
        {
          Delete: {
            TableName: this.table,
            Key: registryKeys.model(before.name),
            ConditionExpression: 'updatedAt = :expected AND #status = :active AND latestVersion = :zero',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':expected': before.updatedAt, ':active': 'ACTIVE', ':zero': 0 },
          },
        },
        {
          Put: {
            TableName: this.table,
            Item: { ...registryKeys.model(after.name), kind: MODEL_KIND, ...after },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        this.auditPut(audit),
      ]);
    } catch (err) {
      if (!(isConditionFailure(err) || isTransactionConflict(err))) throw err;
      // The reasons come in the order of the items: the old name's, then the new name's.
      const reasons = err instanceof TransactionCanceledException ? (err.CancellationReasons ?? []) : [];
      if (reasons[1]?.Code === 'ConditionalCheckFailed') {
        throw new ConflictError('MODEL_EXISTS', `model ${after.name} already exists`, { cause: err });
      }
      throw new ConflictError('CONCURRENT_MODIFICATION', `model ${before.name} changed meanwhile; retry`, {
        cause: err,
      });
    }
  }

  async markModelDeleting(name: string, at: string, audit: AuditRecord): Promise<void> {
    try {
      await this.transact([
        {
          Update: {
            TableName: this.table,
            Key: registryKeys.model(name),
            UpdateExpression: 'SET #status = :deleting, updatedAt = :at',
            ConditionExpression: '#status = :active AND productionVersions = :zero',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':deleting': 'DELETING',
              ':active': 'ACTIVE',
              ':zero': 0,
              ':at': at,
            },
          },
        },
        this.auditPut(audit),
      ]);
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const now = await this.getModel(name);
      if (now?.status === 'DELETING') return; // a concurrent delete got there first: go on purging
      if (now && now.productionVersions > 0) {
        throw new ConflictError('MODEL_IN_PRODUCTION', `model ${name} has a version in Production`, {
          cause: err,
        });
      }
      throw new ConflictError('CONCURRENT_MODIFICATION', `model ${name} changed meanwhile; retry`, {
        cause: err,
      });
    }
  }

  async purgeModel(name: string): Promise<void> {
    const pk = registryKeys.modelPartition(name);
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          // The whole partition: aliases (ALIAS#) and approvals (APPROVAL#) sort before MODEL.
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: startKey,
        }),
      );
      const keys = (out.Items ?? []) as Array<{ pk: string; sk: string }>;
      await this.deleteKeys(keys.filter((k) => k.sk !== registryKeys.model(name).sk));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    // The model item goes last, so a purge cut short leaves a DELETING model a retry can finish;
    // in a transaction, so a keyed delete's answer commits with it.
    await this.transact([{ Delete: { TableName: this.table, Key: registryKeys.model(name) } }]);
  }

  /** BatchWriteItem in chunks of 25, re-sending unprocessed items with backoff. */
  private async deleteKeys(keys: Array<{ pk: string; sk: string }>): Promise<void> {
    for (let i = 0; i < keys.length; i += 25) {
      let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error('DynamoDB left deletes unprocessed after 8 attempts');
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 50 * 2 ** attempt));
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
        requests = (out.UnprocessedItems?.[this.table] ?? []) as typeof requests;
      }
    }
  }

  /**
   * The number is taken in the version's own transaction: the model's `latestVersion` moves from
   * the number read to the next only if no one moved it meanwhile, with the version, its audit
   * record and the request's idempotency record. A registration that fails or never commits (a
   * crash, a fault, a refusal) takes no number, so numbers have no gaps; one that loses a race
   * reads the counter again and retries with jittered backoff.
   */
  async putNextVersion(
    name: string,
    build: (number: number) => { version: ModelVersion; audit: AuditRecord },
  ): Promise<ModelVersion> {
    const deadline = Date.now() + REGISTRATION_BUDGET_MS;
    let seen = -1;
    let stalled = 0; // attempts since the counter last moved
    for (let attempt = 0; ; attempt++) {
      const model = await this.getModel(name);
      if (!model) throw new ModelNotFoundError(name);
      if (model.status !== 'ACTIVE') throw new ModelDeletingError(name);
      const previous = model.latestVersion ?? 0;
      stalled = previous > seen ? 0 : stalled + 1; // a move is another registration's commit: progress
      seen = previous;
      const { version, audit } = build(previous + 1);
      try {
        await this.transact([
          {
            Update: {
              TableName: this.table,
              Key: registryKeys.model(name),
              UpdateExpression: 'SET latestVersion = :next',
              ConditionExpression:
                previous === 0
                  ? '#status = :active AND (attribute_not_exists(latestVersion) OR latestVersion = :previous)'
                  : '#status = :active AND latestVersion = :previous',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':next': version.version,
                ':previous': previous,
                ':active': 'ACTIVE',
              },
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: { ...registryKeys.version(name, version.version), ...version },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          this.auditPut(audit),
        ]);
        return version;
      } catch (err) {
        if (!isConditionFailure(err) && !isTransactionConflict(err)) throw err;
        const reasons = err instanceof TransactionCanceledException ? (err.CancellationReasons ?? []) : [];
        // The counter moved (a race lost: read it again); the counter held but the version exists.
        if (reasons[0]?.Code === 'None' && reasons[1]?.Code === 'ConditionalCheckFailed') {
          throw new ConflictError('VERSION_CONFLICT', `${name} already has version ${version.version}`, {
            cause: err,
          });
        }
        if (stalled + 1 >= MAX_REGISTRATION_ATTEMPTS || Date.now() > deadline) {
          throw new ConflictError(
            'CONCURRENT_MODIFICATION',
            `${name} took too many registrations at once; retry`,
            { cause: err },
          );
        }
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(250, 5 * 2 ** attempt)));
      }
    }
  }

  async putVersion(version: ModelVersion, audit: AuditRecord): Promise<void> {
    await conditional(
      () =>
        this.transact([
          {
            Put: {
              TableName: this.table,
              Item: { ...registryKeys.version(version.modelName, version.version), ...version },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          this.modelIsActive(version.modelName),
          this.auditPut(audit),
        ]),
      () =>
        new ConflictError('VERSION_CONFLICT', `${version.modelName} already has version ${version.version}`),
    );
  }

  async getVersion(name: string, version: number): Promise<ModelVersion | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: registryKeys.version(name, version),
        ConsistentRead: true,
      }),
    );
    return out.Item ? strip<ModelVersion>(out.Item) : undefined;
  }

  listVersions(name: string, page: PageRequest): Promise<Page<ModelVersion>> {
    return this.page<ModelVersion>(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': registryKeys.modelPartition(name),
          ':prefix': registryKeys.versionPrefix,
        },
        ConsistentRead: true,
      },
      page,
    );
  }

  async listVersionsInStage(name: string, stage: Stage): Promise<ModelVersion[]> {
    const all: ModelVersion[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.page<ModelVersion>(
        {
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: 'stage = :stage',
          ExpressionAttributeValues: {
            ':pk': registryKeys.modelPartition(name),
            ':prefix': registryKeys.versionPrefix,
            ':stage': stage,
          },
          ConsistentRead: true,
        },
        { limit: 100, nextToken },
      );
      all.push(...page.items);
      nextToken = page.nextToken;
    } while (nextToken);
    return all;
  }

  async updateVersion(after: ModelVersion, expectedUpdatedAt: string, audit: AuditRecord): Promise<void> {
    const { pk, sk } = registryKeys.version(after.modelName, after.version);
    await conditional(
      () =>
        this.transact([
          {
            Put: {
              TableName: this.table,
              Item: { pk, sk, ...after },
              ConditionExpression: 'updatedAt = :expected',
              ExpressionAttributeValues: { ':expected': expectedUpdatedAt },
            },
          },
          this.modelIsActive(after.modelName),
          this.auditPut(audit),
        ]),
      () =>
        new ConflictError(
          'CONCURRENT_MODIFICATION',
          `${after.modelName} version ${after.version} changed meanwhile; read it and retry`,
        ),
    );
  }

  async deleteVersion(
    expected: ModelVersion,
    aliases: readonly ModelAlias[],
    audit: AuditRecord,
  ): Promise<void> {
    const { modelName: name, version } = expected;
    await conditional(
      () =>
        this.transact([
          {
            Delete: {
              TableName: this.table,
              Key: registryKeys.version(name, version),
              ConditionExpression: 'updatedAt = :expected',
              ExpressionAttributeValues: { ':expected': expected.updatedAt },
            },
          },
          // An alias moved onto this version since the read fails its check: the delete is refused
          // rather than leaving the alias pointing at nothing.
          ...aliases.map(
            (a): TransactItem => ({
              ConditionCheck: {
                TableName: this.table,
                Key: registryKeys.alias(name, a.alias),
                ...aliasIsStill(a),
              },
            }),
          ),
          this.modelIsActive(name),
          this.auditPut(audit),
        ]),
      () =>
        new ConflictError(
          'CONCURRENT_MODIFICATION',
          `${name} version ${version} or its aliases changed meanwhile; read it and retry`,
        ),
    );
  }

  async applyStageTransition(
    t: StageTransition,
    audits: AuditRecord[],
    approval?: ApprovalUpdate,
  ): Promise<void> {
    // Each version is conditioned on its stage and `updatedAt` as read: the stage alone would let
    // a version that left and came back meanwhile pass, and its audit order would then disagree
    // with the order the writes committed in.
    const setStage = (
      version: number,
      from: Stage,
      to: Stage,
      expected: string,
      ready?: true,
    ): TransactItem => ({
      Update: {
        TableName: this.table,
        Key: registryKeys.version(t.modelName, version),
        UpdateExpression: 'SET stage = :to, updatedAt = :at',
        ConditionExpression: `stage = :from AND updatedAt = :expected${ready ? ' AND #status = :ready' : ''}`,
        ...(ready ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ExpressionAttributeValues: {
          ':to': to,
          ':from': from,
          ':at': t.at,
          ':expected': expected,
          ...(ready ? { ':ready': 'READY' } : {}),
        },
      },
    });
    await conditional(
      () =>
        this.transact([
          setStage(t.version, t.from, t.to, t.expectedUpdatedAt, true),
          ...t.archive.map((a) => setStage(a.version, a.from, 'Archived', a.updatedAt)),
          {
            Update: {
              TableName: this.table,
              Key: registryKeys.model(t.modelName),
              UpdateExpression: 'ADD productionVersions :productionDelta, stagingVersions :stagingDelta',
              // Archiving into a stage: its count as read, with each archived version's stage
              // checked above, pins the exact set of versions in that stage this change replaces.
              ConditionExpression: [
                '#status = :active',
                ...(t.expectedProductionVersions === undefined
                  ? []
                  : ['productionVersions = :expectedProduction']),
                // A model registered before the count gets it first (`backfillStagingVersions`):
                // ADD to a missing count would start it from 0 and miscount the versions there.
                ...(t.stagingDelta !== 0 || t.expectedStagingVersions !== undefined
                  ? ['attribute_exists(stagingVersions)']
                  : []),
                ...(t.expectedStagingVersions === undefined ? [] : ['stagingVersions = :expectedStaging']),
              ].join(' AND '),
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':productionDelta': t.productionDelta,
                ':stagingDelta': t.stagingDelta,
                ':active': 'ACTIVE',
                ...(t.expectedProductionVersions === undefined
                  ? {}
                  : { ':expectedProduction': t.expectedProductionVersions }),
                ...(t.expectedStagingVersions === undefined
                  ? {}
                  : { ':expectedStaging': t.expectedStagingVersions }),
              },
            },
          },
          ...audits.map((a) => this.auditPut(a)),
          ...(approval ? [approvalUpdateItem(this.table, approval)] : []),
        ]),
      () =>
        new ConflictError(
          'CONCURRENT_MODIFICATION',
          `${t.modelName} version ${t.version} or a version in ${t.to} changed meanwhile; read them and retry`,
        ),
    );
  }

  async backfillStagingVersions(name: string, count: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: registryKeys.model(name),
          UpdateExpression: 'SET stagingVersions = :count',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(stagingVersions)',
          ExpressionAttributeValues: { ':count': count },
        }),
      );
    } catch (err) {
      // Counted already (a racing backfill, from the same versions) or deleted: nothing to set.
      if (!isConditionFailure(err)) throw err;
    }
  }

  async putAlias(alias: ModelAlias, expected: ModelAlias | undefined, audit: AuditRecord): Promise<void> {
    await conditional(
      () =>
        this.transact([
          {
            Put: {
              TableName: this.table,
              Item: { ...registryKeys.alias(alias.modelName, alias.alias), ...alias },
              ...aliasIsStill(expected),
            },
          },
          {
            ConditionCheck: {
              TableName: this.table,
              Key: registryKeys.version(alias.modelName, alias.version),
              ConditionExpression: '#status = :ready',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':ready': 'READY' },
            },
          },
          this.modelIsActive(alias.modelName),
          this.auditPut(audit),
        ]),
      () => new ConflictError('CONCURRENT_MODIFICATION', `model ${alias.modelName} changed meanwhile; retry`),
    );
  }

  async getAlias(name: string, alias: string): Promise<ModelAlias | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: registryKeys.alias(name, alias), ConsistentRead: true }),
    );
    return out.Item ? strip<ModelAlias>(out.Item) : undefined;
  }

  async listAliases(name: string): Promise<ModelAlias[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': registryKeys.modelPartition(name),
          ':prefix': registryKeys.aliasPrefix,
        },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map((i) => strip<ModelAlias>(i));
  }

  async deleteAlias(expected: ModelAlias, audit: AuditRecord): Promise<void> {
    const { modelName: name, alias } = expected;
    await conditional(
      () =>
        this.transact([
          {
            Delete: {
              TableName: this.table,
              Key: registryKeys.alias(name, alias),
              ...aliasIsStill(expected),
            },
          },
          this.modelIsActive(name),
          this.auditPut(audit),
        ]),
      () =>
        new ConflictError('CONCURRENT_MODIFICATION', `alias ${alias} of ${name} changed meanwhile; retry`),
    );
  }

  async listAudit(name: string, page: PageRequest): Promise<Page<AuditRecord>> {
    return this.page<AuditRecord>(
      {
        TableName: this.auditTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': auditKeys.partition(name) },
        ScanIndexForward: false,
      },
      page,
    );
  }
}
