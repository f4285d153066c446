import { CreateFeatureViewRequest, type FeatureRow, type FeatureView } from '../../../contracts/features';
import { ValidationFailedError } from '../../../lambdas/features/domain/errors';
import { resolveFeatureRefs } from '../../../lambdas/features/domain/online';
import {
  type EntityRow,
  pointInTimeJoin,
  toEntityRows,
} from '../../../lambdas/features/domain/point-in-time';

const T = Date.parse('2024-03-01T12:00:00Z');
const MIN = 60_000;

function view(
  name: string,
  ttlSeconds: number,
  entities = [{ name: 'driver_id', valueType: 'int64' }],
): FeatureView {
  const req = CreateFeatureViewRequest.parse({
    name,
    entities,
    ttlSeconds,
    features: [
      { name: 'trips', dtype: 'int64' },
      { name: 'tier', dtype: 'string' },
    ],
  });
  return { ...req, version: 1, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z' };
}
const drivers = view('driver_stats', 3600);
const views = new Map([drivers].map((v) => [v.name, v]));

function fr(
  id: number,
  eventMs: number,
  trips: number,
  createdMs?: number,
  tier: string | null = 'gold',
): FeatureRow {
  return {
    entityKey: { driver_id: id },
    eventTimestampMs: eventMs,
    createdTimestampMs: createdMs,
    values: { trips, tier },
  };
}
function er(id: number, atMs: number, extra: Record<string, unknown> = {}): EntityRow {
  return { fields: { driver_id: id, ...extra }, eventTimestampMs: atMs };
}
/** Trips joined for each entity row against driver_stats' history. */
function tripsAt(history: FeatureRow[], rows: EntityRow[], ttlView = drivers) {
  const features = resolveFeatureRefs(new Map([[ttlView.name, ttlView]]), ['driver_stats:trips'], false);
  return pointInTimeJoin(rows, features, new Map([['driver_stats', history]])).map((r) => r.features.trips);
}

describe('pointInTimeJoin', () => {
  it('takes the latest row at or before the entity time, never a later one', () => {
    // Prepare
    const history = [fr(1, T - 30 * MIN, 1), fr(1, T - 10 * MIN, 2), fr(1, T + MIN, 3), fr(1, T, 4)];

    // Act
    const trips = tripsAt(history, [er(1, T - 20 * MIN), er(1, T - 1), er(1, T), er(1, T + 5 * MIN)]);

    // Assess
    expect(trips).toEqual([1, 2, 4, 3]);
  });

  it('joins a row exactly one TTL old and drops one a millisecond older (inclusive edge, as Feast)', () => {
    // Prepare
    const history = [fr(1, T - 60 * MIN, 1), fr(2, T - 60 * MIN - 1, 2)];

    // Act
    const trips = tripsAt(history, [er(1, T), er(2, T), er(2, T - 1)]);

    // Assess
    expect(trips).toEqual([1, null, 2]);
  });

  it('never falls back to an older row when the latest is outside the TTL', () => {
    // Prepare
    const history = [fr(1, T - 3 * 60 * MIN, 1), fr(1, T - 2 * 60 * MIN, 2)];

    // Act
    const trips = tripsAt(history, [er(1, T)]);

    // Assess
    expect(trips).toEqual([null]);
  });

  it('joins any age when the TTL is 0', () => {
    // Prepare
    const history = [fr(1, 0, 1)];

    // Act
    const trips = tripsAt(history, [er(1, T)], view('driver_stats', 0));

    // Assess
    expect(trips).toEqual([1]);
  });

  it('breaks equal event times by the greatest created time, a missing one counting as earliest', () => {
    // Prepare
    const history = [
      fr(1, T, 1, T + 5),
      fr(1, T, 2, T + 9),
      fr(1, T, 3, T + 7),
      fr(2, T, 4, T + 1),
      fr(2, T, 5),
    ];

    // Act
    const trips = tripsAt(history, [er(1, T), er(2, T)]);

    // Assess
    expect(trips).toEqual([2, 4]);
  });

  it('gives a full tie (same event and created time) to the row that came last', () => {
    // Prepare
    const history = [fr(1, T, 1, T), fr(1, T, 2, T), fr(2, T, 3), fr(2, T, 4)];

    // Act
    const trips = tripsAt(history, [er(1, T), er(2, T)]);

    // Assess
    expect(trips).toEqual([2, 4]);
  });

  it('returns nulls for an entity with no history', () => {
    // Prepare
    const history = [fr(1, T - MIN, 1)];

    // Act
    const trips = tripsAt(history, [er(2, T)]);

    // Assess
    expect(trips).toEqual([null]);
  });

  it('joins late-arriving data by event time, and keeps a null value of the winning row', () => {
    // Prepare: the T - 5 min row was written two days after T; the T - 2 min row has no tier.
    const history = [
      fr(1, T - 5 * MIN, 1, T + 2 * 24 * 60 * MIN),
      fr(2, T - 9 * MIN, 2),
      fr(2, T - 2 * MIN, 3, T, null),
    ];
    const features = resolveFeatureRefs(views, ['driver_stats:trips', 'driver_stats:tier'], false);

    // Act
    const rows = pointInTimeJoin([er(1, T), er(2, T)], features, new Map([['driver_stats', history]]));

    // Assess
    expect(rows.map((r) => r.features)).toEqual([
      { trips: 1, tier: 'gold' },
      { trips: 3, tier: null },
    ]);
  });

  it('joins several views on their own keys and TTLs, keeping row order and passthrough columns', () => {
    // Prepare
    const pairs = view('customer_driver', 0, [
      { name: 'customer_id', valueType: 'string' },
      { name: 'driver_id', valueType: 'int64' },
    ]);
    const all = new Map([drivers, pairs].map((v) => [v.name, v]));
    const features = resolveFeatureRefs(all, ['customer_driver:trips', 'driver_stats:trips'], true);
    const history = new Map([
      ['driver_stats', [fr(7, T - 30 * MIN, 70), fr(7, T - 90 * MIN, 71)]],
      [
        'customer_driver',
        [
          {
            entityKey: { customer_id: 'c1', driver_id: 7 },
            eventTimestampMs: 0,
            values: { trips: 1, tier: 'a' },
          },
          {
            entityKey: { customer_id: 'c2', driver_id: 7 },
            eventTimestampMs: T + 1,
            values: { trips: 2, tier: 'b' },
          },
        ],
      ],
    ]);
    const rows = [
      er(7, T, { customer_id: 'c2', label: 1 }),
      er(7, T - 70 * MIN, { customer_id: 'c1', label: 0 }),
    ];

    // Act
    const joined = pointInTimeJoin(rows, features, history);

    // Assess
    expect(joined).toEqual([
      { ...rows[0], features: { customer_driver__trips: null, driver_stats__trips: 70 } },
      { ...rows[1], features: { customer_driver__trips: 1, driver_stats__trips: 71 } },
    ]);
  });
});

describe('toEntityRows', () => {
  it('parses event timestamps and keeps every column', () => {
    // Prepare
    const features = resolveFeatureRefs(views, ['driver_stats:trips'], false);

    // Act
    const rows = toEntityRows(features, [
      { driver_id: 1, event_timestamp: '2024-03-01T12:00:00Z', label: true },
    ]);

    // Assess
    expect(rows).toEqual([
      { fields: { driver_id: 1, event_timestamp: '2024-03-01T12:00:00Z', label: true }, eventTimestampMs: T },
    ]);
  });

  it('fails listing every row without a typed join key or a timestamp', () => {
    // Prepare
    const features = resolveFeatureRefs(views, ['driver_stats:trips'], false);
    const raw = [
      { driver_id: 1, event_timestamp: 'soon' },
      { event_timestamp: 0 },
      { driver_id: 2, event_timestamp: 0 },
    ];

    // Act
    const act = () => toEntityRows(features, raw);

    // Assess
    expect(act).toThrow(ValidationFailedError);
    expect(act).toThrow(expect.objectContaining({ details: expect.objectContaining({ badRows: [0, 1] }) }));
  });
});
