/**
 * Experiments on DynamoDB Local through their handler: the lifecycle with its sample size, audit
 * and 409s against a rollout's lock; outcome ingestion racing 50 writers with exact aggregates and
 * idempotent replays; the routing record the predict path reads; results JSON and HTML; the
 * guardrail schedule stopping an experiment on a sample ratio mismatch.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DEPLOYMENTS_TABLE, deploymentKeys, EXPERIMENTS_TABLE } from '../../contracts/tables';
import type { ExperimentsHandlerDeps } from '../../lambdas/experiments/deps';
import { assign } from '../../lambdas/experiments/domain/assignment';
import { evaluateRunningExperiments } from '../../lambdas/experiments/domain/guardrails';
import { makeHandler } from '../../lambdas/experiments/handler';
import { experimentsDeps } from '../helpers/experiments-deps';
import { type HttpCall, httpCaller } from '../helpers/http-call';
import { expectReplyMatchesRoute } from '../helpers/route-replies';
import { useStandIns } from '../helpers/stand-ins';

const standIns = useStandIns({ tables: true });
let deps: ExperimentsHandlerDeps;
let call: HttpCall;
let salt = 0;

const definition = (name: string, modelName = 'churn') => ({
  name,
  modelName,
  arms: [
    { name: 'control', version: 1, trafficPercent: 50 },
    { name: 'treatment', version: 2, trafficPercent: 50 },
  ],
  control: 'control',
  primaryMetric: { name: 'converted', kind: 'proportion', betterDirection: 'higher', baselineRate: 0.1 },
  secondaryMetrics: [{ name: 'revenue', kind: 'mean', betterDirection: 'higher' }],
  guardrailMetrics: [
    { name: 'latency_ms', kind: 'mean', betterDirection: 'lower', maxRelativeDegradationPercent: 10 },
  ],
  minimumDetectableEffect: 0.2,
  analysis: 'sequential',
});

beforeAll(() => {
  deps = experimentsDeps(standIns.dynamoDb, {
    versions: { exists: async (_m, v) => v <= 3 },
    newSalt: () => {
      salt += 1;
      return `salt${salt}`;
    },
  });
  call = httpCaller(makeHandler(deps), { functionName: 'experiments' });
});

describe('experiments lifecycle', () => {
  it('creates a DRAFT with its sample size, starts it, and refuses a second experiment on the endpoint', async () => {
    // Act
    const created = await call('POST', '/experiments', definition('checkout'));
    const duplicate = await call('POST', '/experiments', definition('checkout'));
    const missingVersion = await call('POST', '/experiments', {
      ...definition('ghost'),
      arms: [
        { name: 'control', version: 1, trafficPercent: 50 },
        { name: 'treatment', version: 9, trafficPercent: 50 },
      ],
    });
    const started = await call('POST', '/experiments/checkout/start');
    await call('POST', '/experiments', definition('other'));
    const blocked = await call('POST', '/experiments/other/start');

    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'DRAFT',
      sampleSize: { perArm: { control: 3835, treatment: 3835 } },
    });
    expect(duplicate.status).toBe(409);
    expect(missingVersion.status).toBe(404);
    expect(started.body.status).toBe('RUNNING');
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.message).toContain('experiment checkout is running');
    const routing = await standIns.dynamoDb.send(
      new GetCommand({ TableName: DEPLOYMENTS_TABLE.id, Key: deploymentKeys.routing('churn') }),
    );
    expect(routing.Item?.experiment).toMatchObject({ name: 'checkout', salt: created.body.salt });
  });

  it('refuses to start while a rollout holds the endpoint, naming it', async () => {
    // Prepare
    await standIns.dynamoDb.send(
      new PutCommand({
        TableName: DEPLOYMENTS_TABLE.id,
        Item: { ...deploymentKeys.lock('fraud'), deploymentId: 'd-123', expiresAt: '9999-01-01T00:00:00Z' },
      }),
    );
    await call('POST', '/experiments', definition('fraud-test', 'fraud'));

    // Act
    const refused = await call('POST', '/experiments/fraud-test/start');

    // Assess
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'DEPLOYMENT_IN_PROGRESS' });
    expect(refused.body.error.message).toContain('rollout d-123');
  });

  it('adds outcomes of 50 racing writers exactly, and counts replays once', async () => {
    // Prepare: 50 writers x 20 outcomes, values exact in binary so the expected sums are exact.
    const batches = Array.from({ length: 50 }, (_, w) => ({
      outcomes: Array.from({ length: 20 }, (_, i) => ({
        unit: `u${(w * 20 + i) % 700}`,
        metric: 'revenue',
        value: ((w * 20 + i) % 17) * 0.25 + 1e-3,
        time: '2026-12-06T10:00:00Z',
        eventId: `e-${w}-${i}`,
      })),
    }));
    const salted = (await call('GET', '/experiments/checkout')).body.salt as string;
    const arms = [
      { name: 'control', trafficPercent: 50 },
      { name: 'treatment', trafficPercent: 50 },
    ];

    // Act
    const replies = await Promise.all(batches.map((b) => call('POST', '/experiments/checkout/outcomes', b)));
    const replay = await call('POST', '/experiments/checkout/outcomes', batches[7]);
    const stored = await deps.store.aggregates('checkout');

    // Assess
    expect(replies.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
    expect(replay.body).toEqual({ accepted: 0, duplicates: 20, erased: 0 });
    const expected: Record<string, { n: number; sum: bigint; units: Set<string> }> = {};
    for (const o of batches.flatMap((b) => b.outcomes)) {
      const arm = assign(salted, arms, o.unit).arm;
      expected[arm] ??= { n: 0, sum: 0n, units: new Set() };
      expected[arm].n += 1;
      // Sums in thousandths, exactly.
      expected[arm].sum += BigInt(Math.round(o.value * 1000));
      expected[arm].units.add(o.unit);
    }
    for (const arm of ['control', 'treatment']) {
      expect(stored.metrics.revenue[arm].n).toBe(expected[arm].n);
      expect(stored.metrics.revenue[arm].sum).toBe(Number(expected[arm].sum) / 1000);
      expect(stored.units[arm]).toBe(expected[arm].units.size);
    }
  });

  it('refuses a bad batch whole: unknown metric, a proportion that is not 0 or 1', async () => {
    const before = await deps.store.aggregates('checkout');
    const unknown = await call('POST', '/experiments/checkout/outcomes', {
      outcomes: [
        { unit: 'a', metric: 'converted', value: 1, time: '2026-12-06T10:00:00Z', eventId: 'bad-1' },
        { unit: 'a', metric: 'nope', value: 1, time: '2026-12-06T10:00:00Z', eventId: 'bad-2' },
      ],
    });
    const notBinary = await call('POST', '/experiments/checkout/outcomes', {
      outcomes: [
        { unit: 'a', metric: 'converted', value: 0.5, time: '2026-12-06T10:00:00Z', eventId: 'bad-3' },
      ],
    });
    expect(unknown.status).toBe(400);
    expect(notBinary.status).toBe(400);
    expect(await deps.store.aggregates('checkout')).toEqual(before);
  });

  it('reads results as JSON and HTML without scripts', async () => {
    const results = await call('GET', '/experiments/checkout/results');
    const report = await call('GET', '/experiments/checkout/report');
    expect(results.status).toBe(200);
    expect(results.body.metrics.map((m: { metric: string }) => m.metric)).toEqual([
      'converted',
      'revenue',
      'latency_ms',
    ]);
    expect(results.body.metrics[1].effect.pValueHolm).toBeGreaterThanOrEqual(
      results.body.metrics[1].effect.pValue,
    );
    expect(report.body).toContain('<svg');
    expect(report.body).not.toMatch(/<script/i);
  });

  it('answers the experiment with plain JSON numbers after reading exact sums', async () => {
    // The sums are read as decimal strings; nothing else the function answers may be.
    await call('GET', '/experiments/checkout/results');
    const experiment = await call('GET', '/experiments/checkout');
    expectReplyMatchesRoute('GetExperiment', experiment);
    expect(typeof experiment.body.arms[0].trafficPercent).toBe('number');
  });

  it('stops on a sample ratio mismatch from the schedule, audited, and frees the endpoint', async () => {
    // Prepare: only control units report.
    await call('POST', '/experiments', definition('skewed', 'ranker'));
    await call('POST', '/experiments/skewed/start');
    const s = (await call('GET', '/experiments/skewed')).body.salt as string;
    const arms = [
      { name: 'control', trafficPercent: 50 },
      { name: 'treatment', trafficPercent: 50 },
    ];
    const units = Array.from({ length: 1500 }, (_, i) => `k${i}`).filter(
      (u) => assign(s, arms, u).arm === 'control',
    );
    const outcomes = units.slice(0, 400).map((unit, i) => ({
      unit,
      metric: 'converted',
      value: i % 2,
      time: '2026-12-06T10:00:00Z',
      eventId: `s-${i}`,
    }));
    await call('POST', '/experiments/skewed/outcomes', { outcomes });

    // Act
    const outcome = await evaluateRunningExperiments(deps);

    // Assess
    expect(outcome.find((o) => o.name === 'skewed')).toMatchObject({ stopped: true });
    const after = (await call('GET', '/experiments/skewed')).body;
    expect(after.status).toBe('STOPPED');
    expect(after.reason).toContain('sample ratio mismatch');
    const audit = await standIns.dynamoDb.send(
      new QueryCommand({
        TableName: 'Audit',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'MODEL#ranker' },
      }),
    );
    expect((audit.Items ?? []).map((i) => i.action)).toEqual(
      expect.arrayContaining([
        'ExperimentCreated',
        'ExperimentStarted',
        'SampleRatioMismatch',
        'ExperimentStopped',
      ]),
    );
    const lock = await standIns.dynamoDb.send(
      new GetCommand({ TableName: DEPLOYMENTS_TABLE.id, Key: deploymentKeys.lock('ranker') }),
    );
    expect(lock.Item).toBeUndefined();
  });

  it('concludes with control as winner, back to the champion alone', async () => {
    const concluded = await call('POST', '/experiments/checkout/conclude', { winner: 'control' });
    expect(concluded.body).toMatchObject({ status: 'CONCLUDED', winner: 'control' });
    const routing = await standIns.dynamoDb.send(
      new GetCommand({ TableName: DEPLOYMENTS_TABLE.id, Key: deploymentKeys.routing('churn') }),
    );
    expect(routing.Item).toBeUndefined();
    expect((await call('POST', '/experiments/checkout/stop')).status).toBe(409);
  });

  it('lists experiments by status then name, page by page, filtered by status and model', async () => {
    // Act: every page of one item, then the filters and a forged token
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await call('GET', `/experiments?limit=1${token ? `&nextToken=${token}` : ''}`);
      expectReplyMatchesRoute('ListExperiments', page);
      names.push(...page.body.items.map((e: { name: string }) => e.name));
      token = page.body.nextToken;
    } while (token);
    const drafts = await call('GET', '/experiments?status=DRAFT&modelName=churn');
    const forged = await call(
      'GET',
      `/experiments?nextToken=${Buffer.from('{"status":"GONE"}').toString('base64url')}`,
    );

    const emptyKey = await call(
      'GET',
      `/experiments?nextToken=${Buffer.from('{"status":"DRAFT","pk":"","sk":""}').toString('base64url')}`,
    );

    // Assess
    expect(names).toEqual(['fraud-test', 'other', 'skewed', 'checkout']);
    expect(emptyKey.status).toBe(400);
    expect(drafts.body.items.map((e: { name: string }) => e.name)).toEqual(['other']);
    expect(forged.status).toBe(400);
  });

  it('keeps only experiments the schedule has work on in its sparse index', async () => {
    // Prepare
    const scheduled = async () =>
      (
        await standIns.dynamoDb.send(
          new QueryCommand({
            TableName: EXPERIMENTS_TABLE.id,
            IndexName: 'bySchedule',
            KeyConditionExpression: 'scheduled = :due',
            ExpressionAttributeValues: { ':due': 'DUE' },
          }),
        )
      ).Items?.map((i) => i.name);
    const ended = await scheduled();

    // Act
    await call('POST', '/experiments/other/start');
    const running = await scheduled();
    const read = await deps.store.listScheduled();

    // Assess: the stopped and concluded experiments are not read, the running one is
    expect(ended).toEqual([]);
    expect(running).toEqual(['other']);
    expect(read.map((e) => e.name)).toEqual(['other']);
    expect(read[0]).not.toHaveProperty('scheduled');
  });
});
