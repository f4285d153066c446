/**
 * Experiments on DynamoDB. The definition is one item replaced under its revision (with the audit
 * records in the same transaction); aggregates are per (metric, arm) counters updated with ADD, which
 * DynamoDB applies atomically on exact decimals, so concurrent writers and any order give the same
 * sums. Each counter is spread over shards (a transaction adds to one drawn at random, from 4, or
 * from all 16 once it lost to a racing writer) so racing writers rarely meet on an item; a read
 * sums the shards written, as exact decimals. An outcome counts once: its event marker is a conditional put in the transaction that adds
 * it, and a unit's first outcome puts its unit marker and counts it for the sample-ratio test. A
 * transaction cancelled by a marker that exists is retried without that outcome (a replay) or unit
 * (seen before); one lost to a concurrent transaction is retried after a jittered pause.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand as LowLevelQueryCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  NumberValue,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { unitTombstoneHash } from '../../../contracts/erasure-keys';
import type { AuditRecord } from '../../../contracts/events';
import {
  type ArmAggregate,
  type Experiment,
  ExperimentStatus,
  type ListExperimentsQuery,
} from '../../../contracts/experiments';
import { EXPERIMENT_COUNTER_SHARDS, EXPERIMENT_SCHEDULED, experimentKeys } from '../../../contracts/tables';
import { auditPut, type TransactItem } from '../../shared/audit-outbox';
import { isConditionFailure, isTransactionConflict } from '../../shared/dynamodb-errors';
import { BadRequestError, ConflictError } from '../../shared/errors';
import { decodePageToken, encodePageToken, readPage } from '../../shared/http';
import { transactWrite } from '../../shared/idempotent-effect';
import { exactDecimalSum } from '../domain/decimal';
import type {
  AggregateSnapshot,
  ArmOutcome,
  ExperimentStore,
  IngestResult,
  StoredAggregates,
} from '../domain/ports';
import { needsSchedule } from '../domain/treatment-variant';

export interface DynamoDbExperimentStoreProps {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly auditTable: string;
  /** Attempts of one chunk's transaction before the conflict is the caller's. @default 40 */
  readonly maxAttempts?: number;
}

/**
 * Outcomes per transaction, under 100 items: an event marker, a unit marker and an erased-unit
 * check each, one update per (metric, arm) and the unit counts.
 */
const OUTCOMES_PER_TRANSACTION = 24;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The statuses an experiment the schedule has work on may have. */
const SCHEDULABLE_STATUSES = ['RUNNING', 'STOPPED', 'CONCLUDED'] as const;

export class DynamoDbExperimentStore implements ExperimentStore {
  private readonly db: DynamoDBDocumentClient;
  /** The backfill's marker was read (or written) by this container. */
  private backfilled = false;

  constructor(private readonly props: DynamoDbExperimentStoreProps) {
    this.db = DynamoDBDocumentClient.from(props.client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }

  async create(experiment: Experiment, audit: AuditRecord): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.props.table,
                Item: stored(experiment),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            auditPut(this.props.auditTable, audit),
          ],
        }),
      );
    } catch (err) {
      if (isConditionFailure(err) || err instanceof TransactionCanceledException)
        throw new ConflictError('EXPERIMENT_EXISTS', `experiment ${experiment.name} exists already`, {
          cause: err,
        });
      throw err;
    }
  }

  async get(name: string): Promise<Experiment | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.props.table,
        Key: experimentKeys.experiment(name),
        ConsistentRead: true,
      }),
    );
    return out.Item ? strip<Experiment>(out.Item) : undefined;
  }

  async update(next: Experiment, expectedRevision: number, audits: readonly AuditRecord[]): Promise<void> {
    try {
      // With a keyed request's answer stated, its effect record commits in the same transaction.
      await transactWrite(this.db, [
        {
          Put: {
            TableName: this.props.table,
            Item: stored(next),
            ConditionExpression: 'revision = :expected',
            ExpressionAttributeValues: { ':expected': expectedRevision },
          },
        },
        ...audits.map((a) => auditPut(this.props.auditTable, a)),
      ]);
    } catch (err) {
      if (err instanceof TransactionCanceledException)
        throw new ConflictError('CONCURRENT_MODIFICATION', `experiment ${next.name} changed meanwhile`, {
          cause: err,
        });
      throw err;
    }
  }

  async listScheduled(): Promise<Experiment[]> {
    const items: Experiment[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.props.table,
          IndexName: 'bySchedule',
          KeyConditionExpression: 'scheduled = :due',
          ExpressionAttributeValues: { ':due': EXPERIMENT_SCHEDULED },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []).map((i) => strip<Experiment>(i)));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async backfillScheduled(): Promise<number> {
    if (this.backfilled) return 0;
    const table = this.props.table;
    const marker = experimentKeys.backfill('scheduled');
    if ((await this.db.send(new GetCommand({ TableName: table, Key: marker }))).Item) {
      this.backfilled = true;
      return 0;
    }
    // One pass over the statuses that may have work, only items without the attribute; each put
    // in the index if its revision is still the one read (a writer meanwhile set it itself).
    let backfilled = 0;
    for (const status of SCHEDULABLE_STATUSES) {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await this.db.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'byStatus',
            KeyConditionExpression: '#s = :s',
            FilterExpression: 'attribute_not_exists(scheduled)',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': status },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) {
          const e = strip<Experiment>(item);
          if (!needsSchedule(e)) continue;
          try {
            await this.db.send(
              new UpdateCommand({
                TableName: table,
                Key: experimentKeys.experiment(e.name),
                UpdateExpression: 'SET scheduled = :due',
                ConditionExpression: 'revision = :revision AND attribute_not_exists(scheduled)',
                ExpressionAttributeValues: { ':due': EXPERIMENT_SCHEDULED, ':revision': e.revision },
              }),
            );
            backfilled += 1;
          } catch (err) {
            if (!isConditionFailure(err)) throw err;
          }
        }
        start = out.LastEvaluatedKey;
      } while (start);
    }
    // Every later write sets the attribute itself (`stored`): the pass is never needed again.
    await this.db.send(
      new PutCommand({ TableName: table, Item: { ...marker, at: new Date().toISOString(), backfilled } }),
    );
    this.backfilled = true;
    return backfilled;
  }

  async list(query: ListExperimentsQuery): Promise<{ items: Experiment[]; nextToken?: string }> {
    // One `byStatus` partition after the other, in lifecycle order; the token is the last key
    // read, whose `status` says which partition to go on in (without `pk`: from its start).
    const statuses = query.status ? [query.status] : ExperimentStatus.options;
    const token = decodePageToken(query.nextToken);
    let start: Record<string, unknown> | undefined;
    let at = 0;
    if (token) {
      at = statuses.indexOf(token.status as ExperimentStatus);
      const key = typeof token.pk === 'string' && typeof token.sk === 'string';
      if (at < 0 || (!key && token.pk !== undefined))
        throw new BadRequestError('INVALID_PAGE_TOKEN', 'nextToken is not a token this API issued');
      start = key ? { pk: token.pk, sk: token.sk, status: token.status } : undefined;
    }
    const items: Experiment[] = [];
    for (; at < statuses.length; at++) {
      do {
        // With a model filter DynamoDB counts the items it reads, not those it returns: read on
        // until the page is full or the partition ends.
        // A forged token's key DynamoDB refuses (ValidationException) is the caller's 400.
        const tokenKey = start;
        const out = await readPage(tokenKey ? query.nextToken : undefined, () =>
          this.db.send(
            new QueryCommand({
              TableName: this.props.table,
              IndexName: 'byStatus',
              KeyConditionExpression: '#s = :s',
              ...(query.modelName ? { FilterExpression: 'modelName = :m' } : {}),
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: {
                ':s': statuses[at],
                ...(query.modelName ? { ':m': query.modelName } : {}),
              },
              Limit: query.limit - items.length,
              ExclusiveStartKey: tokenKey,
            }),
          ),
        );
        items.push(...(out.Items ?? []).map((i) => strip<Experiment>(i)));
        start = out.LastEvaluatedKey;
        if (items.length === query.limit) {
          const next = start ?? (at + 1 < statuses.length ? { status: statuses[at + 1] } : undefined);
          const nextToken = encodePageToken(next);
          return { items, ...(nextToken ? { nextToken } : {}) };
        }
      } while (start);
    }
    return { items };
  }

  async ingest(name: string, outcomes: readonly ArmOutcome[]): Promise<IngestResult> {
    let accepted = 0;
    let duplicates = 0;
    let erased = 0;
    for (let i = 0; i < outcomes.length; i += OUTCOMES_PER_TRANSACTION) {
      const r = await this.ingestChunk(name, outcomes.slice(i, i + OUTCOMES_PER_TRANSACTION));
      accepted += r.accepted;
      duplicates += r.duplicates;
      erased += r.erased;
    }
    return { accepted, duplicates, erased };
  }

  private async ingestChunk(name: string, chunk: readonly ArmOutcome[]): Promise<IngestResult> {
    let pending = [...chunk];
    const knownUnits = new Set<string>();
    let duplicates = 0;
    let erased = 0;
    const maxAttempts = this.props.maxAttempts ?? 40;
    // Attempts lost to a concurrent transaction (not to a replay or a unit seen before).
    let conflicts = 0;
    for (let attempt = 1; ; attempt++) {
      if (pending.length === 0) return { accepted: 0, duplicates, erased };
      // Shards as contention asks for them: a first attempt adds to one of 4, one retried after a
      // conflict to one of all EXPERIMENT_COUNTER_SHARDS, so it moves off the counters it met. A read costs
      // the shards written: 4 items a counter for an experiment fed by one writer at a time.
      const spread = Math.min(EXPERIMENT_COUNTER_SHARDS, 4 ** (conflicts + 1));
      const shard = Math.floor(Math.random() * spread);
      const plan = this.plan(name, pending, knownUnits, shard);
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: plan.items }));
        return { accepted: pending.length, duplicates, erased };
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const reasons = err.CancellationReasons ?? [];
        const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';
        const replayed = new Set(plan.eventIndex.filter(([, i]) => failed(i)).map(([eventId]) => eventId));
        for (const [unit, i] of plan.unitIndex) if (failed(i)) knownUnits.add(unit);
        if (replayed.size > 0) {
          duplicates += replayed.size;
          pending = pending.filter((o) => !replayed.has(o.eventId));
        }
        // An erased unit's outcomes are not counted, and leave no marker naming the unit.
        const gone = new Set(plan.erasedIndex.filter(([, i]) => failed(i)).map(([unit]) => unit));
        if (gone.size > 0) {
          const kept = pending.filter((o) => !gone.has(o.unit));
          erased += pending.length - kept.length;
          pending = kept;
        }
        const conditionOnly = reasons.some((r) => r.Code === 'ConditionalCheckFailed');
        if (!conditionOnly && !isTransactionConflict(err)) throw err;
        if (attempt >= maxAttempts)
          throw new ConflictError(
            'CONCURRENT_MODIFICATION',
            `outcomes of ${name} kept conflicting; retry the batch`,
            { cause: err },
          );
        if (!conditionOnly) {
          conflicts += 1;
          await sleep(Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt, 6)));
        }
      }
    }
  }

  /** The chunk's transaction: event markers, first-seen unit markers and counts, aggregate ADDs. */
  private plan(
    name: string,
    outcomes: readonly ArmOutcome[],
    knownUnits: ReadonlySet<string>,
    shard: number,
  ) {
    const table = this.props.table;
    const items: TransactItem[] = [];
    const eventIndex: Array<[string, number]> = [];
    const unitIndex: Array<[string, number]> = [];
    for (const o of outcomes) {
      eventIndex.push([o.eventId, items.length]);
      items.push({
        Put: {
          TableName: table,
          Item: { ...experimentKeys.event(name, o.eventId), unit: o.unit, metric: o.metric, arm: o.arm },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    const newUnits = new Map<string, string>();
    for (const o of outcomes) if (!knownUnits.has(o.unit)) newUnits.set(o.unit, o.arm);
    const unitCounts = new Map<string, number>();
    for (const [unit, arm] of newUnits) {
      unitIndex.push([unit, items.length]);
      items.push({
        Put: {
          TableName: table,
          Item: { ...experimentKeys.unit(name, unit), arm },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      unitCounts.set(arm, (unitCounts.get(arm) ?? 0) + 1);
    }
    for (const [arm, count] of unitCounts) {
      items.push({
        Update: {
          TableName: table,
          Key: experimentKeys.units(name, arm, shard),
          UpdateExpression: 'ADD n :n',
          ExpressionAttributeValues: { ':n': count },
        },
      });
    }
    const groups = new Map<string, ArmOutcome[]>();
    for (const o of outcomes) {
      const key = `${o.metric}\u0000${o.arm}`;
      const group = groups.get(key) ?? [];
      group.push(o);
      groups.set(key, group);
    }
    for (const group of groups.values()) {
      const { metric, arm } = group[0];
      items.push({
        Update: {
          TableName: table,
          Key: experimentKeys.aggregate(name, metric, arm, shard),
          UpdateExpression: 'ADD n :n, #sum :sum, sumSquares :squares',
          ExpressionAttributeNames: { '#sum': 'sum' },
          ExpressionAttributeValues: {
            ':n': group.length,
            ':sum': NumberValue.from(exactDecimalSum(group.map((o) => o.shifted))),
            ':squares': NumberValue.from(exactDecimalSum(group.map((o) => o.shifted * o.shifted))),
          },
        },
      });
    }
    // Last, so a unit erased meanwhile cancels the whole chunk: its outcomes are then dropped.
    const erasedIndex: Array<[string, number]> = [];
    for (const unit of new Set(outcomes.map((o) => o.unit))) {
      erasedIndex.push([unit, items.length]);
      items.push({
        ConditionCheck: {
          TableName: table,
          Key: experimentKeys.erasedUnit(unitTombstoneHash(unit)),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    return { items, eventIndex, unitIndex, erasedIndex };
  }

  async aggregates(name: string): Promise<StoredAggregates> {
    // Each counter's shards are summed as decimals, exactly, and rounded to a double once.
    const sums = new Map<string, { n: string[]; sum: string[]; sumSquares: string[] }>();
    const unitShards = new Map<string, string[]>();
    // The counters only (not the snapshots beside them in the partition): a read costs the same
    // items however many outcomes or snapshots the experiment has. The plain client and
    // `unmarshall` with `wrapNumbers`: sums come back as their decimal strings (a sum of squares
    // passes 2^53, where the default reader throws). A document client made `from` the shared
    // client with that option would set it on the config every document client of the process
    // shares, and every number the function answers would come back wrapped.
    const counters = async function* (this: DynamoDbExperimentStore, prefix: string) {
      let start: Record<string, AttributeValue> | undefined;
      do {
        const out = await this.props.client.send(
          new LowLevelQueryCommand({
            TableName: this.props.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: {
              ':pk': { S: experimentKeys.partition(name) },
              ':prefix': { S: prefix },
            },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        yield* (out.Items ?? []).map((i) => unmarshall(i, { wrapNumbers: true }));
        start = out.LastEvaluatedKey;
      } while (start);
    }.bind(this);
    for (const prefix of [experimentKeys.aggregatePrefix, experimentKeys.unitsPrefix]) {
      for await (const item of counters(prefix)) {
        const sk = String(item.sk);
        if (sk.startsWith(experimentKeys.aggregatePrefix)) {
          const [counter] = splitLast(sk.slice(experimentKeys.aggregatePrefix.length));
          const acc = sums.get(counter) ?? { n: [], sum: [], sumSquares: [] };
          acc.n.push(decimal(item.n));
          acc.sum.push(decimal(item.sum));
          acc.sumSquares.push(decimal(item.sumSquares));
          sums.set(counter, acc);
        } else if (sk.startsWith(experimentKeys.unitsPrefix)) {
          const [arm] = splitLast(sk.slice(experimentKeys.unitsPrefix.length));
          unitShards.set(arm, [...(unitShards.get(arm) ?? []), decimal(item.n)]);
        }
      }
    }
    const metrics: Record<string, Record<string, ArmAggregate>> = {};
    for (const [counter, acc] of sums) {
      const [metric, arm] = splitLast(counter);
      metrics[metric] ??= {};
      metrics[metric][arm] = {
        n: Number(exactDecimalSum(acc.n)),
        sum: Number(exactDecimalSum(acc.sum)),
        sumSquares: Number(exactDecimalSum(acc.sumSquares)),
      };
    }
    const units: Record<string, number> = {};
    for (const [arm, shards] of unitShards) units[arm] = Number(exactDecimalSum(shards));
    return { metrics, units };
  }

  async putSnapshot(name: string, snapshot: AggregateSnapshot): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.props.table,
        Item: { ...experimentKeys.snapshot(name, snapshot.at), ...snapshot },
      }),
    );
  }

  async snapshots(name: string): Promise<AggregateSnapshot[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.props.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': experimentKeys.partition(name),
          ':prefix': experimentKeys.snapshotPrefix,
        },
        // The newest 200 are enough for a chart.
        ScanIndexForward: false,
        Limit: 200,
      }),
    );
    return (out.Items ?? []).map((i) => strip<AggregateSnapshot>(i)).reverse();
  }
}

/** The experiment's item: in the sparse `bySchedule` index while the schedule has work on it. */
function stored(e: Experiment): Record<string, unknown> {
  return {
    ...experimentKeys.experiment(e.name),
    ...e,
    ...(needsSchedule(e) ? { scheduled: EXPERIMENT_SCHEDULED } : {}),
  };
}

/** `metric#arm` split at the last `#` (arm names have none; metric names may not either, but arms are last). */
function splitLast(s: string): [string, string] {
  const i = s.lastIndexOf('#');
  return [s.slice(0, i), s.slice(i + 1)];
}

/** A wrapped number (`{ value }`) or absent, as the decimal string DynamoDB stores. */
const decimal = (v: unknown): string =>
  v === undefined ? '0' : String((v as { value?: string }).value ?? v);

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, scheduled: _scheduled, ...rest } = item;
  return rest as T;
}
