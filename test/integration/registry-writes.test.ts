/**
 * Write correctness of the registry over DynamoDB Local: numbers DynamoDB cannot store are
 * refused before anything is written, racing stage changes and alias moves leave exactly the
 * state and history one serial order would, and PATCH merges tags instead of replacing them.
 */
import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { RegistryEvent } from '../../contracts/events';
import { planTransition } from '../../lambdas/registry/domain/versions';
import { type Harness, startHarness } from '../helpers/registry-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h?.stop());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const artifactOf = (bytes: Buffer) => ({ sha256: sha256(bytes), sizeBytes: bytes.length });

const promotable = {
  metrics: { accuracy: 0.92 },
  governance: {
    modelCardUrl: 'https://example.com/card',
    securityScan: 'PASSED',
    loadTest: 'PASSED',
    demographicParityDifference: 0.05,
  },
};

async function createModel(name: string) {
  expect((await h.call('POST', '/models', { name })).status).toBe(201);
}

/** Registers, uploads and verifies a version; returns its number. */
async function readyVersion(name: string, body: Record<string, unknown> = promotable): Promise<number> {
  const bytes = Buffer.from(`model ${name} ${Math.random()}`);
  const reg = await h.call('POST', `/models/${name}/versions`, { artifact: artifactOf(bytes), ...body });
  expect(reg.status).toBe(201);
  const { bucket, key } = reg.body.version.artifact;
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
  const verified = await h.call('POST', `/models/${name}/versions/${reg.body.version.version}/verify`);
  expect(verified.body.status).toBe('READY');
  return reg.body.version.version;
}

interface Audit {
  action: string;
  at: string;
  version?: number;
  alias?: string;
  before?: { version?: number; stage?: string; tags?: Record<string, string> };
  after?: { version?: number; stage?: string; tags?: Record<string, string> };
}

/** Every audit record of a model, oldest first. */
async function auditTrail(name: string): Promise<Audit[]> {
  const all: Audit[] = [];
  let token: string | undefined;
  do {
    const page = await h.call('GET', `/models/${name}/audit?limit=100${token ? `&nextToken=${token}` : ''}`);
    all.push(...page.body.items);
    token = page.body.nextToken;
  } while (token);
  return all.reverse();
}

describe('numbers DynamoDB cannot store', () => {
  const unstorable: Array<[string, string]> = [
    ['1e20', 'above 2^53'],
    ['1.5e-200', 'below 1e-130'],
    ['9007199254740993', 'past what a JSON number carries exactly'],
    ['123456789012345678901234567890', 'thirty digits'],
  ];

  it.each(unstorable)(
    'refuses metric %s (%s) with a 400 naming the field and the range, and takes no version number',
    async (raw) => {
      // Prepare
      const name = `num-${sha256(Buffer.from(raw)).slice(0, 8)}`;
      await createModel(name);
      const bytes = Buffer.from('weights');
      const body = `{"metrics":{"accuracy":${raw}},"artifact":${JSON.stringify(artifactOf(bytes))}}`;
      // Act
      const refused = await h.call('POST', `/models/${name}/versions`, body);
      const accepted = await h.call('POST', `/models/${name}/versions`, { artifact: artifactOf(bytes) });
      // Assess
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('INVALID_REQUEST');
      expect(refused.body.error.message).toContain('body.metrics.accuracy');
      expect(refused.body.error.message).toContain('1e-130');
      expect(refused.body.error.message).toContain('9007199254740991');
      expect(accepted.status).toBe(201);
      expect(accepted.body.version.version).toBe(1);
    },
  );

  it('refuses a governance floor DynamoDB cannot store, and creates nothing', async () => {
    // Act
    const res = await h.call('POST', '/models', {
      name: 'floors',
      governance: { metricFloors: { auc: 1e20 } },
    });
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('body.governance.metricFloors.auc');
    expect((await h.call('GET', '/models/floors')).status).toBe(404);
  });

  it('stores the extremes of the range exactly', async () => {
    // Prepare
    await createModel('extremes');
    const metrics = { max: 9007199254740991, min: 1e-130, negative: -0.5, zero: 0 };
    // Act
    const res = await h.call('POST', '/models/extremes/versions', {
      metrics,
      artifact: artifactOf(Buffer.from('x')),
    });
    // Assess
    expect(res.status).toBe(201);
    expect((await h.call('GET', '/models/extremes/versions/1')).body.metrics).toEqual(metrics);
  });
});

describe('concurrent promotions with archiveExistingVersions', () => {
  it('leave exactly one version in Production, every answer 200-then-archived or 409, as the audit trail says', async () => {
    // Prepare: 30 promotable versions, none in Production
    await createModel('race-stage');
    const numbers: number[] = [];
    for (let i = 0; i < 30; i++) numbers.push(await readyVersion('race-stage'));
    // Act
    const answers = await Promise.all(
      numbers.map((v) =>
        h.call('POST', `/models/race-stage/versions/${v}/stage`, {
          stage: 'Production',
          archiveExistingVersions: true,
        }),
      ),
    );
    // Assess
    const stages = new Map<number, string>();
    for (const v of numbers)
      stages.set(v, (await h.call('GET', `/models/race-stage/versions/${v}`)).body.stage);
    const inProduction = numbers.filter((v) => stages.get(v) === 'Production');
    expect(inProduction).toHaveLength(1);
    expect((await h.call('GET', '/models/race-stage')).body.productionVersions).toBe(1);
    const stageRecords = (await auditTrail('race-stage')).filter(
      (a) => a.action === RegistryEvent.MODEL_VERSION_STAGE_CHANGED,
    );
    numbers.forEach((v, i) => {
      const records = stageRecords.filter((a) => a.version === v);
      if (answers[i].status === 200) {
        expect(records[0]).toMatchObject({ before: { stage: 'None' }, after: { stage: 'Production' } });
        const archived = records.slice(1);
        expect(archived).toEqual(
          stages.get(v) === 'Production'
            ? []
            : [expect.objectContaining({ before: { stage: 'Production' }, after: { stage: 'Archived' } })],
        );
      } else {
        expect(answers[i]).toMatchObject({
          status: 409,
          body: { error: { code: 'CONCURRENT_MODIFICATION' } },
        });
        expect(stages.get(v)).toBe('None');
        expect(records).toEqual([]);
      }
    });
  }, 120_000);
});

describe('a stage change planned before an archived version left its stage and came back', () => {
  it('fails with 409 instead of archiving it, so the audit order is the commit order', async () => {
    // Prepare: v1 in Staging; a promotion of v2 into Staging, archiving v1, planned but not written
    await createModel('aba-stage');
    const [v1, v2, v3] = [
      await readyVersion('aba-stage'),
      await readyVersion('aba-stage'),
      await readyVersion('aba-stage'),
    ];
    const toStaging = { stage: 'Staging' as const, archiveExistingVersions: true };
    expect((await h.call('POST', `/models/aba-stage/versions/${v1}/stage`, toStaging)).status).toBe(200);
    const actor = { principal: 'test' };
    const stale = await planTransition(h.deps, actor, 'aba-stage', v2, toStaging);
    expect(stale.plan.archive.map((a) => a.version)).toEqual([v1]);
    // Meanwhile v3 takes Staging (archiving v1) and v1 takes it back (archiving v3): same stage,
    // same count, later updatedAt.
    expect((await h.call('POST', `/models/aba-stage/versions/${v3}/stage`, toStaging)).status).toBe(200);
    expect((await h.call('POST', `/models/aba-stage/versions/${v1}/stage`, toStaging)).status).toBe(200);
    // Act
    const written = h.deps.store.applyStageTransition(stale.plan, stale.audits);
    // Assess
    await expect(written).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION' });
    expect((await h.call('GET', `/models/aba-stage/versions/${v1}`)).body.stage).toBe('Staging');
    expect((await h.call('GET', `/models/aba-stage/versions/${v2}`)).body.stage).toBe('None');
    const v1Records = (await auditTrail('aba-stage')).filter(
      (a) => a.version === v1 && a.action === RegistryEvent.MODEL_VERSION_STAGE_CHANGED,
    );
    expect(v1Records.map((a) => `${a.before?.stage}>${a.after?.stage}`)).toEqual([
      'None>Staging',
      'Staging>Archived',
      'Archived>Staging',
    ]);
  }, 60_000);
});

describe('concurrent alias moves', () => {
  it('write an audit trail that chains, ending at the version the alias holds', async () => {
    // Prepare
    await createModel('race-alias');
    const numbers: number[] = [];
    for (let i = 0; i < 5; i++) numbers.push(await readyVersion('race-alias'));
    // Act
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.call('PUT', '/models/race-alias/aliases/champion', { version: numbers[i % numbers.length] }),
      ),
    );
    // Assess
    expect(answers.every((a) => a.status === 200 || a.body.error?.code === 'CONCURRENT_MODIFICATION')).toBe(
      true,
    );
    const moves = (await auditTrail('race-alias')).filter(
      (a) => a.action === RegistryEvent.MODEL_ALIAS_SET && a.alias === 'champion',
    );
    expect(moves).toHaveLength(answers.filter((a) => a.status === 200).length);
    expect(moves[0].before).toBeUndefined();
    for (let i = 1; i < moves.length; i++) expect(moves[i].before).toEqual(moves[i - 1].after);
    const alias = await h.call('GET', '/models/race-alias/aliases/champion');
    expect(moves.at(-1)?.after).toEqual({ version: alias.body.version });
  }, 120_000);
});

describe('PATCH of a version tags', () => {
  it('merges as a JSON Merge Patch, keeping the platform tags', async () => {
    // Prepare
    await createModel('patch-tags');
    const reg = await h.call('POST', '/models/patch-tags/versions', {
      tags: { 'mlops:referenceProfile': 's3://bucket/profile.json', team: 'a', stale: 'x' },
      artifact: artifactOf(Buffer.from('t')),
    });
    const v = reg.body.version.version;
    // Act
    const res = await h.call('PATCH', `/models/patch-tags/versions/${v}`, {
      tags: { team: 'b', stale: null, owner: 'ml' },
    });
    // Assess
    const merged = { 'mlops:referenceProfile': 's3://bucket/profile.json', team: 'b', owner: 'ml' };
    expect(res.status).toBe(200);
    expect(res.body.tags).toEqual(merged);
    expect((await h.call('GET', `/models/patch-tags/versions/${v}`)).body.tags).toEqual(merged);
    const update = (await auditTrail('patch-tags')).find(
      (a) => a.action === RegistryEvent.MODEL_VERSION_UPDATED,
    );
    expect(update?.after?.tags).toEqual(merged);
  });

  it('refuses to change or remove an mlops: tag, naming it, and changes nothing', async () => {
    // Prepare
    await createModel('patch-reserved');
    const reg = await h.call('POST', '/models/patch-reserved/versions', {
      tags: { 'mlops:referenceProfile': 's3://bucket/profile.json' },
      artifact: artifactOf(Buffer.from('r')),
    });
    const v = reg.body.version.version;
    // Act
    const removed = await h.call('PATCH', `/models/patch-reserved/versions/${v}`, {
      tags: { 'mlops:referenceProfile': null },
    });
    const overwritten = await h.call('PATCH', `/models/patch-reserved/versions/${v}`, {
      tags: { 'mlops:referenceProfile': 's3://elsewhere' },
    });
    // Assess
    for (const res of [removed, overwritten]) {
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('body.tags.mlops:referenceProfile');
    }
    expect((await h.call('GET', `/models/patch-reserved/versions/${v}`)).body.tags).toEqual({
      'mlops:referenceProfile': 's3://bucket/profile.json',
    });
  });
});
