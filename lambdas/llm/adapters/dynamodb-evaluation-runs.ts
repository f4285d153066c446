/**
 * Background evaluation runs on the LLM table: the run's item (status, progress, the lease of the
 * worker scoring it) and one item per scored row in the run's partition, so a page of rows is one
 * query. Every write is conditioned on what it replaces: a row is put once, progress is written
 * by the lease's owner only, and a run ends once.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { EvaluationRowResult, EvaluationRun } from '../../../contracts/llm-evaluation';
import { llmKeys } from '../../../contracts/tables';
import { isConditionFailure } from '../../shared/dynamodb-errors';
import type { EvaluationRunStore } from '../domain/evaluation-runs';

const RUN_FIELDS = [
  'runId',
  'status',
  'prompt',
  'endpoint',
  'dataset',
  'scorers',
  'totalRows',
  'scoredRows',
  'aggregate',
  'failures',
  'costMicroUsd',
  'error',
  'createdAt',
  'createdBy',
  'updatedAt',
] as const;

const toRun = (item: Record<string, unknown>): EvaluationRun =>
  Object.fromEntries(
    RUN_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]),
  ) as unknown as EvaluationRun;

/** Runs the condition; a failed one is `false`. */
async function conditioned(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

export class DynamoDbEvaluationRuns implements EvaluationRunStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(run: EvaluationRun): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...llmKeys.evaluationRun(run.runId), ...run },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(runId: string): Promise<EvaluationRun | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: llmKeys.evaluationRun(runId), ConsistentRead: true }),
    );
    return res.Item ? toRun(res.Item) : undefined;
  }

  claim(runId: string, owner: string, untilMs: number, nowMs: number): Promise<boolean> {
    return conditioned(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: llmKeys.evaluationRun(runId),
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
          ConditionExpression:
            '#status = :running AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':owner': owner,
            ':until': untilMs,
            ':now': nowMs,
            ':running': 'RUNNING',
          },
        }),
      ),
    );
  }

  async release(runId: string, owner: string, scoredRows: number, updatedAt: string): Promise<void> {
    await conditioned(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: llmKeys.evaluationRun(runId),
          UpdateExpression: 'SET scoredRows = :n, updatedAt = :at REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner, ':n': scoredRows, ':at': updatedAt },
        }),
      ),
    );
  }

  async progress(runId: string, owner: string, scoredRows: number, updatedAt: string): Promise<void> {
    await conditioned(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: llmKeys.evaluationRun(runId),
          UpdateExpression: 'SET scoredRows = :n, updatedAt = :at',
          ConditionExpression: 'leaseOwner = :owner AND scoredRows <= :n',
          ExpressionAttributeValues: { ':owner': owner, ':n': scoredRows, ':at': updatedAt },
        }),
      ),
    );
  }

  async hasRow(runId: string, index: number): Promise<boolean> {
    const res = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: llmKeys.evaluationRow(runId, index),
        ProjectionExpression: 'pk',
        ConsistentRead: true,
      }),
    );
    return res.Item !== undefined;
  }

  async putRow(runId: string, row: EvaluationRowResult): Promise<void> {
    await conditioned(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...llmKeys.evaluationRow(runId, row.index), row },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async rows(runId: string, from: number, limit: number): Promise<EvaluationRowResult[]> {
    const rows: EvaluationRowResult[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :last',
          ExpressionAttributeValues: {
            ':pk': llmKeys.evaluationRunPartition(runId),
            ':from': llmKeys.evaluationRow(runId, from).sk,
            ':last': llmKeys.evaluationRow(runId, 999_999).sk,
          },
          Limit: limit - rows.length,
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) rows.push(item.row as EvaluationRowResult);
      start = page.LastEvaluatedKey;
    } while (start && rows.length < limit);
    return rows;
  }

  finish(runId: string, end: Parameters<EvaluationRunStore['finish']>[1]): Promise<boolean> {
    const set = Object.entries(end).filter(([, v]) => v !== undefined);
    return conditioned(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: llmKeys.evaluationRun(runId),
          UpdateExpression: `SET ${set.map(([k]) => `#${k} = :${k}`).join(', ')} REMOVE leaseOwner, leaseUntil`,
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: Object.fromEntries(set.map(([k]) => [`#${k}`, k])),
          ExpressionAttributeValues: {
            ...Object.fromEntries(set.map(([k, v]) => [`:${k}`, v])),
            ':running': 'RUNNING',
          },
        }),
      ),
    );
  }
}
