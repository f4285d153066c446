/**
 * The run store and trigger gate on DynamoDB. Admission is one transaction: the dedup key, the
 * cool-down and the lock (each conditional: absent, or expired by the clock, since TTL deletes
 * lazily), the run record and its audit record (the outbox). A cancelled transaction's reasons say
 * which guard held. Finishing releases the lock only if this run holds it.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../../../contracts/events';
import type { RetrainingRun } from '../../../contracts/pipeline';
import { pipelineTableKeys } from '../../../contracts/tables';
import { auditPut, type TransactItem } from '../../shared/audit-outbox';
import type { PipelineStore } from '../domain/ports';
import type { GatePlan, GateResult } from '../domain/trigger-gate';

export interface DynamoDbPipelineStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly pipelineTable: string;
  readonly auditTable: string;
}

const FREE_OR_EXPIRED = 'attribute_not_exists(pk) OR expiresAt < :now';

export class DynamoDbPipelineStore implements PipelineStore {
  constructor(private readonly props: DynamoDbPipelineStoreProps) {}

  private auditPut(record: AuditRecord): TransactItem {
    return auditPut(this.props.auditTable, record);
  }

  private runPut(run: RetrainingRun) {
    return {
      Put: {
        TableName: this.props.pipelineTable,
        Item: { ...pipelineTableKeys.run(run.modelName, run.startedAt, run.runId), kind: 'RUN', ...run },
      },
    };
  }

  async admit(input: { run: RetrainingRun; plan: GatePlan; audit: AuditRecord }): Promise<GateResult> {
    const { run, plan } = input;
    const guard = (key: Record<string, string>, expiresAt: number, extra: Record<string, unknown> = {}) => ({
      Put: {
        TableName: this.props.pipelineTable,
        Item: { ...key, expiresAt, runId: run.runId, ...extra },
        ConditionExpression: FREE_OR_EXPIRED,
        ExpressionAttributeValues: { ':now': plan.now },
      },
    });
    const guards: Array<{
      name: 'dedup' | 'cooldown' | 'lock';
      item: ReturnType<typeof guard>;
      key: Record<string, string>;
    }> = [
      {
        name: 'dedup',
        key: pipelineTableKeys.dedup(run.trigger.dedupKey),
        item: guard(pipelineTableKeys.dedup(run.trigger.dedupKey), plan.dedupExpiresAt),
      },
      ...(plan.cooldownExpiresAt
        ? [
            {
              name: 'cooldown' as const,
              key: pipelineTableKeys.cooldown(run.modelName, run.trigger.reason),
              item: guard(
                pipelineTableKeys.cooldown(run.modelName, run.trigger.reason),
                plan.cooldownExpiresAt,
              ),
            },
          ]
        : []),
      {
        name: 'lock',
        key: pipelineTableKeys.lock(run.modelName),
        item: guard(pipelineTableKeys.lock(run.modelName), plan.lockExpiresAt),
      },
    ];
    try {
      await this.props.client.send(
        new TransactWriteCommand({
          TransactItems: [...guards.map((g) => g.item), this.runPut(run), this.auditPut(input.audit)],
        }),
      );
      return { admitted: true };
    } catch (err) {
      if (
        !(err instanceof TransactionCanceledException) &&
        (err as Error).name !== 'TransactionCanceledException'
      )
        throw err;
      const reasons = (err as TransactionCanceledException).CancellationReasons ?? [];
      const held = guards.findIndex((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed');
      if (held < 0) throw err;
      const name = guards[held].name;
      return {
        admitted: false,
        guard: name,
        ...(name === 'lock' ? { holder: await this.lockHolder(run.modelName) } : {}),
      };
    }
  }

  private async lockHolder(modelName: string): Promise<string | undefined> {
    const out = await this.props.client.send(
      new QueryCommand({
        TableName: this.props.pipelineTable,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': pipelineTableKeys.lock(modelName).pk, ':sk': 'LOCK' },
        ConsistentRead: true,
      }),
    );
    return out.Items?.[0]?.runId as string | undefined;
  }

  async recordSuppressed(run: RetrainingRun, audit: AuditRecord): Promise<void> {
    await this.props.client.send(
      new TransactWriteCommand({ TransactItems: [this.runPut(run), this.auditPut(audit)] }),
    );
  }

  async getRun(modelName: string, runId: string): Promise<RetrainingRun | undefined> {
    // Runs sort by start time; a run id lookup filters the model's runs (a model has few).
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.props.client.send(
        new QueryCommand({
          TableName: this.props.pipelineTable,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
          FilterExpression: 'runId = :id',
          ExpressionAttributeValues: {
            ':pk': pipelineTableKeys.modelPartition(modelName),
            ':run': pipelineTableKeys.runPrefix,
            ':id': runId,
          },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      if (out.Items?.[0]) return strip(out.Items[0]);
      start = out.LastEvaluatedKey;
    } while (start);
    return undefined;
  }

  async listRuns(modelName: string, limit: number): Promise<RetrainingRun[]> {
    const out = await this.props.client.send(
      new QueryCommand({
        TableName: this.props.pipelineTable,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
        ExpressionAttributeValues: {
          ':pk': pipelineTableKeys.modelPartition(modelName),
          ':run': pipelineTableKeys.runPrefix,
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(strip);
  }

  async updateRun(run: RetrainingRun, audit?: AuditRecord): Promise<void> {
    if (!audit) {
      await this.props.client.send(new PutCommand(this.runPut(run).Put));
      return;
    }
    await this.props.client.send(
      new TransactWriteCommand({ TransactItems: [this.runPut(run), this.auditPut(audit)] }),
    );
  }

  async finishRun(run: RetrainingRun, audit: AuditRecord): Promise<void> {
    await this.props.client.send(
      new TransactWriteCommand({ TransactItems: [this.runPut(run), this.auditPut(audit)] }),
    );
    // Apart from the transaction: a lock already taken over (expired) must not fail the finish.
    try {
      await this.props.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.props.pipelineTable,
                Key: pipelineTableKeys.lock(run.modelName),
                ConditionExpression: 'runId = :id',
                ExpressionAttributeValues: { ':id': run.runId },
              },
            },
          ],
        }),
      );
    } catch (err) {
      if ((err as Error).name !== 'TransactionCanceledException') throw err;
    }
  }

  async recordAudit(audit: AuditRecord): Promise<void> {
    await this.props.client.send(new PutCommand(this.auditPut(audit).Put!));
  }
}

function strip(item: Record<string, unknown>): RetrainingRun {
  const { pk: _pk, sk: _sk, kind: _kind, ...run } = item;
  return run as unknown as RetrainingRun;
}
