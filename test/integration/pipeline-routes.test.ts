/**
 * The retraining routes against DynamoDB Local and s3rver, events built by the same code and
 * route matching as the local API server: a run started over HTTP executes the synthesized state
 * machine (local executor) and is then read back; concurrent starts for one model run once. The
 * stop route (its StopExecution through the local Step Functions API) refuses finished and unknown
 * runs, over HTTP and by `mlops pipeline stop` through a plain HTTP bridge to the same routes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { EXECUTION_STATUS_CHANGE, type RetrainingRun } from '../../contracts/pipeline';
import { IDEMPOTENCY_TABLE } from '../../contracts/tables';
import { stepFunctionsRunStopper } from '../../lambdas/pipeline/adapters/step-functions-run-stopper';
import { executionArnOf, makeHandler } from '../../lambdas/pipeline/handler';
import { documentClient } from '../../lambdas/shared/clients';
import { commitEffect } from '../../lambdas/shared/idempotent-effect';
import { LocalStepFunctions } from '../../local/state-machines/server';
import { runCli } from '../helpers/cli-process';
import { ALICE, type HttpCall, httpCaller } from '../helpers/http-call';
import { crashLeftRequestsInProgress } from '../helpers/idempotency-records';
import {
  breastCancerCsv,
  type PipelineHarness,
  platformContext,
  startPipelineHarness,
} from '../helpers/pipeline-harness';
import { expectReplyMatchesRoute } from '../helpers/route-replies';
import { useStandIns } from '../helpers/stand-ins';

const BUCKET = 'mlops-artifacts';
const retraining = [
  { modelName: 'small', trainingData: { uri: `s3://${BUCKET}/data/small.csv`, label: 'target' } },
  { modelName: 'busy', trainingData: { uri: `s3://${BUCKET}/data/busy.csv`, label: 'target' } },
];
const context = platformContext({
  'mlops:endpoints': retraining.map((r) => ({ modelName: r.modelName })),
  'mlops:retraining': retraining,
});

const standIns = useStandIns({ tables: true, buckets: [BUCKET] });
let h: PipelineHarness;
let call: HttpCall;
/** The route with Idempotency-Key support, as the deployed function has it. */
let keyedCall: HttpCall;
/** Executions the keyed route started, by name, with Step Functions' one-execution-per-name rule. */
const keyedStarts = new Map<string, string>();
const executions: Array<Promise<unknown>> = [];
/** Holds training of the admitted 'busy' run until the test lets it fail. */
let releaseTraining: () => void = () => undefined;
/** The local Step Functions API over the synthesized template, and a client of it. */
let sfn: LocalStepFunctions;
let sfnClient: SFNClient;
/** The routes with StopExecution through the local Step Functions API. */
let stopCall: HttpCall;
/** Plain HTTP in front of `stopCall`, for the CLI. */
let bridge: Server;
let bridgeUrl: string;
const statusChanges: Array<Promise<unknown>> = [];

beforeAll(async () => {
  h = await startPipelineHarness({ context, dynamoDb: standIns.dynamoDb, s3: standIns.s3, bucket: BUCKET });
  await h.putCsv('data/small.csv', breastCancerCsv(30));
  await h.putCsv('data/busy.csv', breastCancerCsv());
  await startStopRoutes();
  const held = new Promise<void>((resolve) => {
    releaseTraining = resolve;
  });
  const handler = makeHandler({
    store: h.deps.store,
    // The template's parameters, read through the local Parameter Store as the route function does.
    configs: h.deps.configs,
    // StartExecution of the synthesized state machine, run by the local executor.
    startExecution: async (name, input) => {
      const run = h.pipeline.start(input, {
        executionName: name,
        waitMs: 0,
        taskOverrides: {
          ...h.overrides,
          // Task override (not the trainer): holds the job, then fails it, to keep the lock taken.
          TrainChallenger: async () => {
            await held;
            throw new Error('held job released');
          },
        },
      });
      executions.push(run.result.catch(() => undefined));
      return `${h.pipeline.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    },
    executions: stepFunctionsRunStopper(sfnClient),
    executionArnOf: (runId) => executionArnOf(h.pipeline.arn, runId),
    newId: (() => {
      let n = 0;
      return () => `run-${++n}`;
    })(),
    now: () => new Date(),
  });
  call = httpCaller(handler, { functionName: 'pipeline' });
  keyedCall = httpCaller(
    makeHandler({
      store: h.deps.store,
      configs: h.deps.configs,
      // As StartExecution answers: one execution per name, its ARN made from the name.
      startExecution: async (name, input) => {
        if (!keyedStarts.has(name)) keyedStarts.set(name, JSON.stringify(input));
        return `${h.pipeline.arn.replace(':stateMachine:', ':execution:')}:${name}`;
      },
      executions: stepFunctionsRunStopper(sfnClient),
      executionArnOf: (runId) => executionArnOf(h.pipeline.arn, runId),
      newId: () => 'unkeyed',
      now: () => new Date(),
      idempotency: { tableName: IDEMPOTENCY_TABLE.id, client: standIns.dynamoDb },
      commitAnswer: () => commitEffect(documentClient()),
    }),
    { functionName: 'pipeline' },
  );
}, 120_000);

afterAll(async () => {
  releaseTraining();
  await Promise.all(executions);
  await sfn?.settled();
  await Promise.all(statusChanges);
  await new Promise((resolve) => bridge?.close(resolve));
  sfnClient?.destroy();
  await sfn?.close();
  await h?.close();
});

/**
 * The local Step Functions API runs the template's state machines and delivers each execution's
 * end to the task function as EventBridge would.
 */
async function startStopRoutes(): Promise<void> {
  // Up to training only the task function runs (the rollout's functions are never reached).
  sfn = new LocalStepFunctions(h.template, (_id, payload) => h.invokeTasks(payload), {
    runOptions: { waitMs: 0, taskOverrides: h.overrides },
    onExecutionEnded: (e) => {
      statusChanges.push(
        h.invokeTasks({
          version: '0',
          id: `evt-${e.name}-${e.status}`,
          'detail-type': EXECUTION_STATUS_CHANGE,
          source: 'aws.states',
          time: new Date().toISOString(),
          detail: e,
        }),
      );
    },
  });
  sfnClient = new SFNClient({
    endpoint: await sfn.listen(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  stopCall = httpCaller(
    makeHandler({
      store: h.deps.store,
      configs: h.deps.configs,
      startExecution: async (name, input) =>
        (
          await sfnClient.send(
            new StartExecutionCommand({
              stateMachineArn: h.pipeline.arn,
              name,
              input: JSON.stringify(input),
            }),
          )
        ).executionArn!,
      executions: stepFunctionsRunStopper(sfnClient),
      executionArnOf: (runId) => executionArnOf(h.pipeline.arn, runId),
      newId: (() => {
        let n = 0;
        return () => `stop-${++n}`;
      })(),
      now: () => new Date(),
    }),
    { functionName: 'pipeline' },
  );
  bridge = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const text = Buffer.concat(chunks).toString();
      const out = await stopCall(req.method!, req.url!, text || undefined);
      res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => bridge.listen(0, '127.0.0.1', resolve));
  bridgeUrl = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}`;
}

/** `mlops -o json <args>` against the bridge, as a user runs it. */
const mlops = (...args: string[]) =>
  runCli(bridgeUrl, { accessKeyId: 'AKIATEST', secretAccessKey: 'test' }, ['-o', 'json', ...args]);

describe('retraining routes', () => {
  it('starts a run (202), which the state machine finishes; the run is listed and read back', async () => {
    // Act
    const started = await call('POST', '/models/small/retraining-runs', { note: 'weekly check' });
    await Promise.all(executions);
    const list = await call('GET', '/models/small/retraining-runs?limit=10');
    const one = await call('GET', `/models/small/retraining-runs/${started.body.runId}`);
    // Assess
    expect(started).toMatchObject({
      status: 202,
      body: { runId: 'run-1', modelName: 'small', status: 'STARTING' },
    });
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: RetrainingRun) => r.runId)).toEqual(['run-1']);
    expectReplyMatchesRoute('StartRetrainingRun', started);
    expectReplyMatchesRoute('ListRetrainingRuns', list);
    expectReplyMatchesRoute('GetRetrainingRun', one);
    expect(one).toMatchObject({
      status: 200,
      body: {
        runId: 'run-1',
        status: 'FAILED',
        outcome: 'DataInvalid',
        trigger: { reason: 'manual', requestedBy: ALICE },
      },
    });
  });

  it('runs concurrent starts for one model once: the other run is Suppressed by the lock', async () => {
    // Act
    const [a, b] = await Promise.all([
      call('POST', '/models/busy/retraining-runs', {}),
      call('POST', '/models/busy/retraining-runs', {}),
    ]);
    // Wait until one run is suppressed (its execution ends at once), then let the other fail.
    const suppressed = await waitFor(async () =>
      (await call('GET', '/models/busy/retraining-runs')).body.items.find(
        (r: RetrainingRun) => r.outcome === 'Suppressed',
      ),
    );
    releaseTraining();
    await Promise.all(executions);
    // Assess
    expect([a.status, b.status]).toEqual([202, 202]);
    const runs = (await call('GET', '/models/busy/retraining-runs')).body.items as RetrainingRun[];
    expect(runs.map((r) => r.outcome).sort()).toEqual(['Suppressed', 'TrainingFailed']);
    const admitted = runs.find((r) => r.outcome === 'TrainingFailed')!;
    expect(suppressed.reason).toBe(`run ${admitted.runId} is in progress for busy`);
    // The suppression is a run too, in the shape the document declares.
    expectReplyMatchesRoute(
      'GetRetrainingRun',
      await call('GET', `/models/busy/retraining-runs/${suppressed.runId}`),
    );
  });

  it('starts a keyed run once however retried, after a crash too, and refuses the key with another body', async () => {
    // Prepare
    const key = { 'idempotency-key': 'retrain-1' };
    const first = await keyedCall('POST', '/models/small/retraining-runs', { note: 'keyed' }, key);
    // Act
    const again = await keyedCall('POST', '/models/small/retraining-runs', { note: 'keyed' }, key);
    await crashLeftRequestsInProgress(standIns.dynamoDb);
    const afterCrash = await keyedCall('POST', '/models/small/retraining-runs', { note: 'keyed' }, key);
    const other = await keyedCall('POST', '/models/small/retraining-runs', { note: 'another' }, key);
    // Assess: one run, named from the key, answered the same each time
    expect(first.status).toBe(202);
    expect(first.body.runId).not.toBe('unkeyed');
    expect(again).toEqual(first);
    expect(afterCrash).toEqual(first);
    expect([...keyedStarts.keys()]).toEqual([first.body.runId]);
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
  });

  it.each([
    ['an unconfigured model', 'POST', '/models/other/retraining-runs', {}, 404, 'RETRAINING_NOT_CONFIGURED'],
    ['an unknown field', 'POST', '/models/small/retraining-runs', { force: true }, 400, 'INVALID_REQUEST'],
    ['an unknown run', 'GET', '/models/small/retraining-runs/run-404', undefined, 404, 'RUN_NOT_FOUND'],
    ['a malformed run id', 'GET', '/models/small/retraining-runs/run_%21', undefined, 400, 'INVALID_REQUEST'],
    ['a bad limit', 'GET', '/models/small/retraining-runs?limit=0', undefined, 400, 'INVALID_REQUEST'],
  ])('refuses %s with a 4xx and writes nothing', async (_what, method, path, body, status, code) => {
    // Act
    const out = await call(method, path, body);
    // Assess
    expect(out).toMatchObject({ status, body: { error: { code } } });
    expect((await call('GET', '/models/other/retraining-runs')).body.items).toEqual([]);
  });
});

describe('stopping a retraining run', () => {
  it('refuses to stop a run that finished otherwise (409), and an unknown run (404), over HTTP and the CLI', async () => {
    // Prepare: run-1 of 'small' ended DataInvalid (the first test above)
    await Promise.all(executions);
    // Act
    const finished = await stopCall('POST', '/models/small/retraining-runs/run-1/stop');
    const unknown = await stopCall('POST', '/models/small/retraining-runs/run-404/stop');
    const cli = await mlops('pipeline', 'stop', 'small', 'run-1');
    // Assess
    expect(finished).toMatchObject({ status: 409, body: { error: { code: 'RETRAINING_RUN_FINISHED' } } });
    expect(finished.body.error.message).toBe(
      'run run-1 already ended DataInvalid; only a running run can be stopped',
    );
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'RUN_NOT_FOUND' } } });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('RETRAINING_RUN_FINISHED, HTTP 409');
    expect((await h.registry.audit('small')).map((a) => a.action)).not.toContain('RetrainingStopRequested');
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const found = await probe();
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
