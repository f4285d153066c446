/**
 * Batch predictions on one machine, in one run, on the reference model (logistic regression,
 * 3 features), 10^5 and 10^6 CSV rows with 1% poisoned:
 * - baseline: the worker's scoring (`scoreRows` with the ONNX evaluator) over the same rows in
 *   this process, in batches of the job's size, no S3, no state machine;
 * - job: `POST /batch-predictions` through the synthesized state machine as `npm start` runs it
 *   (local Distributed Map, ItemBatcher, workers writing parts to the S3 server, ResultWriter,
 *   finalize counting every row), timed from submit to SUCCEEDED.
 * Printed as rows per second, the job's ratio to the baseline, peak RSS of this process (the S3
 * server and DynamoDB Local are child processes, not counted) and growth from 10^5 to 10^6.
 * Never fails on time.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { exportLogisticRegressionOnnx } from '../containers/reference-trainer/src/onnx-export';
import { ENV } from '../contracts/env';
import { AUDIT_TABLE, IDEMPOTENCY_TABLE, REGISTRY_TABLE } from '../contracts/tables';
import { type InputRow, scoreRows } from '../lambdas/batch-predictions/domain/score-rows';
import { scoreOnnx } from '../lambdas/pipeline';
import {
  ensureBuckets,
  ensureTables,
  LOCAL_DYNAMODB_CLIENT_CONFIG,
  localS3ClientConfig,
  standInEnvironment,
  startStandIns,
} from '../local/stand-ins';
import { BATCH_BUCKET, BIAS, FEATURES, startBatchHarness, WEIGHTS } from '../test/helpers/batch-harness';

const SIZES = [100_000, 1_000_000];
const ROWS_PER_BATCH = 500;
const row = (i: number) => [i * 1e-5, (i % 7) - 3, Math.sin(i)];
const poisoned = (i: number) => i % 100 === 37;

function csv(n: number): string {
  const lines = [`id,${FEATURES.join(',')}`];
  for (let i = 0; i < n; i++) {
    const r = row(i);
    lines.push(`k${i},${poisoned(i) ? 'oops' : r[0]},${r[1]},${r[2]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Peak RSS while `run` runs, sampled every 20 ms. */
async function withPeakRss<T>(run: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const value = await run();
    return { value, peakMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

function baseline(n: number): number {
  const model = exportLogisticRegressionOnnx({ weights: WEIGHTS, bias: BIAS, featureNames: FEATURES });
  const start = process.hrtime.bigint();
  for (let first = 0; first < n; first += ROWS_PER_BATCH) {
    const rows: InputRow[] = [];
    for (let i = first; i < Math.min(n, first + ROWS_PER_BATCH); i++) {
      const r = row(i);
      const values = [poisoned(i) ? 'oops' : String(r[0]), String(r[1]), String(r[2])];
      rows.push({
        index: i,
        row: { id: `k${i}`, ...Object.fromEntries(FEATURES.map((f, j) => [f, values[j]])) },
        source: { object: 's3://bench/rows.csv', line: i + 2, index: i },
      });
    }
    scoreRows(rows, 'id', FEATURES, (features) => scoreOnnx(model, features));
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function batch(): Promise<{ name: string; lines: string[] }> {
  const standIns = await startStandIns();
  Object.assign(
    process.env,
    standInEnvironment(standIns, {
      [ENV.registryTable]: REGISTRY_TABLE.id,
      [ENV.auditTable]: AUDIT_TABLE.id,
      [ENV.idempotencyTable]: IDEMPOTENCY_TABLE.id,
      [ENV.artifactsBucket]: BATCH_BUCKET,
      [ENV.governancePolicy]: JSON.stringify({}),
    }),
  );
  const dynamoDb = new DynamoDBClient({
    ...LOCAL_DYNAMODB_CLIENT_CONFIG,
    endpoint: standIns.dynamoDbEndpoint,
  });
  const s3 = new S3Client(localS3ClientConfig(standIns.s3Endpoint));
  const lines: string[] = [];
  try {
    await ensureTables(dynamoDb);
    await ensureBuckets(s3, [BATCH_BUCKET]);
    const h = await startBatchHarness({ dynamoDb, s3 }, { rowsPerBatch: ROWS_PER_BATCH });
    await h.registerModel('bench-model');
    const runs: Array<{ n: number; seconds: number; peakMb: number }> = [];
    for (const n of SIZES) {
      await h.put(`in/${n}.csv`, csv(n));
      const base = baseline(n);
      const { value: seconds, peakMb } = await withPeakRss(async () => {
        const start = process.hrtime.bigint();
        const res = await h.call('POST', '/batch-predictions', {
          model: 'bench-model',
          version: 1,
          input: { uri: `s3://${BATCH_BUCKET}/in/${n}.csv`, format: 'csv' },
          keyColumn: 'id',
          output: { uri: `s3://${BATCH_BUCKET}/out/${n}/` },
          toleratedFailurePercent: 2,
        });
        await h.settle(res.body.jobId);
        const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
        const job = (await h.call('GET', `/batch-predictions/${res.body.jobId}`)).body;
        if (job.status !== 'SUCCEEDED' || job.countsCheck !== 'MATCHED' || job.counts.read !== n)
          throw new Error(`bench job of ${n} rows ended ${JSON.stringify(job)}`);
        return elapsed;
      });
      runs.push({ n, seconds, peakMb });
      lines.push(
        `${n.toLocaleString('en-US').padStart(9)} rows: job ${(n / seconds).toFixed(0).padStart(7)} rows/s ` +
          `(${seconds.toFixed(1)} s, peak RSS ${peakMb.toFixed(0)} MB); scoring alone ` +
          `${(n / base).toFixed(0)} rows/s; job/baseline ${(base / seconds).toFixed(2)}x throughput`,
      );
    }
    const [small, large] = runs;
    lines.push(
      `10^5 -> 10^6: time ${(large.seconds / small.seconds).toFixed(1)}x for 10x rows; ` +
        `peak RSS ${(large.peakMb / small.peakMb).toFixed(1)}x`,
    );
  } finally {
    dynamoDb.destroy();
    s3.destroy();
    await standIns.stop();
  }
  return { name: 'batch predictions (local Distributed Map, reference model, 1% poisoned rows)', lines };
}
