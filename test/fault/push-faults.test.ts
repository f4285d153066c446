/**
 * Pushes under faults at the feature store's adapter seams: 20% of DynamoDB and S3 calls
 * throttled, failing, slow or losing their answer (seeded), while clients push concurrently, each
 * push with an Idempotency-Key and retried with it on a 5xx. Then invariants: every acknowledged
 * row offline and the newest online, no manifest entry naming a missing file (no partial push
 * visible), and a row written twice by a retried push identical to its first copy (so
 * point-in-time joins, which read one copy of a tie, see the push once). No 500 ever.
 */
import type { FeatureView } from '../../contracts/features';
import { onlineItemKey } from '../../lambdas/features/domain/online';
import { dynamoDbClient } from '../../lambdas/shared/clients';
import { s3Client } from '../../lambdas/shared/s3-client';
import { type FeaturesHarness, startFeaturesHarness } from '../helpers/features-harness';
import { type FaultStats, injectFaults, newFaultStats, seededRandom } from './fault-injection';

const SEED = Number(process.env.MLOPS_FAULT_SEED ?? 22);
const PUSHES = 30;
const DRIVERS = 12;
const VIEW = 'faulty_drivers';

let h: FeaturesHarness;
const stats: FaultStats = newFaultStats();
const removers: Array<() => void> = [];
beforeAll(async () => {
  h = await startFeaturesHarness();
  const view = {
    name: VIEW,
    entities: [{ name: 'driver_id', valueType: 'int64' }],
    features: [{ name: 'trips', dtype: 'float64' }],
    ttlSeconds: 86_400,
  };
  expect((await h.call('POST', '/feature-views', view)).status).toBe(201);
  const random = seededRandom(SEED);
  removers.push(injectFaults(dynamoDbClient(), { rate: 0.2, random, stats, name: 'faultsDynamoDb' }));
  removers.push(injectFaults(s3Client(), { rate: 0.2, random, stats, name: 'faultsS3' }));
}, 60_000);
afterAll(async () => {
  for (const remove of removers) remove();
  await h?.stop();
});

interface Row {
  driver_id: number;
  event_timestamp: string;
  trips: number;
}

it('keeps every acknowledged push whole, online and offline, with 20% of storage calls failing', async () => {
  // Prepare: each push its own rows; event times distinct per push and driver.
  const random = seededRandom(SEED + 1);
  const base = Date.now() - 3_600_000;
  const pushes = Array.from({ length: PUSHES }, (_, p) => ({
    key: `push-${SEED}-${p}`,
    rows: Array.from({ length: 4 }, (_, r) => ({
      driver_id: 1 + Math.floor(random() * DRIVERS),
      event_timestamp: new Date(base + p * 1_000 + r).toISOString(),
      trips: p * 10 + r,
    })) as Row[],
  }));
  const statuses: number[] = [];
  const acked = new Set<string>();
  // Act: eight clients at a time, each push retried with its key until it has an answer.
  const queue = [...pushes];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let push = queue.shift(); push; push = queue.shift()) {
        for (let attempt = 0; attempt < 15; attempt++) {
          const reply = await h.call(
            'POST',
            '/push',
            { featureView: VIEW, rows: push.rows },
            { 'idempotency-key': push.key },
          );
          statuses.push(reply.status);
          if (reply.status === 200) acked.add(push.key);
          const busy = reply.status === 409 && reply.body?.error?.code === 'IDEMPOTENCY_IN_PROGRESS';
          if (reply.status < 500 && !busy) break;
          await new Promise((r) => setTimeout(r, Math.min(1_000, 50 * 2 ** attempt)));
        }
      }
    }),
  );
  for (const remove of removers.splice(0)) remove();

  // Assess
  const violations: string[] = [];
  const view = (await h.stores.views.get(VIEW)) as FeatureView;
  const offline = new Map<string, number[]>(); // driver@ms -> every copy's trips
  for (const file of await h.stores.offline.listFiles(VIEW)) {
    let rows: Awaited<ReturnType<typeof h.stores.offline.readRows>> = [];
    try {
      rows = await h.stores.offline.readRows(view, file);
    } catch (err) {
      violations.push(`manifest entry ${file.key} unreadable: ${(err as Error).message}`);
    }
    for (const row of rows) {
      const id = `${row.entityKey.driver_id}@${row.eventTimestampMs}`;
      offline.set(id, [...(offline.get(id) ?? []), Number(row.values.trips)]);
    }
  }
  const newest = new Map<number, Row>();
  for (const push of pushes.filter((p) => acked.has(p.key))) {
    for (const row of push.rows) {
      const copies = offline.get(`${row.driver_id}@${Date.parse(row.event_timestamp)}`) ?? [];
      if (copies.length === 0) violations.push(`${push.key}: row of driver ${row.driver_id} not offline`);
      if (copies.some((t) => t !== row.trips))
        violations.push(`${push.key}: copies ${copies} of ${row.trips}`);
      const held = newest.get(row.driver_id);
      if (!held || Date.parse(held.event_timestamp) < Date.parse(row.event_timestamp))
        newest.set(row.driver_id, row);
    }
  }
  const keys = [...newest.keys()].map((d) => onlineItemKey(view, { driver_id: d }));
  const online = await h.stores.online.read(keys, ['trips']);
  for (const [driver, row] of newest) {
    const item = online.get(onlineItemKey(view, { driver_id: driver }));
    // Newer-wins: a push never acknowledged may have written a newer row; never an older one.
    if (!item || item.eventTimestampMs < Date.parse(row.event_timestamp))
      violations.push(
        `driver ${driver}: online ${item?.eventTimestampMs}, acknowledged ${row.event_timestamp}`,
      );
  }
  const figures = {
    seed: SEED,
    requests: statuses.length,
    answers5xx: statuses.filter((s) => s >= 500).length,
    answers500: statuses.filter((s) => s === 500).length,
    pushesAcknowledged: acked.size,
    pushesGivenUp: PUSHES - acked.size,
    storageCalls: stats.calls,
    injected: stats.injected,
    violations: violations.length,
  };
  process.stdout.write(`push fault run: ${JSON.stringify(figures)}\n`);
  expect(violations).toEqual([]);
  expect(figures.answers500).toBe(0);
}, 180_000);
