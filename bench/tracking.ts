/**
 * Tracking's two hot paths on DynamoDB Local, in one run:
 * - logging 10,000 metric points to one run: `log-batch` through the tracking handler (10 calls of
 *   1000) against the floor of the same items written raw with BatchWriteItem (25 per call, the
 *   same 4 in flight); and 500 single `log-metric` calls, per point;
 * - searching 10,000 runs of an experiment by a metric (`metrics.auc > 0.5`, ordered by it, first
 *   page of 100) through the handler, against a raw Query reading the same partition;
 * - MLflow 3's metrics of logged models: the same 10,000 points logged with a `model_id` and a
 *   dataset (each batch also merges into the model's item), against the plain log-batch above; and
 *   searching 1,000 logged models ordered by a metric on a dataset, against a raw Query.
 * Printed as times and ratios; never fails on time.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TRACKING_TABLE, trackingKeys } from '../contracts/tables';
import { DynamoDbTrackingStore } from '../lambdas/tracking/adapters/dynamodb-tracking-store';
import { S3RunArtifacts } from '../lambdas/tracking/adapters/s3-run-artifacts';
import { makeHandler } from '../lambdas/tracking/handler';
import { buildHttpApiEvent, localContext } from '../local/api-event';
import { matchRoute } from '../local/api-server';
import { ensureTables, LOCAL_DYNAMODB_CLIENT_CONFIG, startDynamoDbLocal } from '../local/stand-ins';

const POINTS = 10_000;
const RUNS = 10_000;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

export async function tracking(): Promise<{ name: string; lines: string[] }> {
  const dynamo = await startDynamoDbLocal();
  const low = new DynamoDBClient({ ...LOCAL_DYNAMODB_CLIENT_CONFIG, endpoint: dynamo.endpoint });
  try {
    await ensureTables(low);
    const db = DynamoDBDocumentClient.from(low, { marshallOptions: { removeUndefinedValues: true } });
    const store = new DynamoDbTrackingStore({ client: db, table: TRACKING_TABLE.id });
    const handler = makeHandler({
      store,
      // Neither path touches artifacts.
      artifacts: new S3RunArtifacts({ client: new S3Client({ region: 'us-east-1' }), bucket: 'unused' }),
      now: Date.now,
      newRunId: () => randomUUID().replaceAll('-', ''),
    });
    const call = async (method: string, path: string, body: unknown) => {
      const [rawPath, rawQueryString = ''] = path.split('?');
      const route = matchRoute(method, rawPath)!;
      const event = buildHttpApiEvent(
        {
          method,
          rawPath,
          rawQueryString,
          headers: { 'content-type': 'application/json' },
          body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
          sourceIp: '127.0.0.1',
        },
        route,
        { accessKeyId: 'AKIABENCH', principalArn: 'arn:aws:iam::000000000000:user/bench' },
      );
      const result = await handler(event, localContext('tracking'));
      if (result.statusCode !== 200) throw new Error(`${path}: ${result.statusCode} ${result.body}`);
      return JSON.parse(result.body ?? '{}');
    };
    const api = (p: string) => `/api/2.0/mlflow${p}`;
    const lines: string[] = [];

    // 1. Logging 10,000 points to one run.
    const { experiment_id: exp } = await call('POST', api('/experiments/create'), { name: 'bench-log' });
    const { run } = await call('POST', api('/runs/create'), { experiment_id: exp });
    const runId = run.info.run_id;
    const point = (i: number) => ({
      key: `m${i % 10}`,
      value: Math.sin(i),
      timestamp: 1_700_000_000_000 + i,
      step: i,
    });
    let start = process.hrtime.bigint();
    for (let b = 0; b < POINTS / 1000; b++) {
      const metrics = Array.from({ length: 1000 }, (_, i) => point(b * 1000 + i));
      await call('POST', api('/runs/log-batch'), { run_id: runId, metrics });
    }
    const viaBatch = ms(start);
    const rawItems = Array.from({ length: POINTS }, (_, i) => {
      const p = point(i);
      const key = trackingKeys.metricPoint('raw-run', p.key, p.step, p.timestamp, String(p.value));
      return { ...key, k: p.key, v: String(p.value), t: p.timestamp, s: p.step };
    });
    start = process.hrtime.bigint();
    const chunks: (typeof rawItems)[] = [];
    for (let i = 0; i < rawItems.length; i += 25) chunks.push(rawItems.slice(i, i + 25));
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < chunks.length) {
          const chunk = chunks[next++];
          await db.send(
            new BatchWriteCommand({
              RequestItems: { [TRACKING_TABLE.id]: chunk.map((Item) => ({ PutRequest: { Item } })) },
            }),
          );
        }
      }),
    );
    const raw = ms(start);
    const SINGLE = 500;
    start = process.hrtime.bigint();
    for (let i = 0; i < SINGLE; i++) {
      await call('POST', api('/runs/log-metric'), { run_id: runId, ...point(POINTS + i) });
    }
    const single = ms(start) / SINGLE;
    const history = await call(
      'GET',
      api(`/metrics/get-history?run_id=${runId}&metric_key=m0&max_results=25000`),
      undefined,
    );
    lines.push(
      `log ${POINTS} points to one run: log-batch x${POINTS / 1000} ${viaBatch.toFixed(0)} ms ` +
        `(${((viaBatch / POINTS) * 1000).toFixed(0)} us/point); raw BatchWriteItem ${raw.toFixed(0)} ms; ` +
        `ratio ${(viaBatch / raw).toFixed(2)}x`,
      `log-metric one point per call: ${single.toFixed(2)} ms/point (${SINGLE} calls); ` +
        `history of m0 reads back ${history.metrics.length} points`,
    );

    // 2. Searching 10,000 runs of one experiment by a metric.
    const { experiment_id: searchExp } = await call('POST', api('/experiments/create'), {
      name: 'bench-search',
    });
    const experiment = await store.getExperiment(searchExp);
    let created = 0;
    start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (created < RUNS) {
          const i = created++;
          const id = randomUUID().replaceAll('-', '');
          await store.createRun({
            runId: id,
            experimentId: searchExp,
            runName: `run-${i}`,
            userId: 'bench',
            status: 'FINISHED',
            startTime: 1_700_000_000_000 + i,
            artifactUri: `${experiment!.artifactLocation}/${id}/artifacts`,
            lifecycleStage: 'active',
            params: { model: i % 2 ? 'tree' : 'linear', lr: String(i / RUNS) },
            tags: { 'mlflow.runName': `run-${i}`, team: 'bench' },
            metrics: {
              auc: { value: ((i * 7919) % RUNS) / RUNS, timestamp: 1, step: 0 },
              loss: { value: i, timestamp: 1, step: 0 },
            },
            rev: 1,
          });
        }
      }),
    );
    const seeded = ms(start);
    const search = () =>
      call('POST', api('/runs/search'), {
        experiment_ids: [searchExp],
        filter: 'metrics.auc > 0.5',
        order_by: ['metrics.auc DESC'],
        max_results: 100,
      });
    const query = async () => {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      let n = 0;
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: TRACKING_TABLE.id,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
            ExpressionAttributeValues: {
              ':pk': trackingKeys.runsPartition(searchExp),
              ':p': trackingKeys.runPrefix,
            },
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
        );
        n += out.Count ?? 0;
        ExclusiveStartKey = out.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return n;
    };
    const times: [number[], number[]] = [[], []];
    for (let round = -1; round < 5; round++) {
      start = process.hrtime.bigint();
      const page = await search();
      const t1 = ms(start);
      start = process.hrtime.bigint();
      const read = await query();
      const t2 = ms(start);
      if (round < 0) {
        lines.push(
          `search seeded ${RUNS} runs in ${seeded.toFixed(0)} ms; first page ${page.runs.length} runs, raw Query read ${read}`,
        );
        continue;
      }
      times[0].push(t1);
      times[1].push(t2);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    lines.push(
      `search ${RUNS} runs by metrics.auc (filter, order, first 100): median ${median(times[0]).toFixed(0)} ms; ` +
        `raw Query of the partition ${median(times[1]).toFixed(0)} ms; ratio ${(median(times[0]) / median(times[1])).toFixed(2)}x`,
    );

    // 3. Metrics of logged models: logged with model_id, and a search ordered by one.
    const { experiment_id: modelExp } = await call('POST', api('/experiments/create'), {
      name: 'bench-models',
    });
    const { run: modelRun } = await call('POST', api('/runs/create'), { experiment_id: modelExp });
    const { model } = await call('POST', api('/logged-models'), { experiment_id: modelExp });
    // The plain batches again on a fresh run, warmed up as the batches with model_id are.
    const { run: plainRun } = await call('POST', api('/runs/create'), { experiment_id: modelExp });
    const logTenBatches = async (id: string, links: Record<string, string>) => {
      const begin = process.hrtime.bigint();
      for (let b = 0; b < POINTS / 1000; b++) {
        const metrics = Array.from({ length: 1000 }, (_, i) => ({ ...point(b * 1000 + i), ...links }));
        await call('POST', api('/runs/log-batch'), { run_id: id, metrics });
      }
      return ms(begin);
    };
    const plain = await logTenBatches(plainRun.info.run_id, {});
    start = process.hrtime.bigint();
    await logTenBatches(modelRun.info.run_id, {
      model_id: model.info.model_id,
      dataset_name: 'eval',
      dataset_digest: 'd1',
    });
    const withModel = ms(start);
    const MODELS = 1000;
    const location = (await store.getExperiment(modelExp))!.artifactLocation;
    let made = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (made < MODELS) {
          const i = made++;
          const modelId = `m-${randomUUID().replaceAll('-', '')}`;
          await store.createLoggedModel({
            modelId,
            experimentId: modelExp,
            name: `model-${i}`,
            artifactLocation: `${location}/models/${modelId}/artifacts`,
            creationTime: 1_700_000_000_000 + i,
            lastUpdateTime: 1_700_000_000_000 + i,
            status: 'LOGGED_MODEL_READY',
            params: { lr: String(i / MODELS) },
            tags: {},
            metrics: ['eval', 'train'].map((dataset, d) => ({
              key: 'accuracy',
              value: ((i * 7919 + d) % MODELS) / MODELS,
              timestamp: 1,
              step: 0,
              runId: modelRun.info.run_id,
              datasetName: dataset,
            })),
            rev: 0,
          });
        }
      }),
    );
    const modelTimes: [number[], number[]] = [[], []];
    for (let round = -1; round < 5; round++) {
      start = process.hrtime.bigint();
      await call('POST', api('/logged-models/search'), {
        experiment_ids: [modelExp],
        filter: 'metrics.accuracy > 0.5',
        datasets: [{ dataset_name: 'eval' }],
        order_by: [{ field_name: 'metrics.accuracy', ascending: false, dataset_name: 'eval' }],
        max_results: 50,
      });
      const t1 = ms(start);
      start = process.hrtime.bigint();
      await db.send(
        new QueryCommand({
          TableName: TRACKING_TABLE.id,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: {
            ':pk': trackingKeys.runsPartition(modelExp),
            ':p': trackingKeys.loggedModelPrefix,
          },
          ConsistentRead: true,
        }),
      );
      const t2 = ms(start);
      if (round < 0) continue;
      modelTimes[0].push(t1);
      modelTimes[1].push(t2);
    }
    lines.push(
      `log ${POINTS} points with model_id and a dataset: log-batch x${POINTS / 1000} ${withModel.toFixed(0)} ms; ` +
        `the same without: ${plain.toFixed(0)} ms; ratio ${(withModel / plain).toFixed(2)}x`,
      `search ${MODELS} logged models by metrics.accuracy on a dataset (filter, order, first 50): median ` +
        `${median(modelTimes[0]).toFixed(0)} ms; raw Query ${median(modelTimes[1]).toFixed(0)} ms; ` +
        `ratio ${(median(modelTimes[0]) / median(modelTimes[1])).toFixed(2)}x`,
    );
    return { name: 'tracking (DynamoDB Local)', lines };
  } finally {
    low.destroy();
    await dynamo.stop();
  }
}
