/**
 * Monitoring against DynamoDB Local and s3rver: a reference profile linked
 * from a registry version, SageMaker capture files in S3, scheduled checks with a watermark,
 * stored JSON + HTML reports, DriftDetected (in the outbox, with its report) for shifted traffic
 * only, the fan-out (shard per file,
 * then merge) equal to the one-pass report, and QualityDegraded for a > 5% accuracy drop.
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ENV } from '../../contracts/env';
import { type AuditRecord, MonitoringEvent } from '../../contracts/events';
import {
  DEFAULT_CAPTURE_PREFIX,
  MonitoredModelSetting,
  REFERENCE_PROFILE_TAG,
} from '../../contracts/monitoring';
import { modelParameterName } from '../../contracts/parameters';
import { AUDIT_TABLE, auditKeys } from '../../contracts/tables';
import { toEventEntry } from '../../lambdas/events/outbox-publisher';
import {
  fixedMonitoredModels,
  type MetricDatum,
  type MonitoringDeps,
} from '../../lambdas/monitoring/domain/ports';
import { type HttpReply, httpCaller } from '../helpers/http-call';
import { crashLeftRequestsInProgress } from '../helpers/idempotency-records';
import { useLocalSsm } from '../helpers/local-ssm';
import { registryApi } from '../helpers/registry-harness';
import { expectReplyMatchesRoute } from '../helpers/route-replies';
import { useStandIns } from '../helpers/stand-ins';

const BUCKET = 'test-monitoring';
const ENDPOINT = 'churn-ep';
const standIns = useStandIns({ tables: true, buckets: [BUCKET] });
/** The monitored model, read as the functions read it: its SSM parameter under the env's path. */
const CHURN = MonitoredModelSetting.parse({
  modelName: 'churn',
  endpointName: ENDPOINT,
  modelVersion: 1,
  driftShareThreshold: 0.5,
});
const MODELS_PATH = '/cdk-mlops/test/monitored-models';
const startSsm = useLocalSsm();
const metrics: MetricDatum[] = [];
let deps: MonitoringDeps;
// biome-ignore lint/suspicious/noExplicitAny: tests assert on outcomes field by field
type Body = any;
let call: (
  which: 'registry' | 'monitoring',
  method: string,
  path: string,
  body?: unknown,
) => Promise<HttpReply>;
// Loaded after the stand-ins start: the handlers read env once.
let monitoring: typeof import('../../lambdas/monitoring/handler');
let scheduled: typeof import('../../lambdas/monitoring/scheduled-check');
let fanOut: typeof import('../../lambdas/monitoring/fan-out');

/** Deterministic uniforms (mulberry32), so the samples and verdicts never change. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rows = (n: number, seed: number, shift = 0) => {
  const u = rng(seed);
  return Array.from({ length: n }, () => ({
    tenure: Math.round((u() * 40 + u() * 40 + shift) * 100) / 100,
    plan: u() < (shift ? 0.8 : 0.3) ? 'premium' : 'basic',
  }));
};

/** One capture file: CSV, JSON and OIP v2 requests, as the SageMaker data capture writes them. */
function captureFile(data: Array<{ tenure: number; plan: string }>, start: number, hour: string): string {
  return data
    .map((r, i) => {
      const id = `inf-${start + i}`;
      const score = r.tenure > 40 ? 0.8 : 0.2;
      const input =
        i % 3 === 0
          ? { observedContentType: 'text/csv', mode: 'INPUT', data: `${r.tenure},${r.plan}`, encoding: 'CSV' }
          : i % 3 === 1
            ? {
                observedContentType: 'application/json',
                mode: 'INPUT',
                data: JSON.stringify(r),
                encoding: 'JSON',
              }
            : {
                observedContentType: 'application/json',
                mode: 'INPUT',
                data: Buffer.from(JSON.stringify({ instances: [[r.tenure, r.plan]] })).toString('base64'),
                encoding: 'BASE64',
              };
      return JSON.stringify({
        captureData: {
          endpointInput: input,
          endpointOutput: {
            observedContentType: 'text/csv',
            mode: 'OUTPUT',
            data: String(score),
            encoding: 'CSV',
          },
        },
        eventMetadata: { eventId: `e-${id}`, inferenceId: id, inferenceTime: `${hour}:30:00Z` },
        eventVersion: '0',
      });
    })
    .join('\n');
}

let fileSeq = 0;
async function putCapture(
  data: Array<{ tenure: number; plan: string }>,
  start: number,
  hour = '2026-11-24T10',
) {
  const [date, hh] = hour.split('T');
  const key = `${DEFAULT_CAPTURE_PREFIX}${ENDPOINT}/AllTraffic/${date.replaceAll('-', '/')}/${hh}/${String(fileSeq++).padStart(2, '0')}-00-000-f.jsonl`;
  await standIns.s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: captureFile(data, start, hour) }),
  );
  return key;
}

beforeAll(async () => {
  Object.assign(process.env, {
    [ENV.monitoringTable]: 'Monitoring',
    [ENV.governancePolicy]: '{}',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    [ENV.monitoringSettings]: JSON.stringify({ maxFilesPerLambda: 50 }),
    [ENV.monitoredModelsPath]: MODELS_PATH,
    [ENV.ssmEndpoint]: (
      await startSsm([
        { Name: modelParameterName(MODELS_PATH, 'churn'), Type: 'String', Value: JSON.stringify(CHURN) },
      ])
    ).url,
  });
  monitoring = await import('../../lambdas/monitoring/handler');
  scheduled = await import('../../lambdas/monitoring/scheduled-check');
  fanOut = await import('../../lambdas/monitoring/fan-out');
  const { defaultDeps, idempotencyFromEnv } = await import('../../lambdas/monitoring/deps');
  // CloudWatch has no stand-in here: record the data the adapter would put.
  deps = {
    ...defaultDeps(),
    ...idempotencyFromEnv(),
    metrics: { publish: async (data) => void metrics.push(...data) },
  };
  const calls = {
    registry: registryApi({ idempotency: false }),
    monitoring: httpCaller(monitoring.makeHandler(deps), { functionName: 'monitoring' }),
  };
  call = (which, method, path, body) => calls[which](method, path, body);
  const sha = 'a'.repeat(64);
  expect((await call('registry', 'POST', '/models', { name: 'churn' })).status).toBe(201);
  const version = await call('registry', 'POST', '/models/churn/versions', {
    metrics: { accuracy: 0.95 },
    artifact: { sha256: sha, sizeBytes: 10 },
  });
  expect(version.status).toBe(201);
}, 60_000);

/** The events the outbox would publish: the audit records the checks committed, as PutEvents entries. */
const outboxEvents = async (detailType: string) => {
  const out = await standIns.dynamoDb.send(
    new QueryCommand({
      TableName: AUDIT_TABLE.id,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: auditKeys.partition('churn') } },
    }),
  );
  return (out.Items ?? [])
    .map((item) => {
      const { pk: _pk, sk: _sk, ...record } = unmarshall(item);
      const entry = toEventEntry(record as AuditRecord, 'test-bus');
      return {
        source: entry.Source,
        'detail-type': entry.DetailType,
        detail: JSON.parse(entry.Detail ?? '{}'),
      };
    })
    .filter((e) => e['detail-type'] === detailType);
};
const driftEvents = () => outboxEvents(MonitoringEvent.DRIFT_DETECTED);

describe('reference profile', () => {
  it('is built from training rows, stored in S3 and linked from the registry version', async () => {
    const res = await call('monitoring', 'POST', '/monitoring/models/churn/versions/1/reference-profile', {
      data: { rows: rows(600, 1) },
    });
    expect(res.status).toBe(201);
    expect(res.body.profile.features.map((f: { name: string; type: string }) => [f.name, f.type])).toEqual([
      ['tenure', 'numeric'],
      ['plan', 'categorical'],
    ]);
    const version = await call('registry', 'GET', '/models/churn/versions/1');
    expect(version.body.tags[REFERENCE_PROFILE_TAG]).toBe(res.body.uri);
    const read = await call('monitoring', 'GET', '/monitoring/models/churn/versions/1/reference-profile');
    expect(read.status).toBe(200);
    expectReplyMatchesRoute('CreateReferenceProfile', res);
    expectReplyMatchesRoute('GetReferenceProfile', read);
    expectReplyMatchesRoute('GetVersion', version);
  });

  it('fails with 404 for an unknown version and writes nothing', async () => {
    const res = await call('monitoring', 'POST', '/monitoring/models/churn/versions/9/reference-profile', {
      data: { rows: rows(10, 2) },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('VERSION_NOT_FOUND');
  });
});

describe('scheduled checks', () => {
  it('reports same-distribution capture without drift, and nothing new on the next run', async () => {
    await putCapture(rows(90, 10), 0);
    await putCapture(rows(90, 11), 100);
    const outcome: Body = await scheduled.makeHandler(deps)({ modelName: 'churn' });
    expect(outcome.status).toBe('REPORTED');
    expect(outcome.report.dataset.drifted).toBe(false);
    expect(outcome.report.currentRows).toBe(180);
    expect(await driftEvents()).toHaveLength(0);
    const html = await call(
      'monitoring',
      'GET',
      `/monitoring/models/churn/reports/${outcome.report.reportId}/html`,
    );
    expect(html.status).toBe(200);
    expect(html.body).toContain('<svg');
    expect(html.body).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(metrics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'DriftShare', value: 0, dimensions: { ModelName: 'churn' } }),
        expect.objectContaining({
          name: 'FeatureDrifted',
          dimensions: { ModelName: 'churn', FeatureName: 'tenure' },
        }),
      ]),
    );
    expect((await scheduled.makeHandler(deps)({ modelName: 'churn' })).status).toBe('NO_NEW_CAPTURE');
    // The route runs the same check: its outcomes are the ones the document declares.
    expectReplyMatchesRoute('RunMonitoringCheck', { status: 200, body: JSON.parse(JSON.stringify(outcome)) });
    const now = await call('monitoring', 'POST', '/monitoring/models/churn/checks');
    expect(now.body.status).toBe('NO_NEW_CAPTURE');
    expectReplyMatchesRoute('RunMonitoringCheck', now);
    expectReplyMatchesRoute('GetMonitoringReportHtml', html);
  });

  it('reports shifted capture as drift and puts DriftDetected with the report location', async () => {
    await putCapture(rows(150, 20, 25), 200);
    const outcome: Body = await scheduled.makeHandler(deps)({ modelName: 'churn' });
    expect(outcome.report.dataset.drifted).toBe(true);
    const [event] = await driftEvents();
    expect(event.source).toBe('cdk-mlops.monitoring');
    expect(event.detail).toMatchObject({
      id: outcome.report.reportId,
      action: 'DriftDetected',
      modelName: 'churn',
      after: {
        reportId: outcome.report.reportId,
        report: {
          json: expect.stringMatching(/^s3:\/\/test-monitoring\/monitoring\/reports\/churn\/.+\.json$/),
        },
      },
    });
    const listed = await call('monitoring', 'GET', '/monitoring/models/churn/reports');
    expect(listed.body.items[0]).toMatchObject({ reportId: outcome.report.reportId, drifted: true });
    const stored = await call(
      'monitoring',
      'GET',
      `/monitoring/models/churn/reports/${outcome.report.reportId}`,
    );
    expect(stored.body.features).toHaveLength(2);
    expectReplyMatchesRoute('ListMonitoringReports', listed);
    expectReplyMatchesRoute('GetMonitoringReport', stored);
  });

  it('loses nothing when a check dies after leasing its window: the next one takes it over', async () => {
    // Prepare
    const key = await putCapture(rows(60, 30), 300);
    const failing: MonitoringDeps = {
      ...deps,
      metrics: {
        publish: async () => {
          throw new Error('CloudWatch unavailable');
        },
      },
    };
    const later: MonitoringDeps = { ...deps, now: () => new Date(Date.now() + 3 * 60 * 60 * 1000) };
    // Act
    await expect(scheduled.makeHandler(failing)({ modelName: 'churn' })).rejects.toThrow(
      'CloudWatch unavailable',
    );
    const whileLeased: Body = await scheduled.makeHandler(deps)({ modelName: 'churn' });
    const afterExpiry: Body = await scheduled.makeHandler(later)({ modelName: 'churn' });
    const next: Body = await scheduled.makeHandler(later)({ modelName: 'churn' });
    // Assess
    expect(whileLeased.status).toBe('CHECK_IN_PROGRESS');
    expect(afterExpiry.status).toBe('REPORTED');
    expect(afterExpiry.report.window).toMatchObject({ files: 1, firstKey: key, lastKey: key });
    expect(next.status).toBe('NO_NEW_CAPTURE');
  });

  it('fans out to the exact one-pass answer: a shard per file, then merge', async () => {
    const keys = [
      await putCapture(rows(70, 30, 5), 400),
      await putCapture(rows(50, 31), 500),
      await putCapture(rows(80, 32, 5), 600),
    ];
    const { loadReferenceProfile } = await import('../../lambdas/monitoring/domain/profiles');
    const { summarizeCaptureObject } = await import('../../lambdas/monitoring/domain/scheduled-checks');
    const { mergeCurrent, emptyCurrent } = await import('../../lambdas/monitoring/domain/current-summary');
    const { computeDriftReport } = await import('../../lambdas/monitoring/domain/drift-report');
    const { profile } = await loadReferenceProfile(deps, 'churn', 1);
    // Shards in reverse order: the merge must not depend on the order they finish in.
    for (const [index, key] of [...keys.entries()].reverse()) {
      await fanOut.makeShardHandler(deps)({ runId: 'run-fan', modelName: 'churn', key, index });
    }
    const merged = await fanOut.makeMergeHandler(deps)({
      runId: 'run-fan',
      modelName: 'churn',
      bucket: BUCKET,
      manifestKey: 'unused',
      files: 3,
    });
    let onePass = emptyCurrent(profile);
    for (const key of keys) onePass = mergeCurrent(onePass, await summarizeCaptureObject(deps, profile, key));
    const expected = computeDriftReport(profile, onePass, {
      reportId: 'x',
      kind: 'scheduled',
      createdAt: 'x',
    });
    const stored = await call('monitoring', 'GET', `/monitoring/models/churn/reports/${merged.reportId}`);
    const pick = (f: { feature: string; statistic: number; score: number; drifted: boolean }) => [
      f.feature,
      f.statistic,
      f.score,
      f.drifted,
    ];
    expect(stored.body.features.map(pick)).toEqual(expected.features.map(pick));
    expect(stored.body.currentRows).toBe(200);
  });
});

describe('a monitored model without modelVersion: the champion is the reference', () => {
  // The same endpoint's capture, watched under another stream position by a config entry that
  // names no version.
  const followsChampion = (aliasVersion: number | undefined): MonitoringDeps => ({
    ...deps,
    models: fixedMonitoredModels([{ ...CHURN, modelVersion: undefined }]),
    registry: {
      getModel: (model) => deps.registry.getModel(model),
      getVersion: (model, version) => deps.registry.getVersion(model, version),
      tagVersion: (model, version, tags, principal) =>
        deps.registry.tagVersion(model, version, tags, principal),
      aliasVersion: async () => aliasVersion,
    },
  });

  let newest: string;

  it('refuses with NO_CHAMPION and claims no window while no version is the champion', async () => {
    // Prepare
    newest = await putCapture(rows(40, 40), 700);
    // Act
    const check = scheduled.makeHandler(followsChampion(undefined))({ modelName: 'churn' });
    // Assess: nothing leased, so the champion's first check takes the same window
    await expect(check).rejects.toMatchObject({ code: 'NO_CHAMPION' });
    const state = await deps.store.getWatermark('churn', `${ENDPOINT}/AllTraffic`);
    expect(state.pending).toBeUndefined();
  });

  it("compares with the champion's profile, and hands that version to every shard of a fan-out", async () => {
    // Act
    const outcome: Body = await scheduled.makeHandler(followsChampion(1))({ modelName: 'churn' });
    const started: unknown[] = [];
    await putCapture(rows(20, 41), 800);
    await putCapture(rows(20, 42), 900);
    const fanned: Body = await scheduled.makeHandler({
      ...followsChampion(1),
      maxFilesPerLambda: 1,
      fanOut: {
        start: async (input) => {
          started.push(input);
          return { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:fan:1' };
        },
      },
    })({ modelName: 'churn' });
    // Assess
    expect(outcome).toMatchObject({
      status: 'REPORTED',
      report: { modelVersion: 1, window: { lastKey: newest } },
    });
    expect(fanned.status).toBe('FANNED_OUT');
    expect(started).toEqual([expect.objectContaining({ modelName: 'churn', modelVersion: 1 })]);
  });
});

describe('on-demand drift', () => {
  it('checks inline current data against the registered profile', async () => {
    const res = await call('monitoring', 'POST', '/monitoring/drift-reports', {
      modelName: 'churn',
      reference: { modelVersion: 1 },
      current: { rows: rows(300, 40, 30) },
    });
    expect(res.status).toBe(201);
    expect(res.body.dataset.drifted).toBe(true);
    expectReplyMatchesRoute('CheckDrift', res);
  });

  it('fails with 400 naming the field for a bad body, and stores nothing', async () => {
    const before = (await call('monitoring', 'GET', '/monitoring/models/adhoc/reports')).body.items.length;
    const res = await call('monitoring', 'POST', '/monitoring/drift-reports', {
      modelName: 'adhoc',
      current: {},
    });
    expect(res.status).toBe(400);
    expect((await call('monitoring', 'GET', '/monitoring/models/adhoc/reports')).body.items).toHaveLength(
      before,
    );
  });
});

describe('Idempotency-Key on the monitoring writes', () => {
  const keyed = (key: string) => ({ 'idempotency-key': key });
  const send = (method: string, path: string, body: unknown, headers: Record<string, string>) =>
    httpCaller(monitoring.makeHandler(deps), { functionName: 'monitoring' })(method, path, body, headers);

  it('answers a retried drift check, after a crash too, with its first report and indexes one', async () => {
    // Prepare
    const body = {
      modelName: 'keyed-drift',
      reference: { rows: rows(200, 1) },
      current: { rows: rows(200, 2) },
    };
    const first = await send('POST', '/monitoring/drift-reports', body, keyed('drift-1'));
    // Act
    const again = await send('POST', '/monitoring/drift-reports', body, keyed('drift-1'));
    await crashLeftRequestsInProgress(standIns.dynamoDb);
    const afterCrash = await send('POST', '/monitoring/drift-reports', body, keyed('drift-1'));
    const other = await send(
      'POST',
      '/monitoring/drift-reports',
      { ...body, driftShareThreshold: 0.9 },
      keyed('drift-1'),
    );
    // Assess
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    expect(afterCrash.body).toEqual(first.body);
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
    const reports = await call('monitoring', 'GET', '/monitoring/models/keyed-drift/reports');
    expect(reports.body.items.map((r: { reportId: string }) => r.reportId)).toEqual([first.body.reportId]);
  });

  it('answers retried ground truth with its first answer and refuses the key with other labels', async () => {
    // Prepare
    const body = { labels: [{ inferenceId: 'keyed-1', label: 1 }] };
    const first = await send('POST', '/monitoring/models/churn/ground-truth', body, keyed('labels-1'));
    await crashLeftRequestsInProgress(standIns.dynamoDb);
    // Act
    const retry = await send('POST', '/monitoring/models/churn/ground-truth', body, keyed('labels-1'));
    const other = await send(
      'POST',
      '/monitoring/models/churn/ground-truth',
      { labels: [{ inferenceId: 'keyed-1', label: 0 }] },
      keyed('labels-1'),
    );
    // Assess
    expect(first).toMatchObject({ status: 200, body: { accepted: 1 } });
    expect(retry.body).toEqual(first.body);
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
    expect((await deps.store.getLabels('churn', ['keyed-1'])).get('keyed-1')).toBe(1);
  });
});

describe('model quality', () => {
  it('refuses ground truth for a model the registry does not know with 404 MODEL_NOT_FOUND', async () => {
    // Act
    const res = await call('monitoring', 'POST', '/monitoring/models/no-such-model/ground-truth', {
      labels: [{ inferenceId: 'inf-1', label: 1 }],
    });
    // Assess
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('MODEL_NOT_FOUND');
  });

  it('joins labels by inference id and puts QualityDegraded for a drop past 5%', async () => {
    // Every label is 0 while about half the predictions (tenure > 40) are 1: accuracy far below 0.95.
    const labels = Array.from({ length: 180 }, (_, i) => ({
      inferenceId: `inf-${i < 90 ? i : i + 10}`,
      label: 0,
    }));
    const posted = await call('monitoring', 'POST', '/monitoring/models/churn/ground-truth', { labels });
    expect(posted.status).toBe(200);
    expectReplyMatchesRoute('PostGroundTruth', posted);
    const res = await call('monitoring', 'POST', '/monitoring/models/churn/quality-reports', {
      endpointName: ENDPOINT,
      modelVersion: 1,
      from: '2026-11-24T10:00:00Z',
      to: '2026-11-24T11:00:00Z',
      quality: { problemType: 'binary-classification' },
    });
    expect(res.status).toBe(201);
    expect(res.body.joined).toBe(180);
    expect(res.body.comparison).toMatchObject({ metric: 'accuracy', baseline: 0.95, degraded: true });
    const [event] = await outboxEvents(MonitoringEvent.QUALITY_DEGRADED);
    expect(event?.detail).toMatchObject({
      id: res.body.reportId,
      modelName: 'churn',
      after: { metric: 'accuracy', reportId: res.body.reportId },
    });
    expectReplyMatchesRoute('CreateQualityReport', res);
    expectReplyMatchesRoute(
      'GetMonitoringReport',
      await call('monitoring', 'GET', `/monitoring/models/churn/reports/${res.body.reportId}`),
    );
  });
});

describe("the template's fan-out state machine, executed locally", () => {
  it('reads the manifest, summarises a file per iteration and merges to the one-pass report', async () => {
    // Prepare: the synthesized Distributed Map, its shard and merge functions over these deps,
    // and a monitored stream of its own (its own watermark)
    const { synthesizePlatformTemplate, functionEntries } = await import('../../local/cdk-template');
    const { LocalStateMachine, stateMachineDefinitions } = await import(
      '../../local/state-machines/executor'
    );
    const { platformContext } = await import('../helpers/pipeline-harness');
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const template = synthesizePlatformTemplate(
      platformContext({
        'mlops:monitoring': { models: [{ modelName: 'churn', endpointName: 'churn-fan', modelVersion: 1 }] },
      }),
    );
    const machineId = [...stateMachineDefinitions(template).keys()].find((id) => id.includes('FanOut'))!;
    const fanDeps: MonitoringDeps = {
      ...deps,
      maxFilesPerLambda: 1,
      models: fixedMonitoredModels([{ ...CHURN, endpointName: 'churn-fan' }]),
    };
    const byEntry = new Map([...functionEntries(template)].map(([id, entry]) => [id, entry]));
    const machine = new LocalStateMachine(template, machineId, async (id, payload) => {
      const entry = byEntry.get(id);
      if (entry === 'lambdas/monitoring/shard-handler.ts')
        return fanOut.makeShardHandler(fanDeps)(payload as never);
      if (entry === 'lambdas/monitoring/merge-handler.ts')
        return fanOut.makeMergeHandler(fanDeps)(payload as never);
      throw new Error(`unexpected function ${id} (${entry})`);
    });
    const readItems = async (bucket: string, key: string) => {
      const got = await standIns.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return JSON.parse(await got.Body!.transformToString());
    };
    let execution: Promise<unknown> | undefined;
    const check = scheduled.makeHandler({
      ...fanDeps,
      fanOut: {
        start: async (input) => {
          execution = machine.run(input, { readItems });
          return { executionArn: `${machine.arn}:local` };
        },
      },
    });
    const keys: string[] = [];
    for (const [i, data] of [rows(70, 50, 5), rows(50, 51), rows(80, 52, 5)].entries()) {
      const key = `${DEFAULT_CAPTURE_PREFIX}churn-fan/AllTraffic/2026/11/24/10/${i}-00-000-f.jsonl`;
      await standIns.s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: key,
          Body: captureFile(data, 1000 + i * 100, '2026-11-24T10'),
        }),
      );
      keys.push(key);
    }

    // Act
    const outcome: Body = await check({ modelName: 'churn' });
    const merged = (await execution) as { reportId: string; currentRows: number };

    // Assess: the merged report is the one-pass report, and the window is committed
    expect(outcome).toMatchObject({ status: 'FANNED_OUT', files: 3 });
    const { loadReferenceProfile } = await import('../../lambdas/monitoring/domain/profiles');
    const { summarizeCaptureObject } = await import('../../lambdas/monitoring/domain/scheduled-checks');
    const { mergeCurrent, emptyCurrent } = await import('../../lambdas/monitoring/domain/current-summary');
    const { computeDriftReport } = await import('../../lambdas/monitoring/domain/drift-report');
    const { profile } = await loadReferenceProfile(deps, 'churn', 1);
    let onePass = emptyCurrent(profile);
    for (const key of keys) onePass = mergeCurrent(onePass, await summarizeCaptureObject(deps, profile, key));
    const expected = computeDriftReport(profile, onePass, {
      reportId: 'x',
      kind: 'scheduled',
      createdAt: 'x',
    });
    const stored = await call('monitoring', 'GET', `/monitoring/models/churn/reports/${merged.reportId}`);
    const pick = (f: { feature: string; statistic: number; score: number; drifted: boolean }) => [
      f.feature,
      f.statistic,
      f.score,
      f.drifted,
    ];
    expect(stored.body.features.map(pick)).toEqual(expected.features.map(pick));
    expect(stored.body.currentRows).toBe(200);
    expect((await check({ modelName: 'churn' })).status).toBe('NO_NEW_CAPTURE');
  }, 60_000);
});
