/**
 * The retraining safe stop on the local platform (the same `startLocalPlatform` as `npm start`, in
 * process): a manual run is stopped with StopExecution on the local Step Functions API while its
 * training job runs; Step Functions' status change event reaches the template's safe-stop rule on
 * the local bus, whose task function finishes the run `Stopped` with the execution's error and
 * releases the model's lock, so the next run is admitted; the outbox publishes
 * `RetrainingFinished` with outcome `Stopped`. A second run is stopped through the platform's stop
 * route, which ends it the same way, with a cause naming the caller. The trainer is held at its start through its
 * environment (`test/helpers/hold-training.cjs`), so the stop lands in training every time.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { RetrainingRun } from '../../contracts/pipeline';
import { LOCAL_BUCKET, type LocalPlatform, startLocalPlatform } from '../../local/platform';
import { localS3ClientConfig } from '../../local/stand-ins';
import { breastCancerCsv, platformContext } from '../helpers/pipeline-harness';
import { type SignedClient, signedClient } from '../helpers/signed-client';

const MODEL = 'stop-me';
const credentials = {
  accessKeyId: 'AKIASAFESTOP',
  secretAccessKey: 'safe-stop-secret',
  principalArn: 'arn:aws:iam::000000000000:user/local',
};
const context = platformContext({
  'mlops:endpoints': [{ modelName: MODEL }],
  'mlops:retraining': [
    {
      modelName: MODEL,
      trainingData: { uri: `s3://${LOCAL_BUCKET}/training/${MODEL}.csv`, label: 'target' },
    },
  ],
});

let platform: LocalPlatform;
let api: SignedClient;
let sfn: SFNClient;
let dataDir: string;
let gate: string;
const saved = { nodeOptions: process.env.NODE_OPTIONS, gate: process.env.MLOPS_TEST_TRAINING_GATE };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mlops-safe-stop-'));
  gate = join(dataDir, 'training-gate');
  mkdirSync(gate);
  platform = await startLocalPlatform({
    dataDir: join(dataDir, 'data'),
    credentials: [credentials],
    context,
  });
  api = signedClient(platform.url, credentials);
  sfn = new SFNClient({
    endpoint: platform.endpoints.stepFunctions,
    region: 'us-east-1',
    credentials,
  });
  const s3 = new S3Client(localS3ClientConfig(platform.endpoints.s3));
  await s3.send(
    new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: `training/${MODEL}.csv`, Body: breastCancerCsv(150) }),
  );
  s3.destroy();
  // Set only now: the stand-ins' own children start without the hold.
  process.env.NODE_OPTIONS = `${saved.nodeOptions ?? ''} --require ${join(__dirname, '..', 'helpers', 'hold-training.cjs')}`;
  process.env.MLOPS_TEST_TRAINING_GATE = gate;
}, 120_000);

afterAll(async () => {
  // Held trainers go on (and end) once released; nothing waits for their output.
  if (gate) writeFileSync(join(gate, 'release'), '');
  restore('NODE_OPTIONS', saved.nodeOptions);
  restore('MLOPS_TEST_TRAINING_GATE', saved.gate);
  sfn?.destroy();
  await platform?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, polls = 200): Promise<T> {
  for (let i = 0; i < polls; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const getRun = async (runId: string): Promise<RetrainingRun | undefined> => {
  const res = await api.call('GET', `/models/${MODEL}/retraining-runs/${runId}`);
  return res.status === 200 ? res.body : undefined;
};

/** Starts a manual run and returns it once its trainer is held, with the execution's ARN. */
async function startRunIntoTraining(note: string): Promise<{ run: RetrainingRun; executionArn: string }> {
  const heldBefore = readdirSync(gate).filter((f) => f.startsWith('started-')).length;
  const started = await api.call('POST', `/models/${MODEL}/retraining-runs`, { note });
  expect(started.status).toBe(202);
  await until('the trainer to start', async () =>
    readdirSync(gate).filter((f) => f.startsWith('started-')).length > heldBefore ? true : undefined,
  );
  const run = await until('the run record', () => getRun(started.body.runId));
  return { run, executionArn: started.body.executionArn };
}

const ended = (runId: string) =>
  until(`run ${runId} to end`, async () => {
    const run = await getRun(runId);
    return run && run.status !== 'RUNNING' ? run : undefined;
  });

describe('retraining safe stop on the local platform', () => {
  it('finishes a run stopped in training as Stopped, releases the lock and reports it', async () => {
    // Prepare: a run whose training job is running (held)
    expect((await api.call('POST', '/models', { name: MODEL })).status).toBe(201);
    const first = await startRunIntoTraining('to be stopped');

    // Act: stop its execution, as an operator would
    const stopStart = Date.now();
    await sfn.send(
      new StopExecutionCommand({
        executionArn: first.executionArn,
        error: 'OperatorStopped',
        cause: 'wrong training window',
      }),
    );
    const stopped = await ended(first.run.runId);
    const stopMs = Date.now() - stopStart;
    const second = await startRunIntoTraining('after the stop');

    // Assess: the stopped run, recorded from the status change event
    console.log(`safe stop (StopExecution -> run Stopped): ${stopMs} ms`);
    expect(first.run).toMatchObject({ status: 'RUNNING', phase: 'TRAINING' });
    expect(stopped).toMatchObject({
      status: 'FAILED',
      phase: 'DONE',
      outcome: 'Stopped',
      reason: 'execution ABORTED (OperatorStopped): wrong training window',
      finishedAt: expect.any(String),
    });
    // The lock is free: the next run is admitted and trains
    expect(second.run).toMatchObject({ status: 'RUNNING', phase: 'TRAINING' });
    expect(second.run.outcome).toBeUndefined();
    // The audit record went out as RetrainingFinished through the outbox
    const finished = await until('RetrainingFinished of the stopped run', async () => {
      const items = (await api.call('GET', '/_local/events?detail-type=RetrainingFinished')).body
        .items as Array<{
        detail: {
          action: string;
          after: { runId: string; outcome: string; why: string; executionArn: string };
        };
      }>;
      return items.find((e) => e.detail.after.runId === first.run.runId);
    });
    expect(finished.detail.after).toMatchObject({
      outcome: 'Stopped',
      why: stopped.reason,
      executionArn: first.executionArn,
    });

    // Act: the second run is stopped through the platform's route, as `mlops pipeline stop` does
    const stopRoute = `/models/${MODEL}/retraining-runs/${second.run.runId}/stop`;
    const stopReply = await api.call('POST', stopRoute);
    const secondStopped = await ended(second.run.runId);
    const again = await api.call('POST', stopRoute);

    // Assess: StopExecution with a cause naming the caller, the run Stopped by the same rule, a
    // repeated stop answered the same, and one audit record of the request
    expect(stopReply).toMatchObject({
      status: 202,
      body: {
        runId: second.run.runId,
        modelName: MODEL,
        executionArn: second.executionArn,
        status: 'STOPPING',
      },
    });
    expect(secondStopped).toMatchObject({
      outcome: 'Stopped',
      reason: `execution ABORTED (RetrainingStopped): stopped by ${credentials.principalArn}`,
    });
    expect(again).toMatchObject({ status: 202, body: stopReply.body });
    const history = (await api.call('GET', `/models/${MODEL}/audit?limit=100`)).body.items as Array<{
      action: string;
      actor: string;
    }>;
    expect(history.filter((a) => a.action === 'RetrainingStopRequested')).toEqual([
      expect.objectContaining({ actor: credentials.principalArn }),
    ]);
  }, 90_000);
});
