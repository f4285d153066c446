/**
 * The registry service other capabilities use, built from env as their functions build it, over
 * DynamoDB Local and s3rver: the configured governance policy is the one it enforces, tagging
 * merges, its checks refuse with the same code and message as the registry API, and the
 * read-only reader sees what the API wrote.
 */
import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { GovernanceEvidence } from '../../contracts/registry';
import {
  type RegistryReader,
  type RegistryService,
  registryReaderFromEnv,
  registryServiceFromEnv,
} from '../../lambdas/registry';
import type { PlatformError } from '../../lambdas/shared/errors';
import { ALICE, type Harness, startHarness } from '../helpers/registry-harness';

let h: Harness;
let registry: RegistryService;
let reader: RegistryReader;
beforeAll(async () => {
  // The harness sets the env (tables, bucket, a policy with an accuracy floor of 0.85).
  h = await startHarness();
  registry = registryServiceFromEnv();
  reader = registryReaderFromEnv();
}, 60_000);
afterAll(() => h?.stop());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const EVIDENCE: GovernanceEvidence = {
  modelCardUrl: 'https://example.com/card',
  securityScan: 'PASSED',
  loadTest: 'PASSED',
  demographicParityDifference: 0.05,
};

/** A model with one READY version carrying `metrics` and `tags`; returns the version number. */
async function readyVersion(
  name: string,
  body: { metrics?: Record<string, number>; tags?: Record<string, string> } = {},
): Promise<number> {
  await h.call('POST', '/models', { name });
  const bytes = Buffer.from(`model ${name} ${Math.random()}`);
  const reg = await h.call('POST', `/models/${name}/versions`, {
    artifact: { sha256: sha256(bytes), sizeBytes: bytes.length },
    metrics: body.metrics ?? { accuracy: 0.92 },
    tags: body.tags ?? {},
    governance: EVIDENCE,
  });
  expect(reg.status).toBe(201);
  const { bucket, key } = reg.body.version.artifact;
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
  await h.call('POST', `/models/${name}/versions/${reg.body.version.version}/verify`);
  return reg.body.version.version;
}

/** The error a promise rejects with, as the API would render it. */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as PlatformError | undefined;
  if (!err) throw new Error('expected a refusal');
  return { code: err.code, message: err.message };
}

describe('registryServiceFromEnv', () => {
  it('is built once per container', () => {
    expect(registryServiceFromEnv()).toBe(registry);
  });

  it('carries the configured governance policy, not the default', () => {
    expect(registry.policy).toMatchObject({
      metricFloors: { accuracy: 0.85 },
      maxDemographicParityDifference: 0.1,
    });
  });

  it('fails a version below the configured floor, which the default policy would pass', async () => {
    // Prepare
    const version = await readyVersion('floored', { metrics: { accuracy: 0.8 } });
    // Act
    const refused = await refusal(registry.requirePromotable('floored', version));
    // Assess
    expect(refused).toEqual({
      code: 'GOVERNANCE_CHECKS_FAILED',
      message: 'floored version 1 failed 1 governance check(s): metricFloor:accuracy',
    });
  });
});

describe('tagVersion', () => {
  it('merges: sets the given tags and keeps every other', async () => {
    // Prepare
    const version = await readyVersion('tagged', { tags: { team: 'risk', stage: 'dev' } });
    // Act
    await registry.tagVersion(
      'tagged',
      version,
      { stage: 'prod', profile: 's3://b/p.json' },
      { principal: ALICE },
    );
    // Assess
    expect((await registry.getVersion('tagged', version))?.tags).toEqual({
      team: 'risk',
      stage: 'prod',
      profile: 's3://b/p.json',
    });
  });

  it('is audited as a version update, with the tags before and after', async () => {
    // Prepare
    const version = await readyVersion('audited-tags', { tags: { team: 'risk' } });
    // Act
    await registry.tagVersion('audited-tags', version, { owner: 'ml' }, { principal: ALICE });
    // Assess
    const audit = await h.call('GET', '/models/audited-tags/audit');
    expect(audit.body.items[0]).toMatchObject({
      action: 'ModelVersionUpdated',
      actor: ALICE,
      before: { tags: { team: 'risk' } },
      after: { tags: { team: 'risk', owner: 'ml' } },
    });
  });
});

describe('requirePromotable', () => {
  it('returns a READY version that passes governance', async () => {
    const version = await readyVersion('promotable');
    expect(await registry.requirePromotable('promotable', version)).toMatchObject({ status: 'READY' });
  });

  it.each([
    ['a missing model', 'nobody', 1, 'MODEL_NOT_FOUND', '/models/nobody'],
    ['a missing version', 'promotable', 9, 'VERSION_NOT_FOUND', '/models/promotable/versions/9'],
  ])('fails for %s with the registry API code and message', async (_what, name, version, code, path) => {
    // Act
    const refused = await refusal(registry.requirePromotable(name, version));
    const api = await h.call('GET', path);
    // Assess
    expect(api.body.error.code).toBe(code);
    expect(refused).toEqual(api.body.error);
  });

  it('fails for a version not READY with the message setting an alias to it gets', async () => {
    // Prepare
    await h.call('POST', '/models', { name: 'pending' });
    await h.call('POST', '/models/pending/versions', {
      artifact: { sha256: sha256(Buffer.from('x')), sizeBytes: 1 },
    });
    // Act
    const refused = await refusal(registry.requirePromotable('pending', 1));
    const api = await h.call('PUT', '/models/pending/aliases/champion', { version: 1 });
    // Assess
    expect(refused).toEqual({ code: 'VERSION_NOT_READY', message: 'pending version 1 is PENDING_UPLOAD' });
    expect(api.body.error).toEqual(refused);
  });
});

describe('registerStored and promote', () => {
  it('stores the bytes, makes the version READY, then promotes it to the Production champion', async () => {
    // Prepare
    await h.call('POST', '/models', { name: 'stored' });
    const bytes = Buffer.from('onnx bytes');
    // Act
    const version = await registry.registerStored(
      'stored',
      {
        description: 'retrained',
        metrics: { accuracy: 0.9 },
        params: {},
        tags: {},
        lineage: {},
        governance: EVIDENCE,
        artifact: {
          sha256: sha256(bytes),
          sizeBytes: bytes.length,
          fileName: 'model.onnx',
          contentType: 'application/octet-stream',
        },
      },
      bytes,
      { principal: ALICE },
    );
    await registry.promote('stored', version.version, { principal: ALICE, requestId: 'r1' });
    // A retried promotion changes nothing.
    await registry.promote('stored', version.version, { principal: ALICE, requestId: 'r1' });
    // Assess
    expect(version.status).toBe('READY');
    expect(await reader.champion('stored')).toMatchObject({ version: version.version, stage: 'Production' });
  });
});

describe('registryReaderFromEnv', () => {
  it('reads what the API wrote', async () => {
    // Prepare
    await h.call('POST', '/models', { name: 'read-me', tags: { 'mlops:features': 'v:a' } });
    // Act
    const model = await reader.getModel('read-me');
    // Assess
    expect(model?.tags).toEqual({ 'mlops:features': 'v:a' });
    expect(await reader.getModel('absent')).toBeUndefined();
    expect(await reader.aliasVersion('read-me', 'champion')).toBeUndefined();
  });
});
