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
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Deployment } from '../../../contracts/deployment';
import type { AuditRecord } from '../../../contracts/events';
import { deploymentKeys } from '../../../contracts/tables';
import { auditPut, type TransactItem } from '../../shared/audit-outbox';
import { conditional, isConditionFailure } from '../../shared/dynamodb-errors';
import { ConflictError } from '../../shared/errors';
import { transactWrite } from '../../shared/idempotent-effect';
import type { DeploymentStore, LockResult } from '../domain/ports';

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

  async createDeployment(deployment: Deployment, audit: AuditRecord): Promise<void> {
    // With a keyed request's idempotency record: the rollout's start commits with its key.
    await conditional(
      () =>
        transactWrite(this.db, [
          {
            Put: {
              TableName: this.table,
              Item: {
                ...deploymentKeys.deployment(deployment.modelName, deployment.deploymentId),
                ...deployment,
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
    const { pk: _pk, sk: _sk, ...deployment } = out.Item;
    return deployment as Deployment;
  }

  async updateDeployment(deployment: Deployment, audit?: AuditRecord): Promise<void> {
    const put: TransactItem = {
      Put: {
        TableName: this.table,
        Item: { ...deploymentKeys.deployment(deployment.modelName, deployment.deploymentId), ...deployment },
      },
    };
    await this.db.send(
      new TransactWriteCommand({ TransactItems: audit ? [put, this.auditPut(audit)] : [put] }),
    );
  }

  async finishDeployment(deployment: Deployment, audit: AuditRecord): Promise<void> {
    const id = deployment.deploymentId;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: { ...deploymentKeys.deployment(deployment.modelName, id), ...deployment },
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
        new ConflictError('CONCURRENT_MODIFICATION', `the lock of ${deployment.modelName} changed meanwhile`),
    );
  }

  async recordAudit(audit: AuditRecord): Promise<void> {
    await this.db.send(new TransactWriteCommand({ TransactItems: [this.auditPut(audit)] }));
  }
}
