/**
 * Experiments written before the sparse `bySchedule` index existed lack its attribute, so the
 * guardrail schedule would never see them: its first run puts the ones it has work on there (once
 * per table, then a marker), and evaluates them from then on. Ended experiments stay out.
 */
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { EXPERIMENTS_TABLE, experimentKeys } from '../../contracts/tables';
import { DynamoDbExperimentStore } from '../../lambdas/experiments/adapters/dynamodb-experiment-store';
import type { ExperimentsHandlerDeps } from '../../lambdas/experiments/deps';
import { evaluateRunningExperiments } from '../../lambdas/experiments/domain/guardrails';
import { makeHandler } from '../../lambdas/experiments/handler';
import { experimentsDeps } from '../helpers/experiments-deps';
import { type HttpCall, httpCaller } from '../helpers/http-call';
import { useStandIns } from '../helpers/stand-ins';

const standIns = useStandIns({ tables: true });
let doc: DynamoDBDocumentClient;
let deps: ExperimentsHandlerDeps;
let call: HttpCall;

const store = () =>
  new DynamoDbExperimentStore({
    client: standIns.dynamoDb,
    table: EXPERIMENTS_TABLE.id,
    auditTable: 'Audit',
  });

beforeAll(() => {
  doc = DynamoDBDocumentClient.from(standIns.dynamoDb);
  deps = experimentsDeps(standIns.dynamoDb, { store: store(), versions: { exists: async () => true } });
  call = httpCaller(makeHandler(deps), { functionName: 'experiments' });
});

const definition = (name: string, modelName: string) => ({
  name,
  modelName,
  arms: [
    { name: 'control', version: 1, trafficPercent: 50 },
    { name: 'treatment', version: 2, trafficPercent: 50 },
  ],
  control: 'control',
  primaryMetric: { name: 'converted', kind: 'proportion', betterDirection: 'higher', baselineRate: 0.1 },
  minimumDetectableEffect: 0.2,
});

/** The item as a release before `bySchedule` wrote it: no `scheduled`. */
const asLegacy = (name: string) =>
  doc.send(
    new UpdateCommand({
      TableName: EXPERIMENTS_TABLE.id,
      Key: experimentKeys.experiment(name),
      UpdateExpression: 'REMOVE scheduled',
    }),
  );
const scheduledOf = async (name: string) =>
  (await doc.send(new GetCommand({ TableName: EXPERIMENTS_TABLE.id, Key: experimentKeys.experiment(name) })))
    .Item?.scheduled;

describe('the guardrail schedule and experiments older than its index', () => {
  it('finds a running experiment that lacks the attribute, once per table, and leaves ended ones out', async () => {
    // Prepare
    await call('POST', '/experiments', definition('legacy-running', 'churn'));
    await call('POST', '/experiments/legacy-running/start');
    await call('POST', '/experiments', definition('legacy-stopped', 'ranker'));
    await call('POST', '/experiments/legacy-stopped/start');
    await call('POST', '/experiments/legacy-stopped/stop', { reason: 'done' });
    await asLegacy('legacy-running');
    await asLegacy('legacy-stopped');
    const unseen = await store().listScheduled();

    // Act
    const first = await evaluateRunningExperiments(deps);
    const second = await evaluateRunningExperiments({ ...deps, store: store() });
    const backfilledAgain = await store().backfillScheduled();

    // Assess
    expect(unseen.map((e) => e.name)).toEqual([]);
    expect(first).toEqual([{ name: 'legacy-running', stopped: false }]);
    expect(second).toEqual(first);
    expect(await scheduledOf('legacy-running')).toBe('DUE');
    expect(await scheduledOf('legacy-stopped')).toBeUndefined();
    expect(backfilledAgain).toBe(0);
    const marker = await doc.send(
      new GetCommand({ TableName: EXPERIMENTS_TABLE.id, Key: experimentKeys.backfill('scheduled') }),
    );
    expect(marker.Item).toMatchObject({ backfilled: 1 });
  });
});
