/**
 * Erasure records and tombstones in the feature registry table (the tombstones are read by every
 * push and materialization there), audit records in the Audit table (the event outbox). Each
 * state change is one TransactWriteItems with its audit record, conditioned on the state it
 * replaces, so a receipt exists exactly when the change does.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ErasureAuditRecord } from '../../../contracts/events';
import type { ErasureResult } from '../../../contracts/privacy';
import { featureKeys } from '../../../contracts/tables';
import type { TransactItem } from '../../shared/audit-outbox';
import { isConditionFailure, isTransactionConflict } from '../../shared/dynamodb-errors';
import { ConflictError } from '../../shared/errors';
import { ErasureMovedOnError } from '../domain/errors';
import type { ErasureProgress, ErasureStore, StoredErasure } from '../domain/ports';

export interface DynamoDbErasureStoreProps {
  readonly client: DynamoDBDocumentClient;
  /** The feature registry table. */
  readonly table: string;
  readonly auditTable: string;
}

export class DynamoDbErasureStore implements ErasureStore {
  constructor(private readonly props: DynamoDbErasureStoreProps) {}

  private auditPut(record: ErasureAuditRecord): TransactItem {
    return {
      Put: {
        TableName: this.props.auditTable,
        Item: { ...featureKeys.erasureAudit(record.erasureId, record.at, record.id), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  async create(
    erasure: StoredErasure,
    tombstones: readonly string[],
    audit: ErasureAuditRecord,
  ): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.props.table,
          Item: { ...featureKeys.erasure(erasure.erasureId), ...erasure },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      // A tombstone is kept whatever erasure wrote it first: the later one overwrites the same fact.
      ...tombstones.map(
        (hash): TransactItem => ({
          Put: {
            TableName: this.props.table,
            Item: { ...featureKeys.tombstone(hash), erasedAt: erasure.requestedAt },
          },
        }),
      ),
      this.auditPut(audit),
    ];
    try {
      await this.props.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (isConditionFailure(err)) {
        throw new ConflictError('CONCURRENT_MODIFICATION', `erasure ${erasure.erasureId} exists already`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  async get(erasureId: string): Promise<StoredErasure | undefined> {
    const out = await this.props.client.send(
      new GetCommand({
        TableName: this.props.table,
        Key: featureKeys.erasure(erasureId),
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, ...erasure } = out.Item;
    return erasure as StoredErasure;
  }

  async claim(
    erasureId: string,
    at: string,
    nowMs: number,
    lockedUntilMs: number,
  ): Promise<'claimed' | 'busy' | 'done'> {
    try {
      await this.props.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.props.table,
                Key: featureKeys.erasure(erasureId),
                UpdateExpression: 'SET #status = :running, updatedAt = :at REMOVE #error',
                ConditionExpression: '#status IN (:pending, :running, :failed)',
                ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
                ExpressionAttributeValues: {
                  ':running': 'RUNNING',
                  ':pending': 'PENDING',
                  ':failed': 'FAILED',
                  ':at': at,
                },
              },
            },
            {
              Put: {
                TableName: this.props.table,
                Item: { ...featureKeys.erasureLock, holder: erasureId, lockedUntilMs },
                // Free, expired (a crashed run), or already ours (a retried run).
                ConditionExpression: 'attribute_not_exists(pk) OR lockedUntilMs < :now OR holder = :id',
                ExpressionAttributeValues: { ':now': nowMs, ':id': erasureId },
              },
            },
          ],
        }),
      );
      return 'claimed';
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [erasure, lock] = err.CancellationReasons ?? [];
      if (erasure?.Code === 'ConditionalCheckFailed') return 'done';
      if (lock?.Code === 'ConditionalCheckFailed' || isTransactionConflict(err)) return 'busy';
      throw err;
    }
  }

  async saveProgress(
    erasureId: string,
    at: string,
    progress: ErasureProgress,
    expectedSeq?: number,
  ): Promise<void> {
    try {
      await this.props.client.send(
        new UpdateCommand({
          TableName: this.props.table,
          Key: featureKeys.erasure(erasureId),
          // The figures so far are the erasure's `result` too: GET shows them while it runs.
          UpdateExpression: 'SET progress = :progress, #result = :result, updatedAt = :at',
          ConditionExpression:
            expectedSeq === undefined
              ? '#status = :running AND attribute_not_exists(progress)'
              : '#status = :running AND progress.seq = :seq',
          ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
          ExpressionAttributeValues: {
            ':progress': progress,
            ':result': progress.result,
            ':at': at,
            ':running': 'RUNNING',
            ...(expectedSeq === undefined ? {} : { ':seq': expectedSeq }),
          },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) {
        throw new ErasureMovedOnError(erasureId, { cause: err });
      }
      throw err;
    }
  }

  /** Deletes the lock if this erasure holds it. */
  private releaseLock(erasureId: string): TransactItem {
    return {
      Delete: {
        TableName: this.props.table,
        Key: featureKeys.erasureLock,
        ConditionExpression: 'attribute_not_exists(pk) OR holder = :id',
        ExpressionAttributeValues: { ':id': erasureId },
      },
    };
  }

  async complete(
    erasureId: string,
    at: string,
    result: ErasureResult,
    audit: ErasureAuditRecord,
  ): Promise<void> {
    await this.props.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.props.table,
              Key: featureKeys.erasure(erasureId),
              // The keys go with the run: the receipt keeps counts, never the person's identifiers.
              UpdateExpression:
                'SET #status = :completed, updatedAt = :at, completedAt = :at, #result = :result REMOVE entities, inferenceIds, progress',
              ConditionExpression: '#status = :running',
              ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
              ExpressionAttributeValues: {
                ':completed': 'COMPLETED',
                ':running': 'RUNNING',
                ':at': at,
                ':result': result,
              },
            },
          },
          this.releaseLock(erasureId),
          this.auditPut(audit),
        ],
      }),
    );
  }

  async fail(erasureId: string, at: string, error: string, audit: ErasureAuditRecord): Promise<void> {
    await this.props.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.props.table,
              Key: featureKeys.erasure(erasureId),
              UpdateExpression: 'SET #status = :failed, updatedAt = :at, #error = :error',
              ConditionExpression: '#status = :running',
              ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
              ExpressionAttributeValues: {
                ':failed': 'FAILED',
                ':running': 'RUNNING',
                ':at': at,
                ':error': error,
              },
            },
          },
          this.releaseLock(erasureId),
          this.auditPut(audit),
        ],
      }),
    );
  }
}
