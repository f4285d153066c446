/**
 * An experiment's conclusion for a model that asks for sign-off, over DynamoDB Local with the real
 * registry and rollout start: the conclusion opens the rollout's approval request and answers 202
 * with it (a keyed retry answers the same, a retry after a crash takes the open request as its
 * own), the experiment is CONCLUDED with its promotion AWAITING_APPROVAL, and the schedule starts
 * the rollout under the request's id once it is approved, or records the refusal once rejected.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DEPLOYMENTS_TABLE, deploymentKeys, IDEMPOTENCY_TABLE } from '../../contracts/tables';
import { winnerRollouts } from '../../lambdas/deployment';
import { DynamoDbDeploymentStore } from '../../lambdas/deployment/adapters/dynamodb-deployment-store';
import { type DeploymentApiDeps, startApprovedRollout } from '../../lambdas/deployment/domain/api';
import { fixedTargets } from '../../lambdas/deployment/domain/targets';
import type { ExperimentsHandlerDeps } from '../../lambdas/experiments/deps';
import { evaluateRunningExperiments } from '../../lambdas/experiments/domain/guardrails';
import { makeHandler } from '../../lambdas/experiments/handler';
import { PERMISSIVE_GOVERNANCE } from '../helpers/deployment-harness';
import { experimentsDeps } from '../helpers/experiments-deps';
import { type HttpCall, httpCaller } from '../helpers/http-call';
import { ALICE, type TestRegistry, testRegistry } from '../helpers/registry-harness';
import { expectReplyMatchesRoute } from '../helpers/route-replies';
import { useStandIns } from '../helpers/stand-ins';

const BUCKET = 'experiment-approvals';
const BOB = 'arn:aws:iam::123456789012:user/bob';
const CAROL = 'arn:aws:iam::123456789012:user/carol';
// What a model's own approval override asks besides sign-off (the policy's defaults).
const EVIDENCE = {
  modelCardUrl: 'https://example.com/card',
  securityScan: 'PASSED',
  loadTest: 'PASSED',
} as const;
const standIns = useStandIns({ tables: true, buckets: [BUCKET] });

let registry: TestRegistry;
let rollouts: DeploymentApiDeps;
let call: HttpCall;
let deps: ExperimentsHandlerDeps;
const started: string[] = [];

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

/** A model asking BOB's sign-off, two READY versions, and a running experiment between them. */
async function runningExperiment(name: string, modelName: string): Promise<void> {
  await registry.seedModel(modelName);
  for (const v of [1, 2])
    await registry.registerArtifact(modelName, Buffer.from(`${modelName} v${v}`), { governance: EVIDENCE });
  await registry.requireApproval(modelName, { approvers: [BOB] });
  expect((await call('POST', '/experiments', definition(name, modelName))).status).toBe(201);
  expect((await call('POST', '/experiments/' + name + '/start')).status).toBe(200);
}

beforeAll(() => {
  const doc = DynamoDBDocumentClient.from(standIns.dynamoDb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  registry = testRegistry({
    dynamoDb: standIns.dynamoDb,
    s3: standIns.s3,
    bucket: BUCKET,
    policy: PERMISSIVE_GOVERNANCE,
  });
  const target = {
    endpointName: 'mlops-dev-any',
    backend: 'sagemaker' as const,
    canarySteps: [10, 100],
    bakeMinutes: 0,
    alarmCheckSeconds: 60,
    alarmNames: [],
  };
  rollouts = {
    targets: fixedTargets({ credit: target, loans: target, cards: target, leases: target }),
    store: new DynamoDbDeploymentStore({
      client: doc,
      deploymentsTable: DEPLOYMENTS_TABLE.id,
      auditTable: 'Audit',
    }),
    registry,
    // Executions named by the rollout: one per name, however often started.
    executions: {
      start: async (name) => {
        if (!started.includes(name)) started.push(name);
        return `arn:exec:${name}`;
      },
      arnOf: (name) => `arn:exec:${name}`,
      describe: async (arn) =>
        started.some((n) => arn.endsWith(n)) ? { status: 'RUNNING', startDate: '' } : undefined,
    },
    now: () => new Date(),
    newId: randomUUID,
  };
  deps = experimentsDeps(standIns.dynamoDb, {
    versions: { exists: async (m, v) => (await registry.getVersion(m, v)) !== undefined },
    promoter: winnerRollouts(rollouts),
    idempotency: { tableName: IDEMPOTENCY_TABLE.id, client: standIns.dynamoDb },
  });
  call = httpCaller(makeHandler(deps), { functionName: 'experiments' });
});

describe('concluding for a model that asks for sign-off', () => {
  it('opens the rollout approval request (202, a keyed retry answers the same) and starts the rollout once approved', async () => {
    // Prepare
    await runningExperiment('credit-ab', 'credit');
    const key = { 'idempotency-key': 'conclude-credit-ab' };

    // Act
    const concluded = await call('POST', '/experiments/credit-ab/conclude', { winner: 'treatment' }, key);
    const retried = await call('POST', '/experiments/credit-ab/conclude', { winner: 'treatment' }, key);
    const whileOpen = await evaluateRunningExperiments(deps);
    const waiting = (await call('GET', '/experiments/credit-ab')).body;
    await registry.decide('credit', concluded.body.approval.id, BOB, 'approve');
    await evaluateRunningExperiments(deps);
    const promoted = (await call('GET', '/experiments/credit-ab')).body;
    // The approval's own event, delivered after the schedule started the rollout, finds it.
    const fromEvent = await startApprovedRollout(rollouts, 'credit', concluded.body.approval.id);

    // Assess
    expect(concluded.status).toBe(202);
    expectReplyMatchesRoute('ConcludeExperiment', concluded);
    const approvalId = concluded.body.approval.id;
    expect(concluded.body).toMatchObject({
      status: 'CONCLUDED',
      winner: 'treatment',
      promotion: { status: 'AWAITING_APPROVAL', approvalId, version: 2, requestedBy: ALICE },
      approval: { status: 'OPEN', version: 2, action: { kind: 'rollout', request: { version: 2 } } },
    });
    expect(retried).toEqual(concluded);
    expect(await registry.approvals('credit')).toHaveLength(1);
    expect(whileOpen).toEqual([]);
    expect(waiting.promotion.status).toBe('AWAITING_APPROVAL');
    expect(promoted).toMatchObject({
      deploymentId: approvalId,
      promotion: { status: 'STARTED', approvalId },
    });
    expect(fromEvent?.started?.deploymentId).toBe(approvalId);
    expect(started.filter((n) => n === approvalId)).toHaveLength(1);
  });

  it('takes the open request of an attempt that crashed before concluding as its own, and refuses another caller’s', async () => {
    // Prepare: the first attempt opened the request, then its conclusion never committed
    await runningExperiment('loans-ab', 'loans');
    const opened = await winnerRollouts(rollouts).requestApproval('loans', 2, ALICE);
    const asCarol = httpCaller(makeHandler(deps), { functionName: 'experiments', principalArn: CAROL });

    // Act
    const other = await asCarol('POST', '/experiments/loans-ab/conclude', { winner: 'treatment' });
    const stillRunning = (await call('GET', '/experiments/loans-ab')).body;
    const retried = await call('POST', '/experiments/loans-ab/conclude', { winner: 'treatment' });

    // Assess
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('APPROVAL_PENDING');
    expect(stillRunning.status).toBe('RUNNING');
    expect(retried.status).toBe(202);
    expect(retried.body.approval.id).toBe(opened?.id);
    expect(retried.body.promotion).toMatchObject({ status: 'AWAITING_APPROVAL', approvalId: opened?.id });
    expect(await registry.approvals('loans')).toHaveLength(1);
  });

  it('records the refusal once the request is rejected, and starts nothing', async () => {
    // Prepare
    await runningExperiment('cards-ab', 'cards');
    const concluded = await call('POST', '/experiments/cards-ab/conclude', { winner: 'treatment' });

    // Act
    await registry.decide('cards', concluded.body.approval.id, BOB, 'reject');
    await evaluateRunningExperiments(deps);
    const refused = (await call('GET', '/experiments/cards-ab')).body;

    // Assess
    expect(refused).toMatchObject({ status: 'CONCLUDED', promotion: { status: 'REFUSED' } });
    expect(refused.promotion.reason).toContain('REJECTED');
    expect(refused.deploymentId).toBeUndefined();
    expect(started).not.toContain(concluded.body.approval.id);
  });
});

describe('an approved rollout', () => {
  it('started by two racing deliveries of its approval starts once, and the loser leaves the winner its lock and record', async () => {
    // Prepare: an approved rollout request, not yet started
    await registry.seedModel('leases');
    for (const v of [1, 2])
      await registry.registerArtifact('leases', Buffer.from(`leases v${v}`), { governance: EVIDENCE });
    await registry.requireApproval('leases', { approvers: [BOB] });
    const opened = await winnerRollouts(rollouts).requestApproval('leases', 2, ALICE);
    if (!opened) throw new Error('no approval request opened');
    await registry.decide('leases', opened.id, BOB, 'approve');

    // Act: the approval's event delivered twice at once
    const outcomes = await Promise.all([
      startApprovedRollout(rollouts, 'leases', opened.id),
      startApprovedRollout(rollouts, 'leases', opened.id),
    ]);

    // Assess
    expect(outcomes.map((o) => o?.started?.deploymentId)).toEqual([opened.id, opened.id]);
    expect(started.filter((n) => n === opened.id)).toHaveLength(1);
    const deployment = await rollouts.store.getDeployment('leases', opened.id);
    expect(deployment?.status).toBe('RUNNING');
    const lock = await standIns.dynamoDb.send(
      new GetCommand({
        TableName: DEPLOYMENTS_TABLE.id,
        Key: deploymentKeys.lock('leases'),
        ConsistentRead: true,
      }),
    );
    expect(lock.Item?.deploymentId).toBe(opened.id);
  });
});
