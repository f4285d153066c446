/**
 * Experiment outcomes on DynamoDB Local, in one run:
 * - ingestion: outcomes through `POST /experiments/{name}/outcomes`' domain (markers, unit counts
 *   and sharded ADDs, exactly once per event id) against a baseline of plain BatchWriteItem puts of
 *   the same number of items (one per outcome, no aggregation, no exactly-once);
 * - results at 10^6 outcomes per arm: `GET /experiments/{name}/results` (the experiment item and
 *   the counter shards, then the statistics) against a baseline of one GetItem of the experiment.
 *   The counters are first brought to what 10^6 outcomes per arm add (ADDs of their exact sums,
 *   as ingestion makes them), since ingesting 2 x 10^6 outcomes here would take the run's hour.
 *   Items read are counted on the wire: a results read is a few items at any n, never a scan.
 * Printed as medians, outcomes per second, items read and ratios; never fails on time.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  NumberValue,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  AUDIT_TABLE,
  EXPERIMENT_COUNTER_SHARDS,
  EXPERIMENTS_TABLE,
  experimentKeys,
} from '../contracts/tables';
import { DynamoDbEndpointControl } from '../lambdas/experiments/adapters/dynamodb-endpoint-control';
import { DynamoDbExperimentStore } from '../lambdas/experiments/adapters/dynamodb-experiment-store';
import { exactDecimalSum } from '../lambdas/experiments/domain/decimal';
import { createExperiment, ingestOutcomes, startExperiment } from '../lambdas/experiments/domain/experiments';
import type { ExperimentsDeps } from '../lambdas/experiments/domain/ports';
import { experimentResults } from '../lambdas/experiments/domain/results';
import { ensureTables, LOCAL_DYNAMODB_CLIENT_CONFIG, startDynamoDbLocal } from '../local/stand-ins';

const INGESTED = 10_000;
const BATCH = 500;
const PER_ARM = 1_000_000;
const READS = 30;

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function experiments(): Promise<{ name: string; lines: string[] }> {
  // A loaded machine starts Java slowly.
  const dynamo = await startDynamoDbLocal({ startTimeoutMs: 180_000 });
  const low = new DynamoDBClient({ ...LOCAL_DYNAMODB_CLIENT_CONFIG, endpoint: dynamo.endpoint });
  // Items each response carried, counted on the wire.
  let itemsRead = 0;
  low.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const o = (out.output ?? {}) as { Items?: unknown[]; Item?: unknown };
      itemsRead += (o.Items?.length ?? 0) + (o.Item ? 1 : 0);
      return out;
    },
    { step: 'initialize', name: 'countItems' },
  );
  try {
    await ensureTables(low);
    const db = DynamoDBDocumentClient.from(low, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    let id = 0;
    const deps: ExperimentsDeps = {
      store: new DynamoDbExperimentStore({
        client: low,
        table: EXPERIMENTS_TABLE.id,
        auditTable: AUDIT_TABLE.id,
      }),
      endpoints: new DynamoDbEndpointControl({
        client: db,
        deploymentsTable: 'Deployments',
        envName: 'bench',
      }),
      versions: { exists: async () => true },
      now: () => new Date(),
      newId: () => `id-${++id}`,
      newSalt: () => 'benchsalt',
    };
    const actor = { principal: 'bench' };
    await createExperiment(deps, actor, {
      name: 'bench',
      modelName: 'bench-model',
      arms: [
        { name: 'control', version: 1, trafficPercent: 50 },
        { name: 'treatment', version: 2, trafficPercent: 50 },
      ],
      control: 'control',
      randomizationUnit: 'routing_key',
      primaryMetric: { name: 'converted', kind: 'proportion', betterDirection: 'higher', baselineRate: 0.1 },
      secondaryMetrics: [{ name: 'revenue', kind: 'mean', betterDirection: 'higher' }],
      guardrailMetrics: [],
      minimumDetectableEffect: 0.05,
      alpha: 0.05,
      power: 0.8,
      analysis: 'sequential',
    });
    await startExperiment(deps, actor, 'bench');

    // Ingestion: the domain against plain puts of as many items.
    const outcomes = Array.from({ length: INGESTED }, (_, i) => ({
      unit: `u${i % 4000}`,
      metric: i % 2 ? 'revenue' : 'converted',
      value: i % 2 ? (i % 97) / 4 : i % 7 === 0 ? 1 : 0,
      time: '2026-12-06T10:00:00Z',
      eventId: `e${i}`,
    }));
    let start = process.hrtime.bigint();
    for (let i = 0; i < INGESTED; i += BATCH)
      await ingestOutcomes(deps, 'bench', { outcomes: outcomes.slice(i, i + BATCH) });
    const ingestMs = ms(start);
    start = process.hrtime.bigint();
    for (let i = 0; i < INGESTED; i += 25)
      await db.send(
        new BatchWriteCommand({
          RequestItems: {
            [EXPERIMENTS_TABLE.id]: outcomes.slice(i, i + 25).map((o) => ({
              PutRequest: { Item: { pk: `PLAIN#${o.eventId}`, sk: 'EVENT', ...o } },
            })),
          },
        }),
      );
    const plainMs = ms(start);

    // 10^6 outcomes per arm: the exact sums those outcomes add, spread over the shards.
    for (const arm of ['control', 'treatment']) {
      const rate = arm === 'control' ? 0.1 : 0.105;
      const converted = Math.round(PER_ARM * rate);
      const revenue = Array.from({ length: 1000 }, (_, k) => String((k % 97) / 4));
      const revenueSum = exactDecimalSum(Array(PER_ARM / 1000).fill(exactDecimalSum(revenue)));
      const revenueSquares = exactDecimalSum(
        Array(PER_ARM / 1000).fill(exactDecimalSum(revenue.map((v) => String(Number(v) ** 2)))),
      );
      const adds = [
        {
          key: experimentKeys.aggregate('bench', 'converted', arm, 0),
          n: PER_ARM,
          sum: String(converted),
          squares: String(converted),
        },
        {
          key: experimentKeys.aggregate('bench', 'revenue', arm, 1),
          n: PER_ARM,
          sum: revenueSum,
          squares: revenueSquares,
        },
      ];
      for (const a of adds)
        await db.send(
          new UpdateCommand({
            TableName: EXPERIMENTS_TABLE.id,
            Key: a.key,
            UpdateExpression: 'ADD n :n, #sum :sum, sumSquares :squares',
            ExpressionAttributeNames: { '#sum': 'sum' },
            ExpressionAttributeValues: {
              ':n': a.n,
              ':sum': NumberValue.from(a.sum),
              ':squares': NumberValue.from(a.squares),
            },
          }),
        );
      await db.send(
        new UpdateCommand({
          TableName: EXPERIMENTS_TABLE.id,
          Key: experimentKeys.units('bench', arm, 2),
          UpdateExpression: 'ADD n :n',
          ExpressionAttributeValues: { ':n': PER_ARM },
        }),
      );
    }

    // Results against one GetItem, alternately so background load falls on both alike.
    const results: number[] = [];
    const gets: number[] = [];
    let resultItems = 0;
    let units: Record<string, number> = {};
    for (let i = -5; i < READS; i++) {
      itemsRead = 0;
      start = process.hrtime.bigint();
      const r = await experimentResults(deps, 'bench');
      if (i >= 0) results.push(ms(start));
      resultItems = itemsRead;
      units = r.units;
      start = process.hrtime.bigint();
      await db.send(
        new GetCommand({ TableName: EXPERIMENTS_TABLE.id, Key: experimentKeys.experiment('bench') }),
      );
      if (i >= 0) gets.push(ms(start));
    }
    const rate = (n: number, t: number) => Math.round((n / t) * 1000).toLocaleString('en-US');
    return {
      name: 'experiments (DynamoDB Local)',
      lines: [
        `ingestion of ${INGESTED.toLocaleString('en-US')} outcomes: ${rate(INGESTED, ingestMs)}/s exactly once, aggregated; plain puts ${rate(INGESTED, plainMs)}/s; ratio ${(ingestMs / plainMs).toFixed(2)}x`,
        `results at ${Object.values(units)
          .map((u) => u.toLocaleString('en-US'))
          .join(
            ' + ',
          )} units: p50 ${median(results).toFixed(1)} ms, ${resultItems} items read (counter shards: 4 per metric and arm, ${EXPERIMENT_COUNTER_SHARDS} under racing writers)`,
        `one GetItem of the experiment: p50 ${median(gets).toFixed(1)} ms; results/GetItem ${(median(results) / median(gets)).toFixed(1)}x`,
      ],
    };
  } finally {
    low.destroy();
    await dynamo.stop();
  }
}
