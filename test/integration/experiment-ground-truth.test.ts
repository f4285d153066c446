/**
 * Ground truth as an experiment metric, over the three handlers on DynamoDB Local: the serving
 * handler records each keyed prediction it serves inside the running experiment (through the
 * experiments' exposure log, as its deps wire it), monitoring's ground-truth route feeds the labels
 * into the experiment (through the experiments' feed), and the experiment's results show them on
 * the arm that served each prediction. Replays and corrected labels count once; labels of unknown
 * inferences, of predictions outside the experiment, or arriving after it stopped add nothing.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../contracts/env';
import { DEPLOYMENTS_TABLE, EXPERIMENTS_TABLE, MONITORING_TABLE } from '../../contracts/tables';
import { exposureLogFromEnv, groundTruthFeedFromEnv } from '../../lambdas/experiments';
import { makeHandler as experimentsHandler } from '../../lambdas/experiments/handler';
import { DynamoDbMonitoringStore } from '../../lambdas/monitoring/adapters/dynamodb-monitoring-store';
import type { MonitoringHandlerDeps } from '../../lambdas/monitoring/deps';
import { makeHandler as monitoringHandler } from '../../lambdas/monitoring/handler';
import { DynamoDbEndpointRouting } from '../../lambdas/serving/adapters/dynamodb-endpoint-routing';
import type { EndpointInvoker } from '../../lambdas/serving/domain/ports';
import { makeHandler as servingHandler } from '../../lambdas/serving/handler';
import { experimentsDeps } from '../helpers/experiments-deps';
import { type HttpCall, httpCaller } from '../helpers/http-call';
import { expectReplyMatchesRoute } from '../helpers/route-replies';
import { useStandIns } from '../helpers/stand-ins';

const standIns = useStandIns({ tables: true });
let experiments: HttpCall;
let serving: HttpCall;
let monitoring: HttpCall;

beforeAll(() => {
  process.env[ENV.experimentsTable] = EXPERIMENTS_TABLE.id;
  const doc = DynamoDBDocumentClient.from(standIns.dynamoDb);
  experiments = httpCaller(
    experimentsHandler(experimentsDeps(standIns.dynamoDb, { newSalt: () => 'salt-ground-truth' })),
    { functionName: 'experiments' },
  );
  // Control's version predicts class 1, the treatment's class 0, each as one row's score.
  const endpoints: EndpointInvoker = {
    invoke: async (_endpoint, _body, { targetVariant }) => ({
      variant: targetVariant ?? 'champion',
      body: {
        model_name: 'pkg',
        outputs: [
          { name: 'p', shape: [1, 1], datatype: 'FP32', data: [targetVariant === 'challenger' ? 0.2 : 0.9] },
        ],
      },
    }),
  };
  const routing = new DynamoDbEndpointRouting({
    envName: 'dev',
    client: doc,
    deploymentsTable: DEPLOYMENTS_TABLE.id,
    ttlMs: 0,
  });
  serving = httpCaller(servingHandler({ endpoints, routing, exposures: exposureLogFromEnv() }), {
    functionName: 'serving',
  });
  const feed = groundTruthFeedFromEnv();
  monitoring = httpCaller(
    monitoringHandler({
      store: new DynamoDbMonitoringStore(doc, MONITORING_TABLE.id, 'Audit'),
      registry: { getModel: async (m: string) => (['churn', 'ranker'].includes(m) ? {} : undefined) },
      ...(feed ? { experiments: feed } : {}),
      now: () => new Date(),
      newId: () => `r-${Math.random().toString(36).slice(2)}`,
    } as unknown as MonitoringHandlerDeps),
    { functionName: 'monitoring' },
  );
});

const definition = {
  name: 'labels',
  modelName: 'churn',
  arms: [
    { name: 'control', version: 1, trafficPercent: 50 },
    { name: 'treatment', version: 2, trafficPercent: 50 },
  ],
  control: 'control',
  primaryMetric: {
    name: 'accuracy',
    kind: 'proportion',
    betterDirection: 'higher',
    baselineRate: 0.8,
    groundTruth: { value: 'correct', decisionThreshold: 0.5 },
  },
  secondaryMetrics: [
    { name: 'churned', kind: 'proportion', betterDirection: 'lower', groundTruth: { value: 'label' } },
    { name: 'revenue', kind: 'mean', betterDirection: 'higher' },
  ],
  minimumDetectableEffect: 0.1,
};

const predict = (model: string, id: string | undefined, routingKey: string | undefined) =>
  serving('POST', `/v2/models/${model}/infer`, {
    ...(id ? { id } : {}),
    ...(routingKey ? { parameters: { routing_key: routingKey } } : {}),
    inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [1, 2] }],
  });

const labelsOf = (ids: readonly string[], label: number | string = 1) => ({
  labels: ids.map((inferenceId) => ({ inferenceId, label })),
});

/** n and mean per arm of one metric of the results. */
async function readings(metric: string) {
  const results = await experiments('GET', '/experiments/labels/results');
  const m = results.body.metrics.find((r: { metric: string }) => r.metric === metric);
  return Object.fromEntries(
    m.arms.map((a: { arm: string; n: number; mean: number }) => [a.arm, [a.n, a.mean]]),
  );
}

describe('ground truth as an experiment metric', () => {
  const units = Array.from({ length: 24 }, (_, i) => `customer-${i}`);
  const ids = units.map((_, i) => `inf-${i}`);
  const armOf = new Map<string, string>();

  it('feeds labels of the experiment predictions to the arm that served each, once', async () => {
    // Prepare
    expect((await experiments('POST', '/experiments', definition)).status).toBe(201);
    expect((await experiments('POST', '/experiments/labels/start')).status).toBe(200);
    for (const [i, unit] of units.entries()) {
      const reply = await predict('churn', ids[i], unit);
      armOf.set(ids[i], reply.body.parameters.experiment.arm);
    }
    // Outside the experiment's units: no routing key (control by default), no id, another model.
    await predict('churn', 'inf-unkeyed', undefined);
    await predict('churn', undefined, 'customer-x');
    const control = [...armOf.values()].filter((a) => a === 'control').length;
    const treatment = units.length - control;

    // Act
    const fed = await monitoring('POST', '/monitoring/models/churn/ground-truth', {
      labels: [
        ...labelsOf(ids).labels,
        { inferenceId: 'inf-unkeyed', label: 1 },
        { inferenceId: 'inf-unknown', label: 0 },
      ],
    });
    const replayed = await monitoring('POST', '/monitoring/models/churn/ground-truth', labelsOf(ids));
    const corrected = await monitoring(
      'POST',
      '/monitoring/models/churn/ground-truth',
      labelsOf(ids.slice(0, 3), 0),
    );

    // Assess
    expect(fed.status).toBe(200);
    expectReplyMatchesRoute('PostGroundTruth', fed);
    expect(fed.body).toEqual({ modelName: 'churn', accepted: 26, experimentOutcomes: 2 * units.length });
    expect(replayed.body.experimentOutcomes).toBe(0);
    expect(corrected.body.experimentOutcomes).toBe(0);
    expect(control).toBeGreaterThan(0);
    expect(treatment).toBeGreaterThan(0);
    // Control's score 0.9 is class 1 (correct for label 1), the treatment's 0.2 class 0.
    expect(await readings('accuracy')).toEqual({ control: [control, 1], treatment: [treatment, 0] });
    expect(await readings('churned')).toEqual({ control: [control, 1], treatment: [treatment, 1] });
    const results = await experiments('GET', '/experiments/labels/results');
    expect(results.body.units).toEqual({ control, treatment });
  });

  it('refuses posted outcomes for a metric fed by ground truth, and takes them for the others', async () => {
    // Act
    const outcome = (metric: string) => ({
      outcomes: [{ unit: units[0], metric, value: 1, time: '2026-12-07T10:00:00Z', eventId: `e-${metric}` }],
    });
    const refused = await experiments('POST', '/experiments/labels/outcomes', outcome('accuracy'));
    const taken = await experiments('POST', '/experiments/labels/outcomes', outcome('revenue'));

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('fed by the ground truth');
    expect(taken.body).toEqual({ accepted: 1, duplicates: 0, erased: 0 });
  });

  it('adds nothing for labels of a model outside any experiment, or after the experiment stopped', async () => {
    // Prepare
    const before = await readings('accuracy');
    await predict('churn', 'inf-late', 'customer-late');
    await experiments('POST', '/experiments/labels/stop', { reason: 'enough' });

    // Act
    const late = await monitoring('POST', '/monitoring/models/churn/ground-truth', labelsOf(['inf-late']));
    const other = await monitoring('POST', '/monitoring/models/ranker/ground-truth', labelsOf(ids));

    // Assess
    expect(late.body).toEqual({ modelName: 'churn', accepted: 1, experimentOutcomes: 0 });
    expect(other.body).toEqual({ modelName: 'ranker', accepted: ids.length, experimentOutcomes: 0 });
    expect(await readings('accuracy')).toEqual(before);
  });

  it.each([
    [
      'correct on a mean',
      { name: 'm', kind: 'mean', betterDirection: 'lower', groundTruth: { value: 'correct' } },
    ],
    [
      'absoluteError on a proportion',
      { name: 'm', kind: 'proportion', betterDirection: 'lower', groundTruth: { value: 'absoluteError' } },
    ],
    [
      'a threshold on a label',
      {
        name: 'm',
        kind: 'mean',
        betterDirection: 'lower',
        groundTruth: { value: 'label', decisionThreshold: 0.5 },
      },
    ],
    [
      'an unknown mapping',
      { name: 'm', kind: 'mean', betterDirection: 'lower', groundTruth: { value: 'auc' } },
    ],
  ])('refuses a ground-truth metric with %s, storing nothing', async (_case, metric) => {
    // Act
    const reply = await experiments('POST', '/experiments', {
      ...definition,
      name: 'bad-metric',
      secondaryMetrics: [metric],
    });

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('INVALID_REQUEST');
    expect((await experiments('GET', '/experiments/bad-metric')).status).toBe(404);
  });
});
