/**
 * The data-volume check against DynamoDB Local and s3rver: rows pushed through the feature store's
 * handler are counted from the offline manifest since the model's first check or its last run that
 * trained; at the threshold `TrainingDataAccumulated` reaches a local bus over PutEvents, once. The
 * template's schedule rule runs the same check in local mode, and its event meets the pipeline's
 * trigger rule.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../contracts/env';
import { PIPELINE_EVENT_SOURCE } from '../../contracts/events';
import { type RetrainingConfig, RetrainingConfigs, type RetrainingRun } from '../../contracts/pipeline';
import { DynamoDbDataVolumeChecks } from '../../lambdas/pipeline/adapters/dynamodb-data-volume-checks';
import { DynamoDbPipelineStore } from '../../lambdas/pipeline/adapters/dynamodb-pipeline-store';
import {
  type DataVolumeCheckDeps,
  runDataVolumeCheck,
} from '../../lambdas/pipeline/domain/data-volume-check';
import { fixedRetrainingConfigs } from '../../lambdas/pipeline/domain/ports';
import { normalizeTrigger, planGate } from '../../lambdas/pipeline/domain/trigger-gate';
import { EventBridgePublisher } from '../../lambdas/shared/eventbridge-publisher';
import { synthesizePlatformTemplate } from '../../local/cdk-template';
import { LocalEventBus } from '../../local/event-bus';
import { LocalLambdaService } from '../../local/lambda-service';
import { LocalRules } from '../../local/rules';
import { parametersFromTemplate } from '../../local/ssm/server';
import { type FeaturesHarness, startFeaturesHarness } from '../helpers/features-harness';
import { useLocalSsm } from '../helpers/local-ssm';
import { platformContext } from '../helpers/pipeline-harness';

const VIEW = 'churn_features';
const config = (modelName: string): unknown => ({
  modelName,
  trainingData: { uri: 's3://mlops-artifacts/training/churn.csv', label: 'target', featureView: VIEW },
  newRowsThreshold: 5,
});
const configs: RetrainingConfig[] = RetrainingConfigs.parse([config('churn'), config('fraud')]);

let h: FeaturesHarness;
let bus: LocalEventBus;
let deps: DataVolumeCheckDeps;
const startSsm = useLocalSsm();
let runs: DynamoDbPipelineStore;
let events: EventBridgeClient;
let driver = 0;
let busUrl: string;
let lambdas: LocalLambdaService | undefined;

/** Pushes `n` rows of new drivers through the feature store's route. */
async function push(n: number): Promise<void> {
  const at = new Date(Date.now() - 60_000).toISOString();
  const rows = Array.from({ length: n }, () => ({
    driver_id: ++driver,
    event_timestamp: at,
    conv_rate: 0.5,
  }));
  const res = await h.call('POST', '/push', { featureView: VIEW, rows });
  expect(res.status).toBe(200);
}

const accumulated = (modelName: string) =>
  bus.events.filter(
    (e) =>
      e['detail-type'] === 'TrainingDataAccumulated' &&
      (e.detail as { modelName?: string }).modelName === modelName,
  );

beforeAll(async () => {
  h = await startFeaturesHarness();
  bus = new LocalEventBus();
  busUrl = await bus.listen();
  Object.assign(process.env, {
    [ENV.eventBridgeEndpoint]: busUrl,
    [ENV.eventBusName]: 'mlops-platform',
    [ENV.pipelineTable]: 'Pipeline',
  });
  const document = DynamoDBDocumentClient.from(h.dynamoDb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  runs = new DynamoDbPipelineStore({ client: document, pipelineTable: 'Pipeline', auditTable: 'Audit' });
  events = new EventBridgeClient({ endpoint: busUrl, region: 'us-east-1' });
  deps = {
    configs: fixedRetrainingConfigs(configs),
    checks: new DynamoDbDataVolumeChecks({ client: document, pipelineTable: 'Pipeline' }),
    offline: h.stores.offline,
    events: new EventBridgePublisher(events, 'mlops-platform', PIPELINE_EVENT_SOURCE),
    now: () => new Date(),
  };
  const view = {
    name: VIEW,
    entities: [{ name: 'driver_id', valueType: 'int64' }],
    features: [{ name: 'conv_rate', dtype: 'float64', min: 0, max: 1 }],
    ttlSeconds: 86_400,
  };
  expect((await h.call('POST', '/feature-views', view)).status).toBe(201);
  // Rows written before a model's first check are not new to it.
  await push(7);
}, 60_000);

afterAll(async () => {
  await lambdas?.close();
  events?.destroy();
  await bus?.close();
  await h?.stop();
});

describe('data-volume check', () => {
  it('reports once the rows pushed since the first check reach the threshold, and only once', async () => {
    // Act
    const first = await runDataVolumeCheck(deps, 'churn');
    await push(3);
    const below = await runDataVolumeCheck(deps, 'churn');
    await push(2);
    const reached = await runDataVolumeCheck(deps, 'churn');
    const again = await runDataVolumeCheck(deps, 'churn');

    // Assess
    expect(first).toMatchObject({ report: false, wait: 'BELOW_THRESHOLD', newRows: 0 });
    expect(below).toMatchObject({ report: false, wait: 'BELOW_THRESHOLD', newRows: 3 });
    expect(reached).toMatchObject({ report: true, newRows: 5, checkId: `${VIEW}@${first.since}/0` });
    expect(again).toMatchObject({ report: false, wait: 'ALREADY_REPORTED', checkId: reached.checkId });
    expect(accumulated('churn').map((e) => e.detail)).toEqual([
      {
        modelName: 'churn',
        featureView: VIEW,
        newRows: 5,
        threshold: 5,
        checkId: reached.checkId,
        since: first.since,
      },
    ]);
    expect(accumulated('churn')[0].source).toBe('cdk-mlops.pipeline');
  });

  it('waits while a run holds the model, then counts from the start of the run that trained', async () => {
    // Prepare: a run admitted through the gate (it takes the model's lock)
    const now = new Date();
    const trigger = normalizeTrigger(
      { modelName: 'churn', reason: 'manual', requestId: randomUUID() },
      { name: 'run-trained', startTime: now.toISOString() },
    );
    const run: RetrainingRun = {
      runId: 'run-trained',
      modelName: 'churn',
      trigger,
      status: 'RUNNING',
      phase: 'TRAINING',
      startedAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    const audit = {
      id: randomUUID(),
      at: now.toISOString(),
      actor: 'test',
      action: 'RetrainingStarted' as const,
      modelName: 'churn',
    };
    expect(await runs.admit({ run, plan: planGate(trigger, configs[0], now), audit })).toEqual({
      admitted: true,
    });
    const reported = accumulated('churn').length;

    // Act
    await push(6);
    const held = await runDataVolumeCheck(deps, 'churn');
    await runs.finishRun(
      {
        ...run,
        status: 'SUCCEEDED',
        outcome: 'NotImproved',
        phase: 'DONE',
        metrics: { challenger: { accuracy: 0.9 } },
      },
      { ...audit, id: randomUUID(), action: 'RetrainingFinished' },
    );
    const after = await runDataVolumeCheck(deps, 'churn');

    // Assess
    expect(held).toMatchObject({ report: false, wait: 'RUN_IN_PROGRESS', newRows: 11 });
    expect(after).toMatchObject({
      report: true,
      newRows: 6,
      since: run.startedAt,
      checkId: `${VIEW}@${run.startedAt}/0`,
    });
    expect(accumulated('churn')).toHaveLength(reported + 1);
  });

  it("runs from the template's schedule rule in local mode, and its event meets the pipeline's trigger rule", async () => {
    // Prepare: the platform template with a watched model; the rules as `npm start` runs them
    const template = synthesizePlatformTemplate(platformContext({ 'mlops:retraining': [config('fraud')] }));
    const started: unknown[] = [];
    // The check reads its model's config from the template's SSM parameters, as `npm start` serves them.
    // The check runs in its own worker with the template's environment, pointed at these stand-ins.
    lambdas = new LocalLambdaService(template, {
      dynamoDb: h.standIns.dynamoDbEndpoint,
      s3: h.standIns.s3Endpoint,
      eventBridge: busUrl,
      ssm: (await startSsm(parametersFromTemplate(template))).url,
    });
    const rules = new LocalRules(template, {
      lambdas,
      startExecution: async (id, input) => started.push({ id, input }),
    });
    rules.start(bus, { schedules: false });
    const schedule = rules.rules.find((r) => r.id.startsWith('PipelineDataVolumeCheckFraud'));

    // Act: the first tick starts counting; rows arrive; the next tick reports
    await rules.runNow(schedule!.id);
    await push(5);
    await rules.runNow(schedule!.id);
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Assess
    expect(schedule).toMatchObject({ kind: 'schedule', schedule: 'rate(15 minutes)' });
    expect(accumulated('fraud').map((e) => e.detail)).toEqual([
      expect.objectContaining({ modelName: 'fraud', newRows: 5, threshold: 5 }),
    ]);
    expect(started).toEqual([
      {
        id: expect.stringMatching(/^PipelineStateMachine/),
        input: expect.objectContaining({
          'detail-type': 'TrainingDataAccumulated',
          source: 'cdk-mlops.pipeline',
        }),
      },
    ]);
  });
});
