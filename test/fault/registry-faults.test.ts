/**
 * The registry under faults at its adapter seams: 20% of DynamoDB and S3 calls throttled, failing
 * with a 500, slow, or losing their answer after being applied (seeded), while clients register
 * versions, move stages and aliases concurrently, each write with an Idempotency-Key and retried
 * with it on a 5xx, as a careful client does. Then invariants over the recorded history: every
 * acknowledged write present, no effect applied twice for one key, version numbers unique and
 * without gaps, stages and aliases as the audit trail says, and no 500 ever. Then canary rollouts
 * under the same faults (test/fault/rollout-load.ts): one rollout per key, each acknowledged one
 * recorded, ended, and as its audit records say.
 */
import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { RegistryEvent } from '../../contracts/events';
import { dynamoDbClient } from '../../lambdas/shared/clients';
import { s3Client } from '../../lambdas/shared/s3-client';
import type { HttpCall } from '../helpers/http-call';
import { type Harness, startHarness } from '../helpers/registry-harness';
import { type FaultStats, injectFaults, newFaultStats, seededRandom } from './fault-injection';
import { startRolloutLoad } from './rollout-load';

const SEED = Number(process.env.MLOPS_FAULT_SEED ?? 22);
const MODELS = 3;
const REGISTRATIONS = 12;
const STAGE_CHANGES = 10;
const ALIAS_MOVES = 10;

let h: Harness;
const stats: FaultStats = newFaultStats();
const removers: Array<() => void> = [];
beforeAll(async () => {
  h = await startHarness();
  const random = seededRandom(SEED);
  removers.push(injectFaults(dynamoDbClient(), { rate: 0.2, random, stats, name: 'faultsDynamoDb' }));
  removers.push(injectFaults(s3Client(), { rate: 0.2, random, stats, name: 'faultsS3' }));
}, 60_000);
afterAll(async () => {
  for (const remove of removers) remove();
  await h?.stop();
});

/** What the clients saw: every HTTP answer, retries included. */
const answers: number[] = [];

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Reply = { status: number; body: any };

/** Writes that never got a definitive answer: their effect may or may not have committed. */
const gaveUp = new Set<string>();

/**
 * One logical write: sent with its key until the answer is not a 5xx, backing off (to 1 s, the
 * 503's Retry-After) for at most 15 tries; then the client gives up, not knowing the outcome.
 */
async function keyedWrite(
  method: string,
  path: string,
  body: unknown,
  key: string,
  call: HttpCall = h.call,
): Promise<Reply> {
  let reply: Reply = { status: 0, body: undefined };
  for (let attempt = 0; attempt < 15; attempt++) {
    reply = await call(method, path, body, { 'idempotency-key': key });
    answers.push(reply.status);
    const busy = reply.status === 409 && reply.body?.error?.code === 'IDEMPOTENCY_IN_PROGRESS';
    if (reply.status < 500 && !busy) return reply;
    await new Promise((r) => setTimeout(r, Math.min(1_000, 50 * 2 ** attempt)));
  }
  gaveUp.add(key);
  return reply;
}

async function read(path: string): Promise<Reply> {
  for (let attempt = 0; ; attempt++) {
    const reply = await h.call('GET', path);
    answers.push(reply.status);
    if (reply.status < 500 || attempt >= 12) return reply;
    await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
  }
}

async function allAudit(name: string) {
  // biome-ignore lint/suspicious/noExplicitAny: audit records are checked field by field
  const all: any[] = [];
  let token: string | undefined;
  do {
    const page = await read(`/models/${name}/audit?limit=100${token ? `&nextToken=${token}` : ''}`);
    all.push(...page.body.items);
    token = page.body.nextToken;
  } while (token);
  return all.reverse(); // oldest first
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface ModelRun {
  name: string;
  registered: Map<string, Reply>;
  stageAcks: number;
  aliasAcks: number;
}

async function runModel(m: number, random: () => number): Promise<ModelRun> {
  const name = `faulty-${SEED}-${m}`;
  const run: ModelRun = { name, registered: new Map(), stageAcks: 0, aliasAcks: 0 };
  expect((await keyedWrite('POST', '/models', { name }, `${name}-create`)).status).toBe(201);
  // Registrations, all at once.
  const bytes = Array.from({ length: REGISTRATIONS }, (_, i) => Buffer.from(`${name} artifact ${i}`));
  await Promise.all(
    bytes.map(async (b, i) => {
      const key = `${name}-reg-${i}`;
      const reply = await keyedWrite(
        'POST',
        `/models/${name}/versions`,
        {
          artifact: { sha256: sha256(b), sizeBytes: b.length },
          description: key,
          metrics: { accuracy: 0.9 },
          governance: {
            modelCardUrl: 'https://example.com/card',
            securityScan: 'PASSED',
            loadTest: 'PASSED',
            demographicParityDifference: 0.05,
          },
        },
        key,
      );
      if (reply.status === 201) {
        run.registered.set(key, reply);
        const { bucket, key: objectKey } = reply.body.version.artifact;
        for (let attempt = 0; ; attempt++) {
          try {
            await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey, Body: b }));
            break;
          } catch (err) {
            if (attempt > 5) throw err;
          }
        }
        await keyedWrite(
          'POST',
          `/models/${name}/versions/${reply.body.version.version}/verify`,
          undefined,
          `${key}-verify`,
        );
      }
    }),
  );
  const numbers = [...run.registered.values()].map((r) => r.body.version.version as number);
  // Stage changes and alias moves, all at once, on random versions.
  const stageOps = Array.from({ length: STAGE_CHANGES }, (_, i) => ({
    key: `${name}-stage-${i}`,
    version: numbers[Math.floor(random() * numbers.length)],
    stage: random() < 0.5 ? 'Staging' : 'Production',
  }));
  const aliasOps = Array.from({ length: ALIAS_MOVES }, (_, i) => ({
    key: `${name}-alias-${i}`,
    version: numbers[Math.floor(random() * numbers.length)],
  }));
  await Promise.all([
    ...stageOps.map(async (op) => {
      const reply = await keyedWrite(
        'POST',
        `/models/${name}/versions/${op.version}/stage`,
        { stage: op.stage, archiveExistingVersions: true },
        op.key,
      );
      if (reply.status === 200) run.stageAcks++;
    }),
    ...aliasOps.map(async (op) => {
      const reply = await keyedWrite(
        'PUT',
        `/models/${name}/aliases/champion`,
        { version: op.version },
        op.key,
      );
      if (reply.status === 200) run.aliasAcks++;
    }),
  ]);
  return run;
}

it('keeps every invariant with 20% of storage calls failing, slow or losing their answer', async () => {
  // Act
  const random = seededRandom(SEED + 1);
  const runs = await Promise.all(Array.from({ length: MODELS }, (_, m) => runModel(m, random)));
  for (const remove of removers.splice(0)) remove(); // the history is read without faults

  // Assess
  const violations: string[] = [];
  let versionsTotal = 0;
  for (const run of runs) {
    const model = (await read(`/models/${run.name}`)).body;
    const versions = (await read(`/models/${run.name}/versions?limit=100`)).body.items;
    versionsTotal += versions.length;
    const audit = await allAudit(run.name);
    // Version numbers: 1..n, each once, one per registration acknowledged, none for another key.
    const numbers = versions.map((v: { version: number }) => v.version).sort((a: number, b: number) => a - b);
    if (numbers.join() !== Array.from({ length: numbers.length }, (_, i) => i + 1).join())
      violations.push(`${run.name}: version numbers ${numbers.join()}`);
    if (model.latestVersion !== numbers.length)
      violations.push(`${run.name}: latestVersion ${model.latestVersion}`);
    for (const [key, reply] of run.registered) {
      const stored = versions.filter((v: { description: string }) => v.description === key);
      if (stored.length !== 1) violations.push(`${run.name}: ${stored.length} versions for key ${key}`);
      else if (stored[0].version !== reply.body.version.version)
        violations.push(
          `${run.name}: key ${key} answered ${reply.body.version.version}, stored ${stored[0].version}`,
        );
    }
    // Every other version is one registration whose client gave up without knowing the outcome.
    const unacknowledged = versions.filter(
      (v: { description: string }) => !run.registered.has(v.description),
    );
    const unknownKeys = new Set<string>(unacknowledged.map((v: { description: string }) => v.description));
    if (unknownKeys.size !== unacknowledged.length || [...unknownKeys].some((k) => !gaveUp.has(k)))
      violations.push(`${run.name}: versions of no acknowledged key: ${[...unknownKeys].join()}`);
    const registeredRecords = audit.filter((a) => a.action === RegistryEvent.MODEL_VERSION_REGISTERED);
    if (registeredRecords.length !== versions.length)
      violations.push(
        `${run.name}: ${registeredRecords.length} registration records for ${versions.length} versions`,
      );
    // Stages: each version where its last stage record puts it; at most one in Staging and in
    // Production; the model's counts agree; one primary record per acknowledged change.
    const stageRecords = audit.filter((a) => a.action === RegistryEvent.MODEL_VERSION_STAGE_CHANGED);
    for (const v of versions) {
      const own = stageRecords.filter((a) => a.version === v.version);
      let stage = 'None';
      for (const r of own) {
        if (r.before.stage !== stage)
          violations.push(`${run.name} v${v.version}: record from ${r.before.stage}, was ${stage}`);
        stage = r.after.stage;
      }
      if (stage !== v.stage)
        violations.push(`${run.name} v${v.version}: stage ${v.stage}, audit says ${stage}`);
    }
    const count = (s: string) => versions.filter((v: { stage: string }) => v.stage === s).length;
    if (count('Production') > 1 || count('Staging') > 1)
      violations.push(`${run.name}: ${count('Production')} in Production, ${count('Staging')} in Staging`);
    if (model.productionVersions !== count('Production') || model.stagingVersions !== count('Staging'))
      violations.push(`${run.name}: counts ${model.productionVersions}/${model.stagingVersions}`);
    // One record per acknowledged change, plus at most one per change whose client gave up.
    const primary = stageRecords.filter((r) => r.after.stage !== 'Archived').length;
    const stageUnknown = [...gaveUp].filter((k) => k.startsWith(`${run.name}-stage-`)).length;
    if (primary < run.stageAcks || primary > run.stageAcks + stageUnknown)
      violations.push(`${run.name}: ${primary} stage changes for ${run.stageAcks} acknowledged`);
    // Aliases: one record per acknowledged move, each naming the version the previous one left,
    // the last naming what the alias holds.
    const moves = audit.filter((a) => a.action === RegistryEvent.MODEL_ALIAS_SET);
    const aliasUnknown = [...gaveUp].filter((k) => k.startsWith(`${run.name}-alias-`)).length;
    if (moves.length < run.aliasAcks || moves.length > run.aliasAcks + aliasUnknown)
      violations.push(`${run.name}: ${moves.length} alias moves for ${run.aliasAcks} acknowledged`);
    moves.forEach((r, i) => {
      const previous = i === 0 ? undefined : moves[i - 1].after.version;
      if (r.before?.version !== previous)
        violations.push(`${run.name}: alias move ${i} from ${r.before?.version}, was ${previous}`);
    });
    const champion = (await read(`/models/${run.name}/aliases/champion`)).body;
    if (moves.length > 0 && champion.version !== moves[moves.length - 1].after.version)
      violations.push(
        `${run.name}: champion ${champion.version}, audit says ${moves[moves.length - 1].after.version}`,
      );
  }
  const figures = {
    seed: SEED,
    requests: answers.length,
    answers5xx: answers.filter((s) => s >= 500).length,
    answers500: answers.filter((s) => s === 500).length,
    writesGivenUp: gaveUp.size,
    storageCalls: stats.calls,
    injected: stats.injected,
    versions: versionsTotal,
    stageChangesAcknowledged: runs.reduce((a, r) => a + r.stageAcks, 0),
    aliasMovesAcknowledged: runs.reduce((a, r) => a + r.aliasAcks, 0),
    violations: violations.length,
  };
  process.stdout.write(`registry fault run: ${JSON.stringify(figures)}\n`);
  expect(violations).toEqual([]);
  expect(figures.answers500).toBe(0);
  expect(Object.values(stats.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
}, 180_000);

it('keeps every rollout once per key and as its audit says, with 20% of storage calls failing', async () => {
  // Prepare: the models on their endpoints, without faults; then the faults again
  for (const remove of removers.splice(0)) remove();
  const load = await startRolloutLoad({
    models: Array.from({ length: MODELS }, (_, m) => `rollout-${SEED}-${m}`),
    dynamoDb: dynamoDbClient(),
    s3: h.s3,
    bucket: 'rollout-artifacts',
  });
  const rolloutStats = newFaultStats();
  const random = seededRandom(SEED + 2);
  removers.push(
    injectFaults(dynamoDbClient(), { rate: 0.2, random, stats: rolloutStats, name: 'faultsDynamoDb' }),
  );
  removers.push(injectFaults(s3Client(), { rate: 0.2, random, stats: rolloutStats, name: 'faultsS3' }));
  const before = answers.length;
  try {
    // Act: each keyed start retried with its key until it has an answer, as every write above
    const outcome = await load.run((call: HttpCall, path, body, key) =>
      keyedWrite('POST', path, body, key, call),
    );
    for (const remove of removers.splice(0)) remove();
    // Assess
    const statuses = answers.slice(before);
    const figures = {
      seed: SEED,
      requests: statuses.length,
      answers5xx: statuses.filter((s) => s >= 500).length,
      answers500: statuses.filter((s) => s === 500).length,
      rolloutsAcknowledged: outcome.acknowledged,
      outcomes: outcome.outcomes,
      storageCalls: rolloutStats.calls,
      injected: rolloutStats.injected,
      violations: outcome.violations.length,
    };
    process.stdout.write(`rollout fault run: ${JSON.stringify(figures)}\n`);
    expect(outcome.violations).toEqual([]);
    expect(figures.answers500).toBe(0);
    expect(outcome.acknowledged).toBe(MODELS);
  } finally {
    for (const remove of removers.splice(0)) remove();
    await load.close();
  }
}, 120_000);
