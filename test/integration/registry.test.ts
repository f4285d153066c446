import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ALICE, type Harness, startHarness } from '../helpers/registry-harness';
import { expectReplyMatchesRoute } from '../helpers/route-replies';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h?.stop());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const artifact = (bytes: Buffer) => ({ sha256: sha256(bytes), sizeBytes: bytes.length });

async function createModel(name: string, extra: Record<string, unknown> = {}) {
  const res = await h.call('POST', '/models', { name, ...extra });
  expectReplyMatchesRoute('CreateModel', res);
  return res.body;
}

/** Registers, uploads and verifies a version; returns its number. */
async function readyVersion(name: string, body: Record<string, unknown> = {}): Promise<number> {
  const bytes = Buffer.from(`model ${name} ${Math.random()}`);
  const reg = await h.call('POST', `/models/${name}/versions`, { artifact: artifact(bytes), ...body });
  expectReplyMatchesRoute('RegisterVersion', reg);
  await h.s3.send(
    new PutObjectCommand({
      Bucket: reg.body.version.artifact.bucket,
      Key: reg.body.version.artifact.key,
      Body: bytes,
    }),
  );
  const verified = await h.call('POST', `/models/${name}/versions/${reg.body.version.version}/verify`);
  expect(verified.body.status).toBe('READY');
  expectReplyMatchesRoute('VerifyArtifact', verified);
  return reg.body.version.version;
}

const goodEvidence = {
  metrics: { accuracy: 0.92 },
  governance: {
    modelCardUrl: 'https://example.com/card',
    securityScan: 'PASSED',
    loadTest: 'PASSED',
    demographicParityDifference: 0.05,
  },
};

describe('models', () => {
  it('creates a model once and refuses the same name with 409', async () => {
    // Act
    const first = await h.call('POST', '/models', { name: 'dup', tags: { team: 'a' } });
    const second = await h.call('POST', '/models', { name: 'dup' });
    // Assess
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: 'dup', latestVersion: 0, createdBy: ALICE });
    expect(second).toEqual({
      status: 409,
      body: { error: { code: 'MODEL_EXISTS', message: 'model dup already exists' } },
    });
  });

  it('lists by name prefix and tag, page by page', async () => {
    // Prepare
    for (const n of ['list-a', 'list-b', 'list-c'])
      await createModel(n, { tags: { team: n === 'list-b' ? 'x' : 'y' } });
    // Act
    const page1 = await h.call('GET', '/models?prefix=list-&limit=2');
    const page2 = await h.call('GET', `/models?prefix=list-&limit=2&nextToken=${page1.body.nextToken}`);
    const tagged = await h.call('GET', '/models?prefix=list-&tag=team&tagValue=x');
    // Assess
    expect(page1.body.items.map((m: { name: string }) => m.name)).toEqual(['list-a', 'list-b']);
    expect(page2.body.items.map((m: { name: string }) => m.name)).toEqual(['list-c']);
    expect(page2.body.nextToken).toBeUndefined();
    expect(tagged.body.items.map((m: { name: string }) => m.name)).toEqual(['list-b']);
    expectReplyMatchesRoute('ListModels', page1);
  });

  it('filters on a tag key with colons, and a value with colons, whole', async () => {
    // Prepare
    await createModel('colon-a', { tags: { 'mlops:kind': 'prompt:chat' } });
    await createModel('colon-b', { tags: { 'mlops:kind': 'prompt' } });
    const q = (query: string) => h.call('GET', `/models?prefix=colon-&${query}`);

    // Act
    const byKey = await q(`tag=${encodeURIComponent('mlops:kind')}`);
    const byValue = await q(
      `tag=${encodeURIComponent('mlops:kind')}&tagValue=${encodeURIComponent('prompt:chat')}`,
    );
    const valueAlone = await q('tagValue=prompt');

    // Assess
    expect(byKey.body.items.map((m: { name: string }) => m.name)).toEqual(['colon-a', 'colon-b']);
    expect(byValue.body.items.map((m: { name: string }) => m.name)).toEqual(['colon-a']);
    expect([valueAlone.status, valueAlone.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
  });

  it('updates description and tags and records before and after', async () => {
    await createModel('upd');
    const res = await h.call('PATCH', '/models/upd', { description: 'new', tags: { k: 'v' } });
    expect(res.body).toMatchObject({ description: 'new', tags: { k: 'v' } });
    const audit = await h.call('GET', '/models/upd/audit');
    expect(audit.body.items[0]).toMatchObject({
      action: 'ModelUpdated',
      actor: ALICE,
      before: { description: '', tags: {} },
      after: { description: 'new', tags: { k: 'v' } },
    });
    expectReplyMatchesRoute('UpdateModel', res);
    expectReplyMatchesRoute('ListAudit', audit);
  });

  it('fails bad input with 400 naming the field, and writes nothing', async () => {
    // Act
    const res = await h.call('POST', '/models', { name: 'bad name!' });
    const badJson = await h.call('POST', '/models', '{"name":');
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(res.body.error.message).toMatch(/^body\.name: /);
    expect(badJson.body.error.code).toBe('INVALID_JSON');
    expect((await h.call('GET', '/models/bad%20name!')).status).toBe(400);
  });

  it('answers 404 for an unknown model', async () => {
    const res = await h.call('GET', '/models/nope');
    expect(res).toEqual({
      status: 404,
      body: { error: { code: 'MODEL_NOT_FOUND', message: 'model nope does not exist' } },
    });
  });

  it('refuses to delete a model with a Production version, then deletes it once archived', async () => {
    // Prepare
    await createModel('del');
    const v = await readyVersion('del', goodEvidence);
    await h.call('POST', `/models/del/versions/${v}/stage`, { stage: 'Production' });
    expect((await h.call('PUT', '/models/del/aliases/champion', { version: v })).status).toBe(200);
    // Act
    const refused = await h.call('DELETE', '/models/del');
    await h.call('POST', `/models/del/versions/${v}/stage`, { stage: 'Archived' });
    const deleted = await h.call('DELETE', '/models/del');
    // Assess
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('MODEL_IN_PRODUCTION');
    expectReplyMatchesRoute('DeleteModel', deleted);
    expect((await h.call('GET', '/models/del')).status).toBe(404);
    expect((await h.call('GET', `/models/del/versions/${v}`)).status).toBe(404);
    const history = await h.call('GET', '/models/del/audit');
    expect(history.body.items[0].action).toBe('ModelDeleted');
    // A model created again under the name inherits nothing: no alias, no version.
    await createModel('del');
    const alias = await h.call('GET', '/models/del/aliases/champion');
    expect(alias).toMatchObject({ status: 404, body: { error: { code: 'ALIAS_NOT_FOUND' } } });
  });
});

describe('versions', () => {
  // 40 at once: every lost race costs a transaction, so n racing registrations of one model cost
  // about n^2/2 of them; 100 on a loaded 2-core machine ran past the test's time (the contention
  // itself is measured by `npm run bench -- registration`).
  it('gives 40 concurrent registrations versions 1..40, each exactly once', async () => {
    // Prepare
    const RACING = 40;
    await createModel('race');
    const bytes = Buffer.from('same artifact');
    // Act
    // Each as a careful client sends it: keyed, and sent again on the 409 that asks for a retry
    // (a registration that kept losing races for 20 s on a loaded machine) or on a 503.
    const register = async (i: number) => {
      for (let attempt = 1; ; attempt++) {
        const reply = await h.call(
          'POST',
          '/models/race/versions',
          { artifact: artifact(bytes) },
          { 'idempotency-key': `race-${i}` },
        );
        const retry =
          reply.status >= 500 ||
          (reply.status === 409 && reply.body?.error?.code === 'CONCURRENT_MODIFICATION');
        if (!retry || attempt >= 5) return reply;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    };
    const results = await Promise.all(Array.from({ length: RACING }, (_, i) => register(i)));
    // Assess
    expect(results.filter((r) => r.status !== 201).map((r) => r.body)).toEqual([]);
    const numbers = results.map((r) => r.body.version.version).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: RACING }, (_, i) => i + 1));
    const listed: number[] = [];
    let token: string | undefined;
    do {
      const page = await h.call(
        'GET',
        `/models/race/versions?limit=100${token ? `&nextToken=${token}` : ''}`,
      );
      listed.push(...page.body.items.map((v: { version: number }) => v.version));
      token = page.body.nextToken;
    } while (token);
    expect(listed).toEqual(numbers);
    expect((await h.call('GET', '/models/race')).body.latestVersion).toBe(RACING);
  });

  it('has one effect for a retried request with the same Idempotency-Key', async () => {
    // Prepare
    await createModel('idem');
    const body = { artifact: artifact(Buffer.from('x')) };
    const headers = { 'idempotency-key': 'retry-1' };
    // Act
    const first = await h.call('POST', '/models/idem/versions', body, headers);
    const retry = await h.call('POST', '/models/idem/versions', body, headers);
    const reused = await h.call('POST', '/models/idem/versions', { ...body, description: 'other' }, headers);
    // Assess
    expect(retry).toEqual(first);
    expectReplyMatchesRoute('RegisterVersion', retry);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const versions = await h.call('GET', '/models/idem/versions');
    expect(versions.body.items).toHaveLength(1);
    expectReplyMatchesRoute('ListVersions', versions);
    const audit = await h.call('GET', '/models/idem/audit');
    expect(
      audit.body.items.filter((a: { action: string }) => a.action === 'ModelVersionRegistered'),
    ).toHaveLength(1);
  });

  it('does not cache a failed response: a retry after fixing the cause succeeds', async () => {
    const headers = { 'idempotency-key': 'create-late' };
    const first = await h.call(
      'POST',
      '/models/late/versions',
      { artifact: artifact(Buffer.from('y')) },
      headers,
    );
    await createModel('late');
    const retry = await h.call(
      'POST',
      '/models/late/versions',
      { artifact: artifact(Buffer.from('y')) },
      headers,
    );
    expect(first.status).toBe(404);
    expect(retry.status).toBe(201);
  });

  it('never makes a version READY when the stored bytes differ from the declared sha256', async () => {
    // Prepare
    await createModel('hash');
    const declared = Buffer.from('the real model');
    const reg = await h.call('POST', '/models/hash/versions', { artifact: artifact(declared) });
    const { bucket, key } = reg.body.version.artifact;
    await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from('tampered model') }));
    // Act
    const verify = await h.call('POST', '/models/hash/versions/1/verify');
    const again = await h.call('POST', '/models/hash/versions/1/verify');
    const alias = await h.call('PUT', '/models/hash/aliases/champion', { version: 1 });
    // Assess
    expect(verify.status).toBe(422);
    expect(verify.body.error.code).toBe('ARTIFACT_HASH_MISMATCH');
    expect(again.body.error.code).toBe('VERSION_FAILED');
    expect(alias.body.error.code).toBe('VERSION_NOT_READY');
    expect((await h.call('GET', '/models/hash/versions/1')).body.status).toBe('FAILED');
  });

  it('fails a version whose artifact was never uploaded', async () => {
    await createModel('missing');
    await h.call('POST', '/models/missing/versions', { artifact: artifact(Buffer.from('z')) });
    const verify = await h.call('POST', '/models/missing/versions/1/verify');
    expect(verify.body.error.code).toBe('ARTIFACT_MISSING');
    expect((await h.call('GET', '/models/missing/versions/1')).body.status).toBe('FAILED');
  });

  it('records lineage and refuses a parent version that does not exist', async () => {
    await createModel('lineage');
    const bad = await h.call('POST', '/models/lineage/versions', {
      artifact: artifact(Buffer.from('l')),
      lineage: { parentVersion: 7 },
    });
    expect(bad.body.error.code).toBe('VERSION_NOT_FOUND');
    const lineage = { trainingRunId: 'run-1', datasetUri: 's3://d/train.parquet', codeRevision: 'abc123' };
    const ok = await h.call('POST', '/models/lineage/versions', {
      artifact: artifact(Buffer.from('l')),
      lineage,
    });
    expect(ok.body.version.lineage).toEqual(lineage);
    expect(ok.body.version.version).toBe(1);
  });
});

describe('stages and governance', () => {
  it('refuses Production listing every failed check, and changes nothing', async () => {
    // Prepare
    await createModel('gov');
    const v = await readyVersion('gov', { metrics: { accuracy: 0.8 } });
    const auditBefore = (await h.call('GET', '/models/gov/audit')).body.items;
    // Act
    const res = await h.call('POST', `/models/gov/versions/${v}/stage`, { stage: 'Production' });
    // Assess
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('GOVERNANCE_CHECKS_FAILED');
    expect(res.body.error.details.failed.map((c: { check: string }) => c.check)).toEqual([
      'metricFloor:accuracy',
      'fairness:demographicParityDifference',
      'modelCard',
      'securityScan',
      'loadTest',
    ]);
    expect((await h.call('GET', `/models/gov/versions/${v}`)).body.stage).toBe('None');
    expect((await h.call('GET', '/models/gov')).body.productionVersions).toBe(0);
    expect((await h.call('GET', '/models/gov/audit')).body.items).toEqual(auditBefore);
  });

  it('promotes once the evidence is in, archiving the previous Production version', async () => {
    // Prepare
    await createModel('promo');
    const v1 = await readyVersion('promo', goodEvidence);
    const v2 = await readyVersion('promo', { metrics: { accuracy: 0.95 } });
    await h.call('POST', `/models/promo/versions/${v1}/stage`, { stage: 'Production' });
    const refused = await h.call('POST', `/models/promo/versions/${v2}/stage`, { stage: 'Production' });
    const patched = await h.call('PATCH', `/models/promo/versions/${v2}`, {
      governance: goodEvidence.governance,
    });
    // Act
    const res = await h.call('POST', `/models/promo/versions/${v2}/stage`, {
      stage: 'Production',
      archiveExistingVersions: true,
    });
    // Assess
    expect(refused.status).toBe(422);
    expect(res.status).toBe(200);
    expect((await h.call('GET', `/models/promo/versions/${v1}`)).body.stage).toBe('Archived');
    expect((await h.call('GET', `/models/promo/versions/${v2}`)).body.stage).toBe('Production');
    expect((await h.call('GET', '/models/promo')).body.productionVersions).toBe(1);
    expectReplyMatchesRoute('UpdateVersion', patched);
    expectReplyMatchesRoute('TransitionStage', res);
    expectReplyMatchesRoute('GetVersion', await h.call('GET', `/models/promo/versions/${v2}`));
    expectReplyMatchesRoute('GetModel', await h.call('GET', '/models/promo'));
    expectReplyMatchesRoute('GetArtifact', await h.call('GET', `/models/promo/versions/${v2}/artifact`));
  });

  it('applies a per-model governance override', async () => {
    await createModel('lenient', {
      governance: { metricFloors: { accuracy: 0.5 }, requireLoadTest: false, requireSecurityScan: false },
    });
    const v = await readyVersion('lenient', {
      metrics: { accuracy: 0.6 },
      governance: { modelCardUrl: 'https://example.com/c', demographicParityDifference: 0.01 },
    });
    const res = await h.call('POST', `/models/lenient/versions/${v}/stage`, { stage: 'Production' });
    expect(res.status).toBe(200);
  });
});

describe('aliases', () => {
  it('sets, resolves, moves and deletes an alias', async () => {
    // Prepare
    await createModel('al');
    const v1 = await readyVersion('al');
    const v2 = await readyVersion('al');
    // Act
    await h.call('PUT', '/models/al/aliases/champion', { version: v1 });
    const moved = await h.call('PUT', '/models/al/aliases/champion', { version: v2 });
    const resolved = await h.call('GET', '/models/al/aliases/champion');
    const listed = await h.call('GET', '/models/al/aliases');
    const deleted = await h.call('DELETE', '/models/al/aliases/champion');
    const gone = await h.call('GET', '/models/al/aliases/champion');
    // Assess
    expect(moved.body).toMatchObject({ alias: 'champion', version: v2 });
    expect(resolved.body.modelVersion).toMatchObject({ version: v2, status: 'READY' });
    expect(listed.body.items).toHaveLength(1);
    expect(deleted.status).toBe(204);
    expect(gone.body.error.code).toBe('ALIAS_NOT_FOUND');
    expectReplyMatchesRoute('SetAlias', moved);
    expectReplyMatchesRoute('GetAlias', resolved);
    expectReplyMatchesRoute('ListAliases', listed);
    expectReplyMatchesRoute('DeleteAlias', deleted);
    const audit = (await h.call('GET', '/models/al/audit')).body.items;
    expect(audit[1]).toMatchObject({
      action: 'ModelAliasSet',
      before: { version: v1 },
      after: { version: v2 },
    });
  });

  it('refuses an alias to a version that does not exist', async () => {
    await createModel('al2');
    const res = await h.call('PUT', '/models/al2/aliases/champion', { version: 3 });
    expect(res.status).toBe(404);
  });
});

describe("a model's registered feature list (read by predictions for enrichment)", () => {
  it('comes from the mlops:features tag, in order, and is absent without it', async () => {
    // Prepare
    const { RegistryModelFeatures } = await import('../../lambdas/serving/adapters/registry-model-features');
    const { registryReaderFromEnv } = await import('../../lambdas/registry');
    await createModel('enriched', {
      tags: { 'mlops:features': 'driver_stats:conv_rate, driver_stats:trips' },
    });
    await createModel('plain');
    const reader = new RegistryModelFeatures(registryReaderFromEnv());
    // Act and assess
    expect(await reader.featureRefs('enriched')).toEqual(['driver_stats:conv_rate', 'driver_stats:trips']);
    expect(await reader.featureRefs('plain')).toBeUndefined();
    expect(await reader.featureRefs('missing')).toBeUndefined();
  });

  it('is cached per container until the TTL passes', async () => {
    // Prepare
    const { RegistryModelFeatures } = await import('../../lambdas/serving/adapters/registry-model-features');
    const { registryReaderFromEnv } = await import('../../lambdas/registry');
    await createModel('cached', { tags: { 'mlops:features': 'v:a' } });
    let now = 0;
    const reader = new RegistryModelFeatures(registryReaderFromEnv(), 1000, () => now);
    // Act
    const first = await reader.featureRefs('cached');
    await h.call('PATCH', '/models/cached', { tags: { 'mlops:features': 'v:a,v:b' } });
    const cached = await reader.featureRefs('cached');
    now = 1001;
    const fresh = await reader.featureRefs('cached');
    // Assess
    expect([first, cached, fresh]).toEqual([['v:a'], ['v:a'], ['v:a', 'v:b']]);
  });
});
