/**
 * Rollout records and the per-model rollout lock on DynamoDB. The lock is one item written with a
 * condition (free, ours, or expired), so two rollouts of one model can never both hold it; every
 * record change commits with its audit record in one transaction (the audit stream is the outbox).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Deployment, EndpointRouting, RolloutInput } from '../../../contracts/deployment';
import type { AuditRecord } from '../../../contracts/events';
import { DEPLOYMENTS_TABLE, deploymentKeys } from '../../../contracts/tables';
import { auditPut, type TransactItem } from '../../shared/audit-outbox';
import { conditional, isConditionFailure } from '../../shared/dynamodb-errors';
import { BadRequestError, ConflictError } from '../../shared/errors';
import { encodePageToken, readPage } from '../../shared/http';
import { transactWrite } from '../../shared/idempotent-effect';
import type { DeploymentStore, LockResult, Page, PageRequest } from '../domain/ports';
import type { RolloutResources } from '../domain/state';

const BY_CREATED_AT = DEPLOYMENTS_TABLE.globalSecondaryIndexes[0].indexName;

/** The attribute holding the execution input the route started (or will start) the rollout with. */
const START_INPUT = 'startInput';

/**
 * What a rollout made, kept beside its record in an item of its own: a task's later writes
 * replace the record whole and need not carry it, and it has no `createdAt`, so the list index
 * never shows it.
 */
const resourcesKey = (modelName: string, deploymentId: string) => {
  const key = deploymentKeys.deployment(modelName, deploymentId);
  return { ...key, sk: `${key.sk}#RESOURCES` };
};

/** A record as the routes report it: no keys, no kept input. */
function toDeployment(item: Record<string, unknown>): Deployment {
  const { pk: _pk, sk: _sk, [START_INPUT]: _input, ...deployment } = item;
  return deployment as unknown as Deployment;
}

export interface DynamoDbDeploymentStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly deploymentsTable: string;
  readonly auditTable: string;
}

export class DynamoDbDeploymentStore implements DeploymentStore {
  private readonly db: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly auditTable: string;

  constructor(props: DynamoDbDeploymentStoreProps) {
    this.db = props.client;
    this.table = props.deploymentsTable;
    this.auditTable = props.auditTable;
  }

  private auditPut(record: AuditRecord): TransactItem {
    return auditPut(this.auditTable, record);
  }

  async acquireLock(
    modelName: string,
    deploymentId: string,
    expiresAt: string,
    now: string,
  ): Promise<LockResult> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...deploymentKeys.lock(modelName), deploymentId, expiresAt, acquiredAt: now },
          ConditionExpression: 'attribute_not_exists(pk) OR deploymentId = :id OR expiresAt < :now',
          ExpressionAttributeValues: { ':id': deploymentId, ':now': now },
        }),
      );
      return { acquired: true };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const held = await this.db.send(
        new GetCommand({ TableName: this.table, Key: deploymentKeys.lock(modelName), ConsistentRead: true }),
      );
      return { acquired: false, holder: String(held.Item?.deploymentId ?? 'unknown') };
    }
  }

  async releaseLock(modelName: string, deploymentId: string): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.table,
                Key: deploymentKeys.lock(modelName),
                ConditionExpression: 'deploymentId = :id',
                ExpressionAttributeValues: { ':id': deploymentId },
              },
            },
          ],
        }),
      );
    } catch (err) {
      // Someone else's lock (ours expired and was taken over) or none: nothing of ours to release.
      if (!isConditionFailure(err)) throw err;
    }
  }

  async createDeployment(deployment: Deployment, audit: AuditRecord, input?: RolloutInput): Promise<void> {
    // With a keyed request's idempotency record: the rollout's start commits with its key. The
    // input is kept as text, so a second start sends Step Functions the same bytes (a start with
    // the same name and input is idempotent; any other input is ExecutionAlreadyExists).
    await conditional(
      () =>
        transactWrite(this.db, [
          {
            Put: {
              TableName: this.table,
              Item: {
                ...deploymentKeys.deployment(deployment.modelName, deployment.deploymentId),
                ...deployment,
                ...(input ? { [START_INPUT]: JSON.stringify(input) } : {}),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          this.auditPut(audit),
        ]),
      () => new ConflictError('DEPLOYMENT_EXISTS', `deployment ${deployment.deploymentId} exists`),
    );
  }

  async getDeployment(modelName: string, deploymentId: string): Promise<Deployment | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: deploymentKeys.deployment(modelName, deploymentId),
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return undefined;
    return toDeployment(out.Item);
  }

  async getStartInput(modelName: string, deploymentId: string): Promise<RolloutInput | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: deploymentKeys.deployment(modelName, deploymentId),
        ProjectionExpression: '#input',
        ExpressionAttributeNames: { '#input': START_INPUT },
        ConsistentRead: true,
      }),
    );
    const text = out.Item?.[START_INPUT];
    return typeof text === 'string' ? (JSON.parse(text) as RolloutInput) : undefined;
  }

  async updateStoppedPhase(deployment: Deployment, from: { readonly phase: string }): Promise<void> {
    await conditional(
      () =>
        this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...deploymentKeys.deployment(deployment.modelName, deployment.deploymentId),
              ...deployment,
            },
            ConditionExpression: '#phase = :from',
            ExpressionAttributeNames: { '#phase': 'phase' },
            ExpressionAttributeValues: { ':from': from.phase },
          }),
        ),
      () =>
        new ConflictError(
          'CONCURRENT_MODIFICATION',
          `deployment ${deployment.deploymentId} left phase ${from.phase} meanwhile`,
        ),
    );
  }

  async updateDeployment(
    deployment: Deployment,
    audit?: AuditRecord,
    resources?: RolloutResources,
  ): Promise<void> {
    const put: TransactItem = {
      Put: {
        TableName: this.table,
        Item: { ...deploymentKeys.deployment(deployment.modelName, deployment.deploymentId), ...deployment },
        // A step of a rollout that has ended (its execution stopped while the step ran) must not
        // bring the finished record back to RUNNING.
        ConditionExpression: 'attribute_not_exists(pk) OR #status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':running': 'RUNNING' },
      },
    };
    const items: TransactItem[] = [put];
    if (resources) {
      // In the same transaction as the record's conditioned write: kept only while RUNNING.
      const key = resourcesKey(deployment.modelName, deployment.deploymentId);
      items.push({ Put: { TableName: this.table, Item: { ...key, resources: JSON.stringify(resources) } } });
    }
    if (audit) items.push(this.auditPut(audit));
    await conditional(
      () => this.db.send(new TransactWriteCommand({ TransactItems: items })),
      () =>
        new ConflictError(
          'CONCURRENT_MODIFICATION',
          `deployment ${deployment.deploymentId} has already ended`,
        ),
    );
  }

  async getRolloutResources(modelName: string, deploymentId: string): Promise<RolloutResources | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: resourcesKey(modelName, deploymentId),
        ConsistentRead: true,
      }),
    );
    const text = out.Item?.resources;
    return typeof text === 'string' ? (JSON.parse(text) as RolloutResources) : undefined;
  }

  async finishDeployment(
    deployment: Deployment,
    audit: AuditRecord,
    from?: { readonly phase: string },
  ): Promise<void> {
    const id = deployment.deploymentId;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: { ...deploymentKeys.deployment(deployment.modelName, id), ...deployment },
          // Finished once: a redelivered stop report, or a task still running when its execution
          // was stopped, finds it ended and writes (and audits) nothing. A stopped rollout's undo
          // finishes from its own phase, which no task writes.
          ...(from
            ? {
                ConditionExpression: '#phase = :from',
                ExpressionAttributeNames: { '#phase': 'phase' },
                ExpressionAttributeValues: { ':from': from.phase },
              }
            : {
                ConditionExpression: 'attribute_not_exists(pk) OR #status = :running',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':running': 'RUNNING' },
              }),
        },
      },
      this.auditPut(audit),
    ];
    // The lock goes in the same transaction when it is still ours; a lock taken over after it
    // expired belongs to the newer rollout and stays.
    const lock = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: deploymentKeys.lock(deployment.modelName),
        ConsistentRead: true,
      }),
    );
    if (lock.Item?.deploymentId === id) {
      items.push({
        Delete: {
          TableName: this.table,
          Key: deploymentKeys.lock(deployment.modelName),
          ConditionExpression: 'deploymentId = :id',
          ExpressionAttributeValues: { ':id': id },
        },
      });
    }
    await conditional(
      () => this.db.send(new TransactWriteCommand({ TransactItems: items })),
      () =>
        new ConflictError(
          'CONCURRENT_MODIFICATION',
          `deployment ${id} has ended, or the lock of ${deployment.modelName} changed, meanwhile`,
        ),
    );
  }

  async recordAudit(audit: AuditRecord): Promise<void> {
    await this.db.send(new TransactWriteCommand({ TransactItems: [this.auditPut(audit)] }));
  }

  async putRouting(routing: EndpointRouting): Promise<void> {
    // Only the rollout holding the model's lock moves weights, so a plain put cannot race one.
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...deploymentKeys.routing(routing.modelName), ...routing },
      }),
    );
  }

  async listDeployments(modelName: string, page: PageRequest): Promise<Page<Deployment>> {
    const partition = deploymentKeys.partition(modelName);
    const out = await readPage(page.nextToken, (key) =>
      this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: BY_CREATED_AT,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ScanIndexForward: false,
          Limit: page.limit,
          ExclusiveStartKey: startKey(key, partition),
        }),
      ),
    );
    const items = (out.Items ?? []).map(toDeployment);
    const nextToken = encodePageToken(out.LastEvaluatedKey);
    return { items, ...(nextToken ? { nextToken } : {}) };
  }

  async lockHolder(modelName: string): Promise<string | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: deploymentKeys.lock(modelName), ConsistentRead: true }),
    );
    return typeof out.Item?.deploymentId === 'string' ? out.Item.deploymentId : undefined;
  }
}

/**
 * The key a page continues after: one this API issued for the same model (DynamoDB answers a key
 * of another partition or shape with a 500-worthy ValidationException).
 */
function startKey(
  key: Record<string, unknown> | undefined,
  partition: string,
): Record<string, unknown> | undefined {
  if (!key) return undefined;
  const names = Object.keys(key).sort().join(',');
  if (
    key.pk !== partition ||
    names !== 'createdAt,pk,sk' ||
    typeof key.sk !== 'string' ||
    typeof key.createdAt !== 'string'
  ) {
    throw new BadRequestError(
      'INVALID_PAGE_TOKEN',
      'nextToken is not a token this API issued for this model',
    );
  }
  return key;
}
