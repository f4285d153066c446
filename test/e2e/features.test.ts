/**
 * The README's feature-store walk-through against `npm start`'s entry point, over signed HTTP:
 * define a view, push rows, read them back in Feast's shape, see a bad batch refused whole,
 * build a training set, materialize a range, and find the view's events on the bus.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PlatformProcess, startPlatformProcess } from '../helpers/platform-process';
import { type SignedClient, signedClient } from '../helpers/signed-client';

const credentials = {
  accessKeyId: 'AKIALOCALE2EFEATURES',
  secretAccessKey: 'e2e-features-secret-e2e-features-secret-',
};

/** The platform as `npm start` runs it, in a child process. */
const startPlatform = (dataDir: string) => startPlatformProcess({ dataDir, credentials });

const until = async <T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
  let value = await read();
  for (let i = 0; i < 300 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
};

describe('feature store, end to end', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlops-e2e-features-'));
  let platform: PlatformProcess | undefined;
  let api: SignedClient;

  beforeAll(async () => {
    platform = await startPlatform(dataDir);
    api = signedClient(platform.url, credentials);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("runs the README's walk-through: define, push, look up, refuse, train, materialize", async () => {
    // 1. Define a view
    const view = await api.call('POST', '/feature-views', {
      name: 'driver_stats',
      entities: [{ name: 'driver_id', valueType: 'int64' }],
      features: [
        { name: 'conv_rate', dtype: 'float64', min: 0, max: 1, required: true },
        { name: 'trips', dtype: 'int64' },
      ],
      ttlSeconds: 86400,
    });
    expect(view.status).toBe(201);

    // 2. Push rows
    const push = await api.call(
      'POST',
      '/push',
      {
        featureView: 'driver_stats',
        rows: [
          { driver_id: 1001, event_timestamp: '2024-05-01T10:00:00Z', conv_rate: 0.61, trips: 12 },
          { driver_id: 1001, event_timestamp: '2024-05-01T11:00:00Z', conv_rate: 0.64, trips: 14 },
          { driver_id: 1002, event_timestamp: '2024-05-01T10:30:00Z', conv_rate: 0.42, trips: 3 },
        ],
      },
      { 'idempotency-key': 'push-2024-05-01' },
    );
    expect(push.body).toMatchObject({ rows: 3, onlineWritten: 2 });

    // 3. Read them back in Feast's shape (old rows: OUTSIDE_MAX_AGE past the one-day TTL, value kept)
    const online = await api.call('POST', '/get-online-features', {
      features: ['driver_stats:conv_rate', 'driver_stats:trips'],
      entities: { driver_id: [1001, 1002, 9999] },
    });
    expect(online.body.metadata.feature_names).toEqual(['driver_id', 'conv_rate', 'trips']);
    expect(online.body.results[1].values).toEqual([0.64, 0.42, null]);
    expect(online.body.results[1].statuses).toEqual(['OUTSIDE_MAX_AGE', 'OUTSIDE_MAX_AGE', 'NOT_FOUND']);
    expect(online.body.results[2].event_timestamps[0]).toBe('2024-05-01T11:00:00Z');

    // 4. A batch with a bad row is refused whole
    const refused = await api.call('POST', '/push', {
      featureView: 'driver_stats',
      rows: [
        { driver_id: 1003, event_timestamp: '2024-05-01T12:00:00Z', conv_rate: 0.5 },
        { driver_id: 1004, event_timestamp: '2024-05-01T12:00:00Z', conv_rate: 1.7 },
      ],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.badRows).toEqual([1]);

    // 5. A point-in-time training set
    const job = await api.call('POST', '/training-sets', {
      features: ['driver_stats:conv_rate', 'driver_stats:trips'],
      entityRows: [
        { driver_id: 1001, event_timestamp: '2024-05-01T10:30:00Z', label: 1 },
        { driver_id: 1002, event_timestamp: '2024-05-01T10:00:00Z', label: 0 },
      ],
    });
    expect(job.status).toBe(202);
    const done = await until(
      () => api.call('GET', `/training-sets/${job.body.jobId}`),
      (r) => ['SUCCEEDED', 'FAILED'].includes(r.body.status),
    );
    expect(done.body).toMatchObject({ status: 'SUCCEEDED', rowCount: 2 });

    // 6. Materialize a range (idempotent: a second run reports the same)
    const range = { start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z' };
    const first = await api.call('POST', '/feature-views/driver_stats/materialize', range);
    const second = await api.call('POST', '/feature-views/driver_stats/materialize', range);
    expect(first.body).toMatchObject({ rowsRead: 3, itemsConsidered: 2 });
    expect(second.body).toEqual(first.body);

    // 7. The view's creation went on the bus with the feature store's source
    const events = await until(
      () => api.call('GET', '/_local/events?detail-type=FeatureViewCreated'),
      (r) => r.body.items.length > 0,
    );
    expect(events.body.items[0]).toMatchObject({
      source: 'cdk-mlops.features',
      detail: { featureView: 'driver_stats' },
    });
  });

  it("runs the README's erasure walk-through: forget an entity, then refuse its replay", async () => {
    // 1. Some data about customers 1001 and 1002
    expect(
      (
        await api.call('POST', '/feature-views', {
          name: 'customer_stats',
          entities: [{ name: 'customer_id', valueType: 'int64' }],
          features: [{ name: 'spend', dtype: 'float64' }],
          ttlSeconds: 0,
        })
      ).status,
    ).toBe(201);
    const rows = [
      { customer_id: 1001, event_timestamp: '2024-05-01T10:00:00Z', spend: 12.5 },
      { customer_id: 1002, event_timestamp: '2024-05-01T10:00:00Z', spend: 3.0 },
    ];
    expect((await api.call('POST', '/push', { featureView: 'customer_stats', rows })).status).toBe(200);

    // 2. Forget 1001: 202, PENDING, run by the erasure worker invoked asynchronously
    const accepted = await api.call(
      'POST',
      '/privacy/erasures',
      { entities: { customer_id: [1001] }, inferenceIds: ['req-1'], reason: 'DSR-42' },
      { 'Idempotency-Key': 'dsr-42' },
    );
    expect(accepted.status).toBe(202);
    expect(accepted.body.status).toBe('PENDING');

    // 3. Its status until COMPLETED, with the receipt
    const done = await until(
      () => api.call('GET', `/privacy/erasures/${accepted.body.erasureId}`),
      (r) => r.body.status === 'COMPLETED' || r.body.status === 'FAILED',
    );
    expect(done.body).toMatchObject({
      status: 'COMPLETED',
      result: { onlineItemsDeleted: 1, offlineFilesRewritten: 1, offlineRowsRemoved: 1 },
    });

    // 4. Gone online, 1002 untouched; a replayed push of 1001 is refused
    const lookup = await api.call('POST', '/get-online-features', {
      features: ['customer_stats:spend'],
      entities: { customer_id: [1001, 1002] },
    });
    expect(lookup.body.results[1]).toMatchObject({ values: [null, 3], statuses: ['NOT_FOUND', 'PRESENT'] });
    const replay = await api.call('POST', '/push', { featureView: 'customer_stats', rows: [rows[0]] });
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('ENTITY_ERASED');

    // The receipt reached the bus through the outbox, without the key
    const events = await until(
      () => api.call('GET', '/_local/events'),
      (r) => JSON.stringify(r.body).includes('EntityErased"'),
    );
    const privacy = JSON.stringify(events.body).split('"source":"cdk-mlops.privacy"').slice(1);
    expect(privacy).toHaveLength(2);
    expect(privacy.join('')).not.toMatch(/customer_id.{0,5}1001/);
  }, 120_000);
});
