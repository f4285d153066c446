/**
 * Domain-level idempotency of the registry over DynamoDB Local: a keyed request whose effect
 * committed but whose answer was never stored (a crash: Powertools' record left in progress, then
 * expired) is answered from the record written with the effect when retried, never applied twice
 * nor refused; and racing archives into Staging leave exactly one version there.
 */
import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RegistryEvent } from '../../contracts/events';
import { IDEMPOTENCY_TABLE, REGISTRY_TABLE, registryKeys } from '../../contracts/tables';
import { dynamoDbClient } from '../../lambdas/shared/clients';
import { type Harness, startHarness } from '../helpers/registry-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h?.stop());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const promotable = {
  metrics: { accuracy: 0.92 },
  governance: {
    modelCardUrl: 'https://example.com/card',
    securityScan: 'PASSED',
    loadTest: 'PASSED',
    demographicParityDifference: 0.05,
  },
};

async function readyVersion(name: string): Promise<number> {
  const bytes = Buffer.from(`model ${name} ${Math.random()}`);
  const reg = await h.call('POST', `/models/${name}/versions`, {
    artifact: { sha256: sha256(bytes), sizeBytes: bytes.length },
    ...promotable,
  });
  expect(reg.status).toBe(201);
  const { bucket, key } = reg.body.version.artifact;
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
  expect((await h.call('POST', `/models/${name}/versions/${reg.body.version.version}/verify`)).status).toBe(
    200,
  );
  return reg.body.version.version;
}

/**
 * What a crash between the effect's commit and the answer leaves: Powertools' record of every
 * keyed request in progress, its in-progress lease run out. A retry then gets past it.
 */
async function crashLeftRequestsInProgress(): Promise<void> {
  const db = DynamoDBDocumentClient.from(dynamoDbClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const out = await db.send(new ScanCommand({ TableName: IDEMPOTENCY_TABLE.id }));
  for (const item of out.Items ?? []) {
    if (String(item.id).startsWith('effect#')) continue;
    const { data: _data, ...rest } = item;
    await db.send(
      new PutCommand({
        TableName: IDEMPOTENCY_TABLE.id,
        Item: { ...rest, status: 'INPROGRESS', in_progress_expiration: Date.now() - 1_000 },
      }),
    );
  }
}

const keyed = (key: string) => ({ 'idempotency-key': key });

describe('a keyed retry after a crash', () => {
  it('answers a registration with its first answer and registers no second version', async () => {
    // Prepare
    expect((await h.call('POST', '/models', { name: 'crash-reg' })).status).toBe(201);
    const body = { artifact: { sha256: 'a'.repeat(64), sizeBytes: 10 }, description: 'once' };
    const first = await h.call('POST', '/models/crash-reg/versions', body, keyed('reg-1'));
    expect(first.status).toBe(201);
    await crashLeftRequestsInProgress();
    // Act
    const retry = await h.call('POST', '/models/crash-reg/versions', body, keyed('reg-1'));
    // Assess
    expect(retry).toEqual(first);
    const versions = await h.call('GET', '/models/crash-reg/versions');
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([1]);
    const next = await h.call('POST', '/models/crash-reg/versions', body, keyed('reg-2'));
    expect(next.body.version.version).toBe(2);
  });

  it('answers a stage change that took effect with its first answer, not 409 STAGE_UNCHANGED', async () => {
    // Prepare
    expect((await h.call('POST', '/models', { name: 'crash-stage' })).status).toBe(201);
    const v = await readyVersion('crash-stage');
    const move = { stage: 'Staging', archiveExistingVersions: true };
    const first = await h.call('POST', `/models/crash-stage/versions/${v}/stage`, move, keyed('stage-1'));
    expect(first.status).toBe(200);
    await crashLeftRequestsInProgress();
    // Act
    const retry = await h.call('POST', `/models/crash-stage/versions/${v}/stage`, move, keyed('stage-1'));
    // Assess
    expect(retry).toEqual(first);
    const audit = await h.call('GET', '/models/crash-stage/audit?limit=100');
    const stageChanges = audit.body.items.filter(
      (a: { action: string }) => a.action === RegistryEvent.MODEL_VERSION_STAGE_CHANGED,
    );
    expect(stageChanges).toHaveLength(1);
  });

  it('does not move an alias back: the first move is answered, the later move stands', async () => {
    // Prepare
    expect((await h.call('POST', '/models', { name: 'crash-alias' })).status).toBe(201);
    const v1 = await readyVersion('crash-alias');
    const v2 = await readyVersion('crash-alias');
    const first = await h.call(
      'PUT',
      '/models/crash-alias/aliases/champion',
      { version: v1 },
      keyed('alias-1'),
    );
    expect(first.status).toBe(200);
    expect(
      (await h.call('PUT', '/models/crash-alias/aliases/champion', { version: v2 }, keyed('alias-2'))).status,
    ).toBe(200);
    await crashLeftRequestsInProgress();
    // Act
    const retry = await h.call(
      'PUT',
      '/models/crash-alias/aliases/champion',
      { version: v1 },
      keyed('alias-1'),
    );
    // Assess
    expect(retry).toEqual(first);
    expect((await h.call('GET', '/models/crash-alias/aliases/champion')).body.version).toBe(v2);
    const audit = await h.call('GET', '/models/crash-alias/audit?limit=100');
    const moves = audit.body.items.filter(
      (a: { action: string }) => a.action === RegistryEvent.MODEL_ALIAS_SET,
    );
    expect(moves).toHaveLength(2);
  });

  it('answers a model creation and a deletion with their first answers', async () => {
    // Prepare
    const created = await h.call('POST', '/models', { name: 'crash-model' }, keyed('model-1'));
    expect(created.status).toBe(201);
    const deleted = await h.call('DELETE', '/models/crash-model', undefined, keyed('model-del-1'));
    expect(deleted.status).toBe(204);
    await crashLeftRequestsInProgress();
    // Act
    const deleteRetry = await h.call('DELETE', '/models/crash-model', undefined, keyed('model-del-1'));
    const createRetry = await h.call('POST', '/models', { name: 'crash-model' }, keyed('model-1'));
    // Assess
    expect(deleteRetry.status).toBe(204);
    expect(createRetry).toEqual(created);
    expect((await h.call('GET', '/models/crash-model')).status).toBe(404);
  });

  it('refuses the key with another request (422), even once only the effect record holds it', async () => {
    // Prepare
    expect((await h.call('POST', '/models', { name: 'crash-reuse' })).status).toBe(201);
    const body = { artifact: { sha256: 'b'.repeat(64), sizeBytes: 10 } };
    expect((await h.call('POST', '/models/crash-reuse/versions', body, keyed('reuse-1'))).status).toBe(201);
    await crashLeftRequestsInProgress();
    // Act
    const other = await h.call(
      'POST',
      '/models/crash-reuse/versions',
      { ...body, description: 'another request' },
      keyed('reuse-1'),
    );
    // Assess
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await h.call('GET', '/models/crash-reuse/versions')).body.items).toHaveLength(1);
  });
});

describe('concurrent transitions to Staging with archiveExistingVersions', () => {
  it('leave exactly one version in Staging, its count on the model, each archive in the audit trail', async () => {
    // Prepare: 20 READY versions, none in Staging
    expect((await h.call('POST', '/models', { name: 'race-staging' })).status).toBe(201);
    const numbers: number[] = [];
    for (let i = 0; i < 20; i++) numbers.push(await readyVersion('race-staging'));
    // Act
    const answers = await Promise.all(
      numbers.map((v) =>
        h.call('POST', `/models/race-staging/versions/${v}/stage`, {
          stage: 'Staging',
          archiveExistingVersions: true,
        }),
      ),
    );
    // Assess
    expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    const stages = await Promise.all(
      numbers.map(async (v) => (await h.call('GET', `/models/race-staging/versions/${v}`)).body.stage),
    );
    expect(stages.filter((s) => s === 'Staging')).toHaveLength(1);
    expect((await h.call('GET', '/models/race-staging')).body.stagingVersions).toBe(1);
    const audit = await h.call('GET', '/models/race-staging/audit?limit=100');
    const changes = audit.body.items.filter(
      (a: { action: string }) => a.action === RegistryEvent.MODEL_VERSION_STAGE_CHANGED,
    );
    const accepted = answers.filter((a) => a.status === 200).length;
    // Each accepted move wrote one record, and every version it replaced one archive record.
    expect(changes.filter((c: { after: { stage: string } }) => c.after.stage === 'Staging')).toHaveLength(
      accepted,
    );
    expect(changes.filter((c: { after: { stage: string } }) => c.after.stage === 'Archived')).toHaveLength(
      accepted - 1,
    );
  });
});

describe('a model registered before the Staging count', () => {
  it('is counted once on its first transition, then racing archives into Staging leave one version there', async () => {
    // Prepare: one version in Staging, then the count removed, as models made before it have none
    expect((await h.call('POST', '/models', { name: 'legacy-staging' })).status).toBe(201);
    const numbers: number[] = [];
    for (let i = 0; i < 8; i++) numbers.push(await readyVersion('legacy-staging'));
    const staged = await h.call('POST', `/models/legacy-staging/versions/${numbers[0]}/stage`, {
      stage: 'Staging',
    });
    expect(staged.status).toBe(200);
    const db = DynamoDBDocumentClient.from(dynamoDbClient(), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    await db.send(
      new UpdateCommand({
        TableName: REGISTRY_TABLE.id,
        Key: registryKeys.model('legacy-staging'),
        UpdateExpression: 'REMOVE stagingVersions',
      }),
    );
    expect((await h.call('GET', '/models/legacy-staging')).body.stagingVersions).toBeUndefined();
    // Act
    const answers = await Promise.all(
      numbers.slice(1).map((v) =>
        h.call('POST', `/models/legacy-staging/versions/${v}/stage`, {
          stage: 'Staging',
          archiveExistingVersions: true,
        }),
      ),
    );
    // Assess: some archive went through (none would without the count), one version in Staging
    expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    expect(answers.some((a) => a.status === 200)).toBe(true);
    const stages = await Promise.all(
      numbers.map(async (v) => (await h.call('GET', `/models/legacy-staging/versions/${v}`)).body.stage),
    );
    expect(stages.filter((s) => s === 'Staging')).toHaveLength(1);
    expect((await h.call('GET', '/models/legacy-staging')).body.stagingVersions).toBe(1);
  });
});
