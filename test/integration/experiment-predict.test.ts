/**
 * The predict path under a running experiment, on DynamoDB Local: the experiments handler starts
 * and stops the experiment (writing and clearing the endpoint's routing record), and the serving
 * handler, reading that record with its own adapter, sends each unit to its arm's variant and
 * names the arm. The endpoint answers from the variant it was asked for, as InvokeEndpoint does
 * with `TargetVariant`.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEPLOYMENTS_TABLE } from '../../contracts/tables';
import { assign } from '../../lambdas/experiments/domain/assignment';
import { makeHandler as experimentsHandler } from '../../lambdas/experiments/handler';
import { DynamoDbEndpointRouting } from '../../lambdas/serving/adapters/dynamodb-endpoint-routing';
import type { EndpointInvoker } from '../../lambdas/serving/domain/ports';
import { makeHandler as servingHandler } from '../../lambdas/serving/handler';
import { experimentsDeps } from '../helpers/experiments-deps';
import { type HttpCall, httpCaller } from '../helpers/http-call';
import { useStandIns } from '../helpers/stand-ins';

const standIns = useStandIns({ tables: true });
let experiments: HttpCall;
let serving: HttpCall;
const invoked: Array<string | undefined> = [];

beforeAll(() => {
  const doc = DynamoDBDocumentClient.from(standIns.dynamoDb);
  experiments = httpCaller(
    experimentsHandler(experimentsDeps(standIns.dynamoDb, { newSalt: () => 'salt-predict' })),
    { functionName: 'experiments' },
  );
  const endpoints: EndpointInvoker = {
    invoke: async (_endpoint, _body, { targetVariant }) => {
      invoked.push(targetVariant);
      return {
        variant: targetVariant ?? 'champion',
        body: { model_name: 'pkg', outputs: [{ name: 'p', shape: [1, 1], datatype: 'FP32', data: [0.5] }] },
      };
    },
  };
  // No reuse of the record: the test reads each change at once.
  const routing = new DynamoDbEndpointRouting({
    envName: 'dev',
    client: doc,
    deploymentsTable: DEPLOYMENTS_TABLE.id,
    ttlMs: 0,
  });
  serving = httpCaller(servingHandler({ endpoints, routing }), { functionName: 'serving' });
});

const predict = (routingKey?: string) =>
  serving('POST', '/v2/models/churn/infer', {
    ...(routingKey ? { parameters: { routing_key: routingKey } } : {}),
    inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [1, 2] }],
  });

describe('predict during an experiment', () => {
  it('sends each unit to its arm, the same arm every time, names it, and sends all to control after the stop', async () => {
    // Prepare
    await experiments('POST', '/experiments', {
      name: 'pricing',
      modelName: 'churn',
      arms: [
        { name: 'control', version: 1, trafficPercent: 70 },
        { name: 'treatment', version: 2, trafficPercent: 30 },
      ],
      control: 'control',
      primaryMetric: { name: 'converted', kind: 'proportion', betterDirection: 'higher', baselineRate: 0.1 },
      minimumDetectableEffect: 0.2,
    });
    const started = await experiments('POST', '/experiments/pricing/start');
    const units = Array.from({ length: 40 }, (_, i) => `customer-${i}`);
    const arms = [
      { name: 'control', trafficPercent: 70 },
      { name: 'treatment', trafficPercent: 30 },
    ];

    // Act
    const first = [];
    for (const u of units) first.push(await predict(u));
    const again = [];
    for (const u of units) again.push(await predict(u));
    const unitless = await predict();
    const stopped = await experiments('POST', '/experiments/pricing/stop', { reason: 'enough' });
    const after = [];
    for (const u of units) after.push(await predict(u));

    // Assess
    expect(started.body.status).toBe('RUNNING');
    expect(first.every((r) => r.status === 200)).toBe(true);
    const expected = units.map((u) => assign('salt-predict', arms, u));
    expect(first.map((r) => r.body.parameters.experiment)).toEqual(
      expected.map((a) => ({
        name: 'pricing',
        arm: a.arm,
        version: a.arm === 'control' ? 1 : 2,
        bucket: a.bucket,
        assigned_by: 'routing_key',
      })),
    );
    expect(first.map((r) => r.body.parameters.variant)).toEqual(
      expected.map((a) => (a.arm === 'control' ? 'champion' : 'challenger')),
    );
    expect(new Set(first.map((r) => r.body.parameters.experiment.arm))).toEqual(
      new Set(['control', 'treatment']),
    );
    expect(again.map((r) => r.body.parameters.experiment)).toEqual(
      first.map((r) => r.body.parameters.experiment),
    );
    expect(invoked.slice(0, 80)).toEqual([...first, ...again].map((r) => r.body.parameters.variant));
    expect(unitless.body.parameters).toMatchObject({
      variant: 'champion',
      experiment: { name: 'pricing', arm: 'control', version: 1, assigned_by: 'default' },
    });
    expect(unitless.body.parameters.experiment).not.toHaveProperty('bucket');
    expect(stopped.body.status).toBe('STOPPED');
    expect(after.every((r) => r.body.parameters.variant === 'champion')).toBe(true);
    expect(after.some((r) => 'experiment' in r.body.parameters)).toBe(false);
  });
});
