/**
 * Crashes of the local platform under load: clients register versions, verify them, move stages
 * and aliases, every write with an Idempotency-Key; at a seeded random moment the platform's
 * processes get SIGKILL, then it is started again on the same data directory and the clients
 * retry what got no answer, with the same keys. Several seeds, one after another, on one data
 * directory. Then invariants over the history: every acknowledged write present, no effect twice
 * for one key, version numbers unique and without gaps, stages and aliases as the audit trail
 * says, and every audit record published on the event bus (`events.jsonl`).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryEvent } from '../../contracts/events';
import { type PlatformProcess, startPlatformProcess } from '../helpers/platform-process';
import { type SignedClient, signedClient } from '../helpers/signed-client';
import { seededRandom } from './fault-injection';

const SEEDS = (process.env.MLOPS_CRASH_SEEDS ?? '1,2,3').split(',').map(Number);
const REGISTRATIONS = 8;
const MOVES = 6;
const credentials = {
  accessKeyId: 'AKIALOCALCRASHTEST01',
  secretAccessKey: 'crash-secret-crash-secret-crash-secret-c',
};

// biome-ignore lint/suspicious/noExplicitAny: replies are checked field by field
type Reply = { status: number; body: any };

/** Every process under `pid`, deepest first. */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    // pgrep exits 1 when there are none
  }
  return children.flatMap((c) => [...descendants(c), c]);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * kill -9 of the platform (`tsx` and the Node process it runs); its DynamoDB Local and S3 server
 * are then stopped by their watchdogs, as after a real crash. Resolves once all are gone.
 */
async function crash(platform: PlatformProcess): Promise<void> {
  const pid = platform.child.pid as number;
  const all = [...descendants(pid), pid];
  const platformProcesses = all.filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('local/main.ts');
    } catch {
      return false;
    }
  });
  for (const p of platformProcesses) process.kill(p, 'SIGKILL');
  for (let waited = 0; all.some(alive) && waited < 20_000; waited += 200) {
    await new Promise((r) => setTimeout(r, 200));
  }
  for (const p of all.filter(alive)) process.kill(p, 'SIGKILL');
}

interface Op {
  readonly key: string;
  readonly method: string;
  readonly path: () => string;
  readonly body: () => unknown;
  reply?: Reply;
}

describe('kill -9 of the local platform under load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlops-crash-'));
  let platform: PlatformProcess;
  let api: SignedClient;
  const figures = {
    seeds: SEEDS.length,
    requests: 0,
    answers5xx: 0,
    answers500: 0,
    lostToCrash: 0,
    crashes: 0,
  };

  beforeAll(async () => {
    platform = await startPlatformProcess({ dataDir, credentials });
    api = signedClient(platform.url, credentials);
  }, 120_000);

  afterAll(async () => {
    if (platform) await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * Sends an op until it has a definitive answer; `false` when the platform went away. A request
   * the crash cut off leaves its idempotency record in progress until the function's timeout
   * (30 s) has passed since it started, and until then its retries are answered 409
   * `IDEMPOTENCY_IN_PROGRESS`: a client keeps retrying past that, as this one does for a minute.
   */
  async function send(op: Op): Promise<boolean> {
    const deadline = Date.now() + 60_000;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      let reply: Reply;
      try {
        reply = await api.call(op.method, op.path(), op.body(), { 'idempotency-key': op.key });
      } catch {
        figures.lostToCrash++;
        return false;
      }
      figures.requests++;
      if (reply.status >= 500) figures.answers5xx++;
      if (reply.status === 500) figures.answers500++;
      const busy = reply.status === 409 && reply.body?.error?.code === 'IDEMPOTENCY_IN_PROGRESS';
      if (reply.status < 500 && !busy) {
        op.reply = reply;
        return true;
      }
      await new Promise((r) => setTimeout(r, Math.min(100 * (attempt + 1), 2_000)));
    }
    return false;
  }

  /** Uploads a registered version's artifact through its presigned PUT. */
  async function upload(reply: Reply, bytes: Buffer): Promise<boolean> {
    try {
      const { url, headers } = reply.body.upload;
      const res = await fetch(url, { method: 'PUT', headers, body: bytes });
      return res.ok;
    } catch {
      return false;
    }
  }

  /** One seed's load: registrations (then upload and verify), then stage changes and alias moves. */
  async function load(name: string, random: () => number, ops: Map<string, Op>, artifacts: Buffer[]) {
    const op = (o: Op) => {
      if (!ops.has(o.key)) ops.set(o.key, o);
      return ops.get(o.key) as Op;
    };
    const create = op({
      key: `${name}-create`,
      method: 'POST',
      path: () => '/models',
      body: () => ({ name }),
    });
    if (!create.reply && !(await send(create))) return;
    const ready: number[] = [];
    await Promise.all(
      artifacts.map(async (bytes, i) => {
        const reg = op({
          key: `${name}-reg-${i}`,
          method: 'POST',
          path: () => `/models/${name}/versions`,
          body: () => ({
            artifact: { sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length },
            description: `${name}-reg-${i}`,
          }),
        });
        if (!reg.reply && !(await send(reg))) return;
        if (reg.reply?.status !== 201) return;
        const version = reg.reply.body.version.version as number;
        const verify = op({
          key: `${name}-verify-${i}`,
          method: 'POST',
          path: () => `/models/${name}/versions/${version}/verify`,
          body: () => undefined,
        });
        if (!verify.reply && (!(await upload(reg.reply, bytes)) || !(await send(verify)))) return;
        if (verify.reply?.status === 200) ready.push(version);
      }),
    );
    if (ready.length === 0) return;
    await Promise.all(
      Array.from({ length: MOVES }, async (_, i) => {
        // Drawn once per op: a retry must send the same request with its key.
        const target = random() < 0.5 ? 'Staging' : 'Production';
        const aliased = ready[Math.floor(random() * ready.length)];
        const stage = op({
          key: `${name}-stage-${i}`,
          method: 'POST',
          path: () => `/models/${name}/versions/${ready[i % ready.length]}/stage`,
          body: () => ({ stage: target, archiveExistingVersions: true }),
        });
        const alias = op({
          key: `${name}-alias-${i}`,
          method: 'PUT',
          path: () => `/models/${name}/aliases/champion`,
          body: () => ({ version: aliased }),
        });
        await Promise.all([stage.reply ? true : send(stage), alias.reply ? true : send(alias)]);
      }),
    );
  }

  it('keeps every invariant across crashes at random points, restarted on the same data', async () => {
    const violations: string[] = [];
    for (const seed of SEEDS) {
      // Act: the load, a crash at a seeded moment, a restart, the clients' retries.
      const random = seededRandom(seed);
      const name = `crash-${seed}`;
      const ops = new Map<string, Op>();
      const artifacts = Array.from({ length: REGISTRATIONS }, (_, i) => Buffer.from(`${name} artifact ${i}`));
      const crashAfterMs = 300 + Math.floor(random() * 2_500);
      const running = load(name, random, ops, artifacts);
      await new Promise((r) => setTimeout(r, crashAfterMs));
      await crash(platform);
      figures.crashes++;
      await running;
      platform = await startPlatformProcess({ dataDir, credentials });
      api = signedClient(platform.url, credentials);
      await load(name, random, ops, artifacts);

      // Assess
      const model = (await api.call('GET', `/models/${name}`)).body;
      const versions = (await api.call('GET', `/models/${name}/versions?limit=100`)).body.items;
      const audit = (await api.call('GET', `/models/${name}/audit?limit=100`)).body.items.reverse();
      const acked = [...ops.values()].filter((o) => o.reply && o.reply.status < 300);
      const numbers = versions.map((v: { version: number }) => v.version);
      if (numbers.join() !== Array.from({ length: numbers.length }, (_, i) => i + 1).join())
        violations.push(`${name}: version numbers ${numbers.join()}`);
      if (model.latestVersion !== numbers.length)
        violations.push(`${name}: latestVersion ${model.latestVersion}`);
      for (const o of acked.filter((o) => o.key.includes('-reg-'))) {
        const stored = versions.filter((v: { description: string }) => v.description === o.key);
        if (stored.length !== 1 || stored[0].version !== o.reply?.body.version.version)
          violations.push(
            `${name}: key ${o.key} answered ${o.reply?.body.version.version}, stored ${stored.length}`,
          );
      }
      if (versions.length !== acked.filter((o) => o.key.includes('-reg-')).length)
        violations.push(`${name}: ${versions.length} versions for the acknowledged registrations`);
      const stageRecords = audit.filter(
        (a: { action: string }) => a.action === RegistryEvent.MODEL_VERSION_STAGE_CHANGED,
      );
      for (const v of versions) {
        let stage = 'None';
        for (const r of stageRecords.filter((a: { version: number }) => a.version === v.version)) {
          if (r.before.stage !== stage)
            violations.push(`${name} v${v.version}: from ${r.before.stage}, was ${stage}`);
          stage = r.after.stage;
        }
        if (stage !== v.stage)
          violations.push(`${name} v${v.version}: stage ${v.stage}, audit says ${stage}`);
      }
      const count = (s: string) => versions.filter((v: { stage: string }) => v.stage === s).length;
      if (count('Production') > 1 || count('Staging') > 1)
        violations.push(`${name}: ${count('Production')} in Production, ${count('Staging')} in Staging`);
      const primary = stageRecords.filter((r: { after: { stage: string } }) => r.after.stage !== 'Archived');
      const stageAcks = acked.filter((o) => o.key.includes('-stage-')).length;
      if (primary.length !== stageAcks)
        violations.push(`${name}: ${primary.length} stage changes, ${stageAcks} acked`);
      const moves = audit.filter((a: { action: string }) => a.action === RegistryEvent.MODEL_ALIAS_SET);
      const aliasAcks = acked.filter((o) => o.key.includes('-alias-')).length;
      if (moves.length !== aliasAcks) {
        // What the others were answered, to tell a lost answer from a refused retry.
        const others = [...ops.values()]
          .filter((o) => o.key.includes('-alias-') && !(o.reply && o.reply.status < 300))
          .map(
            (o) =>
              `${o.key}: ${o.reply ? `${o.reply.status} ${o.reply.body?.error?.code ?? ''}` : 'no answer'}`,
          );
        violations.push(`${name}: ${moves.length} alias moves, ${aliasAcks} acked (${others.join('; ')})`);
      }
      // Every audit record reaches the bus (at least once; consumers dedupe on detail.id).
      const eventsFile = join(dataDir, 'events.jsonl');
      let missing: string[] = audit.map((a: { id: string }) => a.id);
      for (let waited = 0; missing.length > 0 && waited < 30_000; waited += 500) {
        await new Promise((r) => setTimeout(r, 500));
        const published = existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8') : '';
        missing = missing.filter((id) => !published.includes(id));
      }
      if (missing.length > 0) violations.push(`${name}: ${missing.length} audit records never published`);
    }
    process.stdout.write(
      `platform crash runs: ${JSON.stringify({ ...figures, violations: violations.length })}\n`,
    );
    expect(violations).toEqual([]);
    expect(figures.answers500).toBe(0);
  }, 600_000);
});
