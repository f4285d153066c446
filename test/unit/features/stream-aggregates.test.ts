/**
 * Online equals offline for stream views: a seeded stream of 100,000 events over four shards (late
 * arrivals, nulls, several entities per shard) is delivered as Lambda would, in batches of random
 * size per one-minute tumbling window, with retries after failed flushes and a whole-shard replay;
 * the tiles the ingestion stores give, for every entity at every minute, the value computed from
 * the rows the same ingestion landed offline, and a second delivery order gives the same tiles.
 */
import type { StreamSource } from '../../../contracts/feature-streams';
import type { FeatureRow, FeatureView } from '../../../contracts/features';
import {
  applyContribution,
  type DeadLetters,
  emptyWindowState,
  ingestStreamBatch,
  type StreamIngestDeps,
  type StreamRecordIn,
  type StreamTileStore,
  type StreamWindowState,
  type TileBucket,
} from '../../../lambdas/features/domain/stream-ingest';
import {
  addToTile,
  emptyTile,
  mergeTile,
  pointInTimeAggregate,
  type StreamEvent,
  type Tile,
  windowValues,
} from '../../../lambdas/features/domain/stream-tiles';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const SHARDS = [
  'shardId-000000000000',
  'shardId-000000000001',
  'shardId-000000000002',
  'shardId-000000000003',
];

const SOURCE: StreamSource = {
  type: 'stream',
  allowedLatenessSeconds: 120,
  aggregations: [
    { function: 'count', windowSeconds: 300 },
    { function: 'sum', field: 'amount', windowSeconds: 300 },
    { function: 'mean', field: 'amount', windowSeconds: 300 },
    { function: 'min', field: 'amount', windowSeconds: 3600 },
    { function: 'max', field: 'amount', windowSeconds: 7200 },
    { function: 'last', field: 'merchant', windowSeconds: 60 },
    { function: 'count', field: 'amount', windowSeconds: 900 },
  ],
};

const VIEW: FeatureView = {
  name: 'user_txn',
  entities: [{ name: 'user_id', valueType: 'int64' }],
  features: [
    { name: 'amount', dtype: 'float64', required: false, description: '' },
    { name: 'merchant', dtype: 'string', required: false, description: '' },
  ],
  ttlSeconds: 0,
  owner: '',
  description: '',
  tags: {},
  source: SOURCE,
  version: 1,
  createdAt: new Date(T0).toISOString(),
  updatedAt: new Date(T0).toISOString(),
};

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Put {
  readonly shard: string;
  readonly seq: string;
  readonly arrivalMs: number;
  readonly data: string;
}

/** The event set: entity, event time, arrival (5% past the lateness), amount in eighths or null. */
function makePuts(n: number, entities: number, seed: number, exactAmounts: boolean): Record<string, Put[]> {
  const r = rng(seed);
  const spanMs = 3 * 3_600_000;
  const raw = Array.from({ length: n }, () => {
    const user = Math.floor(r() * entities);
    const eventMs = T0 + Math.floor(r() * spanMs);
    const delayMs = r() < 0.05 ? 121_000 + Math.floor(r() * 600_000) : Math.floor(r() * 30_000);
    const amount = r() < 0.05 ? null : exactAmounts ? Math.floor(r() * 8000) / 8 : r() * 1000;
    const merchant = `m${Math.floor(r() * 7)}`;
    return { user, eventMs, arrivalMs: eventMs + delayMs, amount, merchant };
  });
  const byShard: Record<string, Put[]> = Object.fromEntries(SHARDS.map((s) => [s, []]));
  raw.sort((a, b) => a.arrivalMs - b.arrivalMs);
  const counters = SHARDS.map(() => 0);
  for (const e of raw) {
    const i = e.user % SHARDS.length;
    counters[i] += 1 + Math.floor(r() * 3);
    byShard[SHARDS[i]].push({
      shard: SHARDS[i],
      seq: `4959${String(counters[i]).padStart(20, '0')}`,
      arrivalMs: e.arrivalMs,
      data: JSON.stringify({
        feature_view: 'user_txn',
        user_id: e.user,
        event_timestamp: new Date(e.eventMs).toISOString(),
        amount: e.amount,
        merchant: e.merchant,
      }),
    });
  }
  return byShard;
}

/** The tile table in memory, through the same merge rule; fails some merges when asked. */
class MemoryTiles implements StreamTileStore {
  readonly items = new Map<string, TileBucket>();
  constructor(private readonly fail: () => boolean = () => false) {}
  async highWaterMarks(keys: readonly string[], shardId: string) {
    const out = new Map<string, string>();
    for (const k of keys) {
      const h = this.items.get(k)?.hwm[shardId];
      if (h !== undefined) out.set(k, h);
    }
    return out;
  }
  async merge(key: string, c: Parameters<StreamTileStore['merge']>[1]) {
    if (this.fail()) throw new Error('injected: throttled');
    const next = applyContribution(key, this.items.get(key), c);
    if (next === 'duplicate') return 'duplicate' as const;
    this.items.set(key, next);
    return 'applied' as const;
  }
  async read(keys: readonly string[]) {
    return new Map(keys.flatMap((k) => (this.items.has(k) ? [[k, this.items.get(k)!] as const] : [])));
  }
}

/** Delivers the puts as Lambda's tumbling windows would, with failures retried from the same state. */
async function deliver(puts: Record<string, Put[]>, seed: number) {
  const r = rng(seed);
  const tiles = new MemoryTiles(() => r() < 0.02);
  const offline: FeatureRow[] = [];
  let late = 0;
  const deps: StreamIngestDeps = {
    views: { get: async (name) => (name === VIEW.name ? VIEW : undefined) },
    offline: {
      append: async (_view, rows) => {
        offline.push(...rows);
        return [];
      },
    },
    tiles,
    deadLetters: { put: async () => {} } satisfies DeadLetters,
    now: () => new Date(T0 + 4 * 3_600_000),
  };
  const call = async (
    shardId: string,
    records: StreamRecordIn[],
    state: StreamWindowState,
    flush: boolean,
  ) => {
    for (;;) {
      try {
        const out = await ingestStreamBatch(deps, { shardId, records, state, flush });
        late += out.late;
        return out.state;
      } catch {
        // Lambda retries the batch with the state it had before it.
      }
    }
  };
  // Shards progress independently: interleave their windows at random.
  const cursors = SHARDS.map((s) => ({ shard: s, puts: puts[s], at: 0, state: emptyWindowState() }));
  while (cursors.some((c) => c.at < c.puts.length)) {
    const open = cursors.filter((c) => c.at < c.puts.length);
    const c = open[Math.floor(r() * open.length)];
    const window = Math.floor(c.puts[c.at].arrivalMs / 60_000);
    let end = c.at;
    while (end < c.puts.length && Math.floor(c.puts[end].arrivalMs / 60_000) === window) end++;
    const inWindow = c.puts.slice(c.at, end).map((p) => ({
      sequenceNumber: p.seq,
      arrivalTimestampMs: p.arrivalMs,
      data: p.data,
    }));
    for (let i = 0; i < inWindow.length; ) {
      const size = 1 + Math.floor(r() * 200);
      c.state = await call(c.shard, inWindow.slice(i, i + size), c.state, false);
      i += size;
    }
    c.state = await call(c.shard, [], c.state, true);
    c.state = emptyWindowState();
    c.at = end;
  }
  // A replay of one shard from its start (a new consumer at TRIM_HORIZON) adds nothing.
  const replay = puts[SHARDS[1]].map((p) => ({
    sequenceNumber: p.seq,
    arrivalTimestampMs: p.arrivalMs,
    data: p.data,
  }));
  for (let i = 0; i < replay.length; i += 500) {
    await call(SHARDS[1], replay.slice(i, i + 500), emptyWindowState(), true);
  }
  return { tiles, offline, late };
}

/** An entity's tiles by start, gathered from its buckets. */
function entityTiles(tiles: MemoryTiles, user: number): Map<number, Tile> {
  const out = new Map<number, Tile>();
  for (const [key, bucket] of tiles.items) {
    if (!key.startsWith(`user_txn#user_id=i:${user}#`)) continue;
    for (const [start, tile] of Object.entries(bucket.tiles)) out.set(Number(start), tile);
  }
  return out;
}

function offlineEvents(rows: readonly FeatureRow[]): Map<number, StreamEvent[]> {
  const out = new Map<number, StreamEvent[]>();
  for (const row of rows) {
    const user = row.entityKey.user_id as number;
    const list = out.get(user) ?? [];
    list.push({
      id: row.values.event_id as string,
      entityKey: row.entityKey,
      eventTimestampMs: row.eventTimestampMs,
      arrivalTimestampMs: row.createdTimestampMs!,
      values: row.values,
    });
    out.set(user, list);
  }
  return out;
}

function expectClose(actual: Record<string, unknown>, expected: Record<string, unknown>, where: string) {
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name];
    if (typeof want === 'number' && typeof got === 'number' && name.includes('_mean_')) {
      const ok = Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want));
      if (!ok) throw new Error(`${where} ${name}: online ${got}, offline ${want}`);
    } else if (got !== want) {
      throw new Error(`${where} ${name}: online ${String(got)}, offline ${String(want)}`);
    }
  }
}

describe('stream feature views: online equals offline', () => {
  it('for every entity at every minute, over 100,000 events with late arrivals, retries and a replay', async () => {
    // Prepare
    const entities = 300;
    const puts = makePuts(100_000, entities, 16, true);

    // Act
    const first = await deliver(puts, 1);
    const second = await deliver(puts, 2);

    // Assess: the same event set in another delivery order gives the same tiles.
    expect(second.tiles.items.size).toBe(first.tiles.items.size);
    for (const [key, bucket] of first.tiles.items) {
      expect(second.tiles.items.get(key)?.tiles).toEqual(bucket.tiles);
    }
    // Every delivered event landed offline (repeats included; readers keep one row per event_id).
    expect(new Set(first.offline.map((r) => r.values.event_id)).size).toBe(100_000);
    expect(first.late).toBeGreaterThan(0);
    const events = offlineEvents(first.offline);
    let checked = 0;
    for (let user = 0; user < entities; user++) {
      const tiles = entityTiles(first.tiles, user);
      const mine = events.get(user) ?? [];
      const sample = user % 25 === 0;
      for (let minute = 0; minute <= 200; minute += sample ? 1 : 37) {
        const at = T0 + minute * 60_000 + 59_999;
        expectClose(
          windowValues(SOURCE, tiles, at),
          pointInTimeAggregate(SOURCE, mine, at),
          `user ${user} at ${at}`,
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('agrees on sum and mean within 1e-12 relative for arbitrary doubles', async () => {
    // Prepare
    const puts = makePuts(10_000, 40, 7, false);

    // Act
    const { tiles, offline } = await deliver(puts, 3);

    // Assess
    const events = offlineEvents(offline);
    for (let user = 0; user < 40; user++) {
      const at = T0 + 95 * 60_000 + 59_999;
      const online = windowValues(SOURCE, entityTiles(tiles, user), at);
      const want = pointInTimeAggregate(SOURCE, events.get(user) ?? [], at);
      for (const name of ['amount_sum_5m', 'amount_mean_5m']) {
        const w = want[name] as number | null;
        if (w === null) expect(online[name]).toBeNull();
        else
          expect(Math.abs((online[name] as number) - w)).toBeLessThanOrEqual(
            1e-12 * Math.max(1, Math.abs(w)),
          );
      }
    }
  });

  it('merges tiles in any order to the same value', () => {
    // Prepare
    const events: StreamEvent[] = [5, 1, 9, 1].map((amount, i) => ({
      id: `shardId-0:${i + 1}`,
      entityKey: { user_id: 1 },
      eventTimestampMs: T0 + (i % 2 === 1 ? 9000 : i * 1000),
      arrivalTimestampMs: T0 + 5000,
      values: { amount, merchant: `m${i}` },
    }));
    const one = emptyTile();
    const two = emptyTile();
    for (const [i, e] of events.entries()) addToTile(i % 2 ? one : two, ['amount', 'merchant'], e);

    // Act
    const ab = mergeTile(mergeTile(emptyTile(), one), two);
    const ba = mergeTile(mergeTile(emptyTile(), two), one);

    // Assess: the tie at T0 goes to the larger sequence number.
    expect(ab).toEqual(ba);
    expect(ab.fields.merchant.last?.v).toBe('m3');
    expect(ab.fields.amount).toMatchObject({ n: 4, sum: 16, min: 1, max: 9 });
  });
});
