/**
 * A push is all or nothing: whatever refuses it (the schema, the view's rules, what DynamoDB can
 * store, a failed S3 write while committing offline), the offline bucket (data files and
 * manifest) and the online table are left exactly as they were.
 */
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ONLINE_STORE_TABLE } from '../../contracts/tables';
import { S3OfflineStore } from '../../lambdas/features/adapters/s3-offline-store';
import { pushRows } from '../../lambdas/features/domain/ingest';
import { documentClient } from '../../lambdas/shared/clients';
import { FEATURE_BUCKET, type FeaturesHarness, startFeaturesHarness } from '../helpers/features-harness';

let h: FeaturesHarness;
beforeAll(async () => {
  h = await startFeaturesHarness();
  const view = {
    name: 'atomic',
    entities: [{ name: 'driver_id', valueType: 'int64' }],
    features: [
      { name: 'conv_rate', dtype: 'float64', min: 0, max: 1 },
      { name: 'trips', dtype: 'float64' },
    ],
    ttlSeconds: 86_400,
  };
  expect((await h.call('POST', '/feature-views', view)).status).toBe(201);
  // Something to keep: a committed push before every refused one.
  expect((await h.call('POST', '/push', { featureView: 'atomic', rows: [row(1, 0.5)] })).status).toBe(200);
}, 60_000);
afterAll(() => h?.stop());

const DAY = 86_400_000;
function row(driver: number, convRate: number, trips: number = 3, ageMs = 3_600_000) {
  return {
    driver_id: driver,
    event_timestamp: new Date(Date.now() - ageMs).toISOString(),
    conv_rate: convRate,
    trips,
  };
}

/** Every object of the offline bucket and every online item. */
async function snapshot() {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await h.s3.send(
      new ListObjectsV2Command({ Bucket: FEATURE_BUCKET, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) keys.push(`${o.Key} ${o.ETag}`);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const items = await documentClient().send(new ScanCommand({ TableName: ONLINE_STORE_TABLE.id }));
  return { objects: keys.sort(), online: (items.Items ?? []).map((i) => JSON.stringify(i)).sort() };
}

describe('a refused push', () => {
  it.each([
    [
      'a number DynamoDB cannot store (schema)',
      { featureView: 'atomic', rows: [row(2, 0.1), row(3, 0.2, 1e200)] },
      400,
    ],
    ['a value against the view rules', { featureView: 'atomic', rows: [row(2, 0.1), row(3, 1.5)] }, 422],
    ['an unknown view', { featureView: 'no_such_view', rows: [row(2, 0.1)] }, 404],
  ])('for %s writes nothing offline or online', async (_reason, body, status) => {
    // Prepare
    const before = await snapshot();
    // Act
    const res = await h.call('POST', '/push', body);
    // Assess
    expect(res.status).toBe(status);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a number DynamoDB cannot store in the domain too (a caller that skips the schema)', async () => {
    // Prepare
    const before = await snapshot();
    // Act
    const pushed = pushRows(h.stores, { featureView: 'atomic', rows: [row(2, 0.1), row(3, 0.2, 1.5e-200)] });
    // Assess
    await expect(pushed).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { problems: [expect.objectContaining({ row: 1, field: 'trips', rule: 'RANGE' })] },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('whose offline commit fails part way leaves no data file and no manifest entry', async () => {
    // Prepare: rows on two event dates make two files; the second manifest entry fails
    const before = await snapshot();
    let manifestPuts = 0;
    const failing = {
      send: (command: unknown) => {
        if (command instanceof PutObjectCommand && command.input.Key?.includes('/manifest/')) {
          manifestPuts += 1;
          if (manifestPuts === 2) return Promise.reject(new Error('S3 unavailable'));
        }
        return h.s3.send(command as PutObjectCommand);
      },
    } as unknown as S3Client;
    const stores = { ...h.stores, offline: new S3OfflineStore({ client: failing, bucket: FEATURE_BUCKET }) };
    // Act
    const pushed = pushRows(stores, {
      featureView: 'atomic',
      rows: [row(4, 0.1, 1, 3_600_000), row(5, 0.2, 1, 2 * DAY)],
    });
    // Assess
    await expect(pushed).rejects.toThrow('S3 unavailable');
    expect(manifestPuts).toBe(2);
    expect(await snapshot()).toEqual(before);
    expect((await h.stores.offline.listFiles('atomic')).map((f) => f.rowCount)).toEqual([1]);
  });

  it('whose manifest write was applied but answered with an error leaves no entry naming a deleted file', async () => {
    // Prepare: the S3 write lands, then its answer is lost and the SDK's retries give up
    const before = await snapshot();
    const answerLost = {
      send: async (command: unknown) => {
        const out = await h.s3.send(command as PutObjectCommand);
        if (command instanceof PutObjectCommand && command.input.Key?.includes('/manifest/'))
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return out;
      },
    } as unknown as S3Client;
    const stores = {
      ...h.stores,
      offline: new S3OfflineStore({ client: answerLost, bucket: FEATURE_BUCKET }),
    };
    // Act
    const pushed = pushRows(stores, { featureView: 'atomic', rows: [row(6, 0.3)] });
    // Assess
    await expect(pushed).rejects.toThrow('socket hang up');
    expect(await snapshot()).toEqual(before);
  });
});
