/**
 * Every branch of the retraining state machine, executed locally from the SYNTHESIZED platform
 * template: data invalid, training failed after retries, not improved, governance refused, canary
 * promoted, canary rolled back, duplicate trigger suppressed. Tasks run the real task Lambda over
 * DynamoDB Local and s3rver; training runs the reference trainer as a subprocess; the canary is
 * the template's deployment state machine as a nested execution over the FakeSageMaker port.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { marshall } from '@aws-sdk/util-dynamodb';
import { MONITORING_EVENT_SOURCE, MonitoringEvent } from '../../contracts/events';
import { EXECUTION_STATUS_CHANGE, RetrainingState } from '../../contracts/pipeline';
import { CHAMPION_ALIAS } from '../../contracts/registry';
import { endpointName, sagemakerModelName } from '../../contracts/serving';
import { pipelineTableKeys } from '../../contracts/tables';
import { stepFunctionsTaskTokens } from '../../lambdas/pipeline/adapters/step-functions-task-tokens';
import { APPROVAL_WAIT_GRACE_SECONDS } from '../../lambdas/pipeline/domain/approval-tasks';
import type { RunState } from '../../lambdas/pipeline/domain/state';
import { onApprovalClosed } from '../../lambdas/pipeline/handler';
import { LocalStepFunctions } from '../../local/state-machines/server';
import {
  breastCancerCsv,
  type PipelineHarness,
  platformContext,
  startPipelineHarness,
} from '../helpers/pipeline-harness';
import { useStandIns } from '../helpers/stand-ins';

const BUCKET = 'mlops-artifacts';
const EVIDENCE = {
  modelCardUrl: 'https://example.com/cards/retrained',
  securityScan: 'PASSED',
  loadTest: 'PASSED',
  // The fixture has no sensitive attribute to measure it on the holdout: declared evidence.
  demographicParityDifference: 0.03,
} as const;
const data = (model: string) => ({ uri: `s3://${BUCKET}/data/${model}.csv`, label: 'target' });
const retraining = [
  { modelName: 'invalid', trainingData: data('invalid'), governance: EVIDENCE },
  {
    modelName: 'failing',
    trainingData: data('failing'),
    governance: EVIDENCE,
    // The trainer refuses l2 <= 0: a real failed job, three times.
    training: { hyperparameters: { l2: -1 } },
  },
  {
    modelName: 'stale',
    trainingData: data('stale'),
    governance: EVIDENCE,
    primaryMetric: { name: 'accuracy', margin: 0.2 },
  },
  // No model card, scans or load test: governance refuses Production.
  { modelName: 'unfair', trainingData: data('unfair') },
  { modelName: 'promote', trainingData: data('promote'), governance: EVIDENCE },
  { modelName: 'rollback', trainingData: data('rollback'), governance: EVIDENCE },
  { modelName: 'dupe', trainingData: data('dupe'), governance: EVIDENCE, cooldownMinutes: 60 },
  { modelName: 'stopped', trainingData: data('stopped'), governance: EVIDENCE },
  // Models that ask for sign-off: approved, rejected, left to expire.
  { modelName: 'signed', trainingData: data('signed'), governance: EVIDENCE },
  { modelName: 'refused', trainingData: data('refused'), governance: EVIDENCE },
  { modelName: 'lapsed', trainingData: data('lapsed'), governance: EVIDENCE },
  { modelName: 'overdue', trainingData: data('overdue'), governance: EVIDENCE },
];
const SIGNED = ['signed', 'refused', 'lapsed', 'overdue'];
const context = platformContext({
  'mlops:endpoints': retraining.map((r) => ({
    modelName: r.modelName,
    canarySteps: [50, 100],
    bakeMinutes: 1,
  })),
  'mlops:retraining': retraining,
});

const standIns = useStandIns({ tables: true, buckets: [BUCKET] });
const BOB = 'arn:aws:iam::123456789012:user/bob';
let h: PipelineHarness;
let sfn: LocalStepFunctions | undefined;
let sfnClient: SFNClient | undefined;

beforeAll(async () => {
  h = await startPipelineHarness({ context, dynamoDb: standIns.dynamoDb, s3: standIns.s3, bucket: BUCKET });
  for (const model of ['failing', 'stale', 'unfair', 'promote', 'rollback', 'stopped']) {
    await h.putCsv(`data/${model}.csv`, breastCancerCsv());
  }
  // 30 rows: under the default minimum of 100.
  await h.putCsv('data/invalid.csv', breastCancerCsv(30));
  await h.putCsv('data/dupe.csv', breastCancerCsv(30));
  // A strong champion (all rows) for 'stale'; a weak one (20 rows, heavy L2) for the canaries.
  await h.seedChampion('stale', breastCancerCsv());
  await h.seedChampion('promote', breastCancerCsv(20), { l2: '100' });
  await h.seedChampion('rollback', breastCancerCsv(20), { l2: '100' });
  // In the registry, with no version yet: nothing to beat, so governance decides.
  await h.seedModel('unfair');
  for (const model of SIGNED) {
    await h.putCsv(`data/${model}.csv`, breastCancerCsv());
    await h.seedChampion(model, breastCancerCsv(20), { l2: '100' });
    await h.registry.requireApproval(model, { approvers: [BOB], quorum: 1 });
  }
  // The task tokens are answered through the local Step Functions API, as the relay does on AWS.
  sfn = new LocalStepFunctions(h.template, () => Promise.reject(new Error('no function here')));
  sfnClient = new SFNClient({
    endpoint: await sfn.listen(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
}, 240_000);

afterAll(async () => {
  sfnClient?.destroy();
  await sfn?.close();
  await h?.close();
});

const manual = (modelName: string) => ({ modelName, reason: 'manual', requestedBy: 'alice' });
const drift = (modelName: string, reportId: string) => ({
  id: `evt-${reportId}`,
  source: MONITORING_EVENT_SOURCE,
  'detail-type': MonitoringEvent.DRIFT_DETECTED,
  time: new Date().toISOString(),
  detail: { modelName, reportId },
});
/** Runs to the end; a Fail state's error is returned, not thrown, so each test reads the record. */
const run = (input: unknown, name: string) => h.run(input, name).catch((err: Error) => err);
/** The error a Fail state ended an execution with (its name is the outcome). */
const failure = (out: unknown) => (out as { cause?: Error }).cause;
const runRecord = (model: string, runId: string) => h.deps.store.getRun(model, runId);
const audit = async (model: string) => h.registry.auditActions(model);

describe('retraining state machine (synthesized definition, local executor)', () => {
  it('ends DataInvalid with the failed checks, writing no channels and releasing the lock', async () => {
    // Act
    const out = await run(manual('invalid'), 'run-invalid-1');
    // Assess
    expect(failure(out)).toMatchObject({
      name: 'DataInvalid',
      message: 'the window has 30 rows; at least 100 are required',
    });
    const channels = await standIns.s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'pipeline/runs/invalid/' }),
    );
    expect(channels.Contents ?? []).toEqual([]);
    const record = await runRecord('invalid', 'run-invalid-1');
    expect(record).toMatchObject({ status: 'FAILED', outcome: 'DataInvalid' });
    expect(record?.reason).toMatch(/30 rows/);
    expect(h.trainingJobs.filter((j) => j.includes('invalid'))).toEqual([]);
    expect(await audit('invalid')).toEqual(['RetrainingStarted', 'RetrainingFinished']);
    // The lock is free: the next manual run is admitted (and fails validation again).
    const again = await run(manual('invalid'), 'run-invalid-2');
    expect(await runRecord('invalid', 'run-invalid-2')).toMatchObject({ outcome: 'DataInvalid' });
    expect(failure(again)?.name).toBe('DataInvalid');
  });

  it('ends TrainingFailed after the configured retries, a new job name per attempt', async () => {
    // Act
    const out = await run(manual('failing'), 'run-failing-1');
    // Assess: 1 attempt + 2 retries, each a distinct SageMaker job name
    expect(failure(out)?.name).toBe('TrainingFailed');
    const jobs = h.trainingJobs.filter((j) => j.startsWith('mlops-dev-t-failing-'));
    expect(jobs).toHaveLength(3);
    expect(new Set(jobs).size).toBe(3);
    for (const job of jobs) expect(job).toMatch(/^mlops-dev-t-failing-runfailing1-[0-9a-f]{8}$/);
    const record = await runRecord('failing', 'run-failing-1');
    expect(record).toMatchObject({ status: 'FAILED', outcome: 'TrainingFailed' });
    expect(record?.reason).toMatch(/l2 must be > 0/);
  });

  it('ends NotImproved when the challenger does not beat the champion by the margin; nothing registered', async () => {
    // Act
    const out = (await run(manual('stale'), 'run-stale-1')) as Awaited<ReturnType<PipelineHarness['run']>>;
    // Assess
    expect(out.outcome).toMatchObject({ outcome: 'NotImproved' });
    expect(out.evaluation?.championVersion).toBe(1);
    expect(out.evaluation?.champion?.accuracy).toBeGreaterThan(0.9);
    const record = await runRecord('stale', 'run-stale-1');
    expect(record).toMatchObject({ status: 'SUCCEEDED', outcome: 'NotImproved', championVersion: 1 });
    expect((await h.registry.getModel('stale'))?.latestVersion).toBe(1);
  });

  it('ends GovernanceRefused when the challenger lacks the evidence Production needs; nothing registered', async () => {
    // Act
    const out = (await run(manual('unfair'), 'run-unfair-1')) as Awaited<ReturnType<PipelineHarness['run']>>;
    // Assess
    expect(out.outcome?.outcome).toBe('GovernanceRefused');
    expect(out.outcome?.reason).toMatch(/model card/i);
    expect(out.registration).toBeUndefined();
    expect(await runRecord('unfair', 'run-unfair-1')).toMatchObject({ outcome: 'GovernanceRefused' });
  });

  it('registers, canaries and promotes a better challenger: v2 is champion and in Production', async () => {
    // Act
    const out = (await run(drift('promote', 'report-p1'), 'run-promote-1')) as Awaited<
      ReturnType<PipelineHarness['run']>
    >;
    // Assess
    expect(out.outcome).toMatchObject({ outcome: 'Promoted' });
    expect(out.canary?.result?.status).toBe('PROMOTED');
    expect(out.registration?.version).toBe(2);
    const v2 = await h.registry.getVersion('promote', 2);
    expect(v2).toMatchObject({ status: 'READY', stage: 'Production' });
    expect(v2?.lineage).toMatchObject({ trainingRunId: 'run-promote-1', parentVersion: 1 });
    expect(v2?.lineage.datasetSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(v2?.tags['mlops:referenceProfile']).toMatch(/^s3:\/\//);
    expect(await h.registry.aliasVersion('promote', CHAMPION_ALIAS)).toBe(2);
    expect(h.sagemaker.variantModels(endpointName('dev', 'promote')).champion).toBe(
      sagemakerModelName(endpointName('dev', 'promote'), 2),
    );
    expect(await runRecord('promote', 'run-promote-1')).toMatchObject({
      status: 'SUCCEEDED',
      outcome: 'Promoted',
      registeredVersion: 2,
      trigger: { reason: 'drift' },
    });
    expect(await audit('promote')).toEqual(
      expect.arrayContaining([
        'RetrainingStarted',
        'ChallengerRegistered',
        'DeploymentPromoted',
        'RetrainingFinished',
      ]),
    );
  });

  it('rolls back a challenger whose canary fails: v1 stays champion', async () => {
    // Prepare: the challenger's container never passes its health check
    h.sagemaker.failingModels.add(sagemakerModelName(endpointName('dev', 'rollback'), 2));
    // Act
    const out = (await run(manual('rollback'), 'run-rollback-1')) as Awaited<
      ReturnType<PipelineHarness['run']>
    >;
    // Assess
    expect(out.outcome?.outcome).toBe('RolledBack');
    expect(out.outcome?.reason).toMatch(/version 2 rolled back: .*health check/);
    expect(await h.registry.aliasVersion('rollback', CHAMPION_ALIAS)).toBe(1);
    expect(h.sagemaker.variantModels(endpointName('dev', 'rollback')).champion).toBe(
      sagemakerModelName(endpointName('dev', 'rollback'), 1),
    );
    expect(await runRecord('rollback', 'run-rollback-1')).toMatchObject({
      outcome: 'RolledBack',
      registeredVersion: 2,
    });
  });

  it('suppresses a redelivered trigger (dedup) and another incident in the cool-down', async () => {
    // Prepare: the first drift report starts a run (which ends DataInvalid and frees the lock)
    await run(drift('dupe', 'report-d1'), 'run-dupe-1');
    expect(await runRecord('dupe', 'run-dupe-1')).toMatchObject({ outcome: 'DataInvalid' });
    // Act
    const redelivered = (await run(drift('dupe', 'report-d1'), 'run-dupe-2')) as Awaited<
      ReturnType<PipelineHarness['run']>
    >;
    const cooling = (await run(drift('dupe', 'report-d2'), 'run-dupe-3')) as Awaited<
      ReturnType<PipelineHarness['run']>
    >;
    // Assess
    expect(redelivered.gate).toEqual({
      admitted: false,
      reason: 'trigger dupe#drift#report-d1 was already handled',
    });
    expect(cooling.gate?.reason).toBe('drift retraining of dupe is cooling down');
    expect(await runRecord('dupe', 'run-dupe-2')).toMatchObject({
      status: 'SUCCEEDED',
      outcome: 'Suppressed',
    });
    expect((await audit('dupe')).filter((a) => a === 'RetrainingSuppressed')).toHaveLength(2);
    expect(h.trainingJobs.filter((j) => j.includes('dupe'))).toEqual([]);
  });
});

describe('safe stop (Step Functions status change events to the task function)', () => {
  const statusChange = (name: string, input: unknown, status: string) => ({
    version: '0',
    id: `evt-${name}-${status}`,
    'detail-type': EXECUTION_STATUS_CHANGE,
    source: 'aws.states',
    time: new Date().toISOString(),
    detail: {
      executionArn: `${h.pipeline.arn.replace(':stateMachine:', ':execution:')}:${name}`,
      stateMachineArn: h.pipeline.arn,
      name,
      status,
      input: JSON.stringify(input),
      error: null,
      cause: null,
    },
  });

  it('finishes an aborted run as Stopped and releases the lock; a redelivered event changes nothing', async () => {
    // Prepare: an execution stopped while its training job runs
    const input = manual('stopped');
    let reached!: () => void;
    let stopJob!: (err: Error) => void;
    let stopped = false;
    const training = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const execution = h.pipeline.start(input, {
      executionName: 'run-stopped-1',
      waitMs: 0,
      taskOverrides: {
        ...h.overrides,
        // A job that runs until the execution is stopped (.sync stops the training job).
        TrainChallenger: () => {
          // The executor retries the stopped attempt; later attempts are refused at once.
          if (stopped) return Promise.reject(new Error('StopTrainingJob'));
          reached();
          return new Promise((_, reject) => {
            stopJob = reject;
          });
        },
      },
    });
    await training;
    execution.abort();
    stopped = true;
    // Settle the task too: aws-local-stepfunctions clears its execution timer only then.
    stopJob(new Error('StopTrainingJob'));
    await execution.result.catch(() => undefined);
    expect(await runRecord('stopped', 'run-stopped-1')).toMatchObject({ status: 'RUNNING' });
    // Act
    const first = await h.invokeTasks(statusChange('run-stopped-1', input, 'ABORTED'));
    const again = await h.invokeTasks(statusChange('run-stopped-1', input, 'ABORTED'));
    // Assess
    expect(first).toEqual({ recorded: true, modelName: 'stopped', runId: 'run-stopped-1' });
    expect(again).toMatchObject({ recorded: false, why: 'run run-stopped-1 already ended Stopped' });
    expect(await runRecord('stopped', 'run-stopped-1')).toMatchObject({
      status: 'FAILED',
      outcome: 'Stopped',
      reason: 'execution ABORTED',
    });
    const lock = await standIns.dynamoDb.send(
      new GetItemCommand({ TableName: 'Pipeline', Key: marshall(pipelineTableKeys.lock('stopped')) }),
    );
    expect(lock.Item).toBeUndefined();
    expect((await audit('stopped')).filter((a) => a === 'RetrainingFinished')).toHaveLength(1);
  });

  it('leaves a run that ended in a Fail state after its Finish task alone', async () => {
    // Prepare: DataInvalid ends the execution FAILED, which Step Functions reports too
    await run(manual('invalid'), 'run-invalid-stop');
    // Act
    const out = await h.invokeTasks(statusChange('run-invalid-stop', manual('invalid'), 'FAILED'));
    // Assess
    expect(out).toEqual({ recorded: false, why: 'run run-invalid-stop already ended DataInvalid' });
    expect(await runRecord('invalid', 'run-invalid-stop')).toMatchObject({ outcome: 'DataInvalid' });
  });
});

describe('retraining of a model that asks for sign-off (task token, local Step Functions API)', () => {
  type Out = Awaited<ReturnType<PipelineHarness['run']>>;
  /** Starts a run and resolves with the request it waits on, once its task opened it. */
  const startWaiting = async (model: string, runId: string) => {
    const execution = h.pipeline.start(manual(model), {
      executionName: runId,
      waitMs: 0,
      taskOverrides: h.overrides,
    });
    let ended: unknown;
    const result = execution.result.catch((err: Error) => err) as Promise<Out | Error>;
    void result.then((out) => {
      ended = out;
    });
    for (let i = 0; i < 1200 && ended === undefined; i++) {
      const record = await runRecord(model, runId);
      const [open] = (await h.registry.approvals(model)).filter((a) => a.status === 'OPEN');
      if (record?.phase === 'AWAITING_APPROVAL' && open) return { result, approval: open };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `${runId} never waited for approval: ${JSON.stringify((ended as Out)?.outcome ?? ended)}`,
    );
  };
  /** What the rule delivers: the closing audit record as its event. */
  const closedEvent = async (model: string, approvalId: string, action: string) => {
    const record = (await h.registry.audit(model)).find(
      (a) => a.action === action && (a.after as { approvalId?: string }).approvalId === approvalId,
    );
    return { 'detail-type': action, detail: record } as never;
  };
  const relay = (event: never) => onApprovalClosed(h.registry, stepFunctionsTaskTokens(sfnClient!), event);

  it('waits on the request, then canaries and promotes with the approval once it is granted', async () => {
    // Act
    const { result, approval } = await startWaiting('signed', 'run-signed-1');
    await h.registry.decide('signed', approval.id, BOB, 'approve');
    const event = await closedEvent('signed', approval.id, 'ApprovalDecided');
    const relayed = await relay(event);
    const redelivered = await relay(event);
    const out = (await result) as Out;
    // Assess
    expect(approval).toMatchObject({ version: 2, requestedBy: 'alice', action: { kind: 'promotion' } });
    expect([relayed, redelivered]).toEqual([{ relayed: 'SUCCEEDED' }, { relayed: 'SUCCEEDED' }]);
    expect(out.outcome).toMatchObject({ outcome: 'Promoted' });
    expect(out.canary?.input.approvalId).toBe(approval.id);
    // The wait may outlast the request's expiry (72 hours by default) by the grace only.
    expect(out.approval).toEqual({ required: true, timeoutSeconds: 72 * 3600 + APPROVAL_WAIT_GRACE_SECONDS });
    expect(await h.registry.getVersion('signed', 2)).toMatchObject({ stage: 'Production' });
    expect(await h.registry.aliasVersion('signed', CHAMPION_ALIAS)).toBe(2);
    expect(await runRecord('signed', 'run-signed-1')).toMatchObject({
      status: 'SUCCEEDED',
      outcome: 'Promoted',
    });
  }, 240_000);

  it.each([
    ['rejected', 'refused', 'ApprovalDecided', /ApprovalRejected: rejected by/],
    ['expired', 'lapsed', 'ApprovalExpired', /ApprovalExpired: no quorum of 1/],
  ])(
    'ends NotApproved, cleanly and with no canary, when the request is %s',
    async (_, model, action, reason) => {
      // Act
      const { result, approval } = await startWaiting(model, `run-${model}-1`);
      if (action === 'ApprovalExpired')
        await h.registry.expireDue(new Date(Date.parse(approval.expiresAt) + 1));
      else await h.registry.decide(model, approval.id, BOB, 'reject');
      const relayed = await relay(await closedEvent(model, approval.id, action));
      const out = (await result) as Out;
      // Assess: a Succeed state, not a failure; v2 registered but never canaried nor promoted
      expect(relayed).toEqual({ relayed: 'FAILED' });
      expect(out).not.toBeInstanceOf(Error);
      expect(out.outcome?.outcome).toBe('NotApproved');
      expect(out.outcome?.reason).toMatch(reason);
      expect(out.canary?.result).toBeUndefined();
      expect(await h.registry.getVersion(model, 2)).toMatchObject({ stage: 'None' });
      expect(await h.registry.aliasVersion(model, CHAMPION_ALIAS)).toBe(1);
      expect(await runRecord(model, `run-${model}-1`)).toMatchObject({
        status: 'SUCCEEDED',
        outcome: 'NotApproved',
      });
    },
    240_000,
  );

  it('ends NotApproved through its own catch when the wait outlasts its timeout, the request left to the sweep', async () => {
    // Prepare: the wait's timeout, which the policy's expiry sets to hours, cut to 2 seconds
    const register = async (input: unknown) => {
      const state = (await h.invokeTasks(input)) as RunState;
      return { ...state, approval: { required: true, timeoutSeconds: 2 } };
    };
    // Act
    const out = (await h.pipeline
      .run(manual('overdue'), {
        executionName: 'run-overdue-1',
        waitMs: 0,
        taskOverrides: { ...h.overrides, [RetrainingState.REGISTER]: register },
      })
      .catch((err: Error) => err)) as Out;
    const [open] = await h.registry.approvals('overdue');
    await h.registry.expireDue(new Date(Date.parse(open.expiresAt) + 1));
    const lateAnswer = await relay(await closedEvent('overdue', open.id, 'ApprovalExpired'));
    // Assess: a Succeed state, not a failure; the token answered late is refused and tolerated
    expect(out).not.toBeInstanceOf(Error);
    expect(out.outcome).toMatchObject({
      outcome: 'NotApproved',
      reason: expect.stringMatching(/States\.Timeout: AwaitApproval ran longer than its 2 s timeout/),
    });
    expect(out.canary?.result).toBeUndefined();
    expect(open.status).toBe('OPEN');
    expect(lateAnswer).toEqual({ relayed: 'FAILED' });
    expect(await h.registry.getVersion('overdue', 2)).toMatchObject({ stage: 'None' });
    expect(await runRecord('overdue', 'run-overdue-1')).toMatchObject({
      status: 'SUCCEEDED',
      outcome: 'NotApproved',
    });
  }, 240_000);
});
