import {
  CreateFeatureViewRequest,
  type FeatureView,
  GetOnlineFeaturesRequest,
  GetOnlineFeaturesResponse,
} from '../../../contracts/features';
import {
  FeatureNameCollisionError,
  FeatureNotFoundError,
  FeatureViewNotFoundError,
  ValidationFailedError,
} from '../../../lambdas/features/domain/errors';
import {
  buildOnlineResponse,
  formatFeastTimestamp,
  isNewerWrite,
  isOutsideMaxAge,
  latestPerItem,
  newerWinsCondition,
  type OnlineItem,
  onlineItemKey,
  planOnlineLookup,
  serializeEntityKey,
} from '../../../lambdas/features/domain/online';

const NOW = Date.parse('2024-03-01T12:00:00Z');
const HOUR = 3_600_000;

function view(spec: Record<string, unknown>): FeatureView {
  const req = CreateFeatureViewRequest.parse(spec);
  return { ...req, version: 1, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z' };
}
const drivers = view({
  name: 'driver_stats',
  entities: [{ name: 'driver_id', valueType: 'int64' }],
  features: [
    { name: 'conv_rate', dtype: 'float64' },
    { name: 'trips', dtype: 'int64' },
    { name: 'tier', dtype: 'string' },
  ],
  ttlSeconds: 3600,
});
const pairs = view({
  name: 'customer_driver',
  entities: [
    { name: 'driver_id', valueType: 'int64' },
    { name: 'customer_id', valueType: 'string' },
  ],
  features: [{ name: 'trips', dtype: 'int64' }],
});
const views = new Map([drivers, pairs].map((v) => [v.name, v]));

describe('online item keys', () => {
  it('sorts join keys, tags types and escapes separators', () => {
    // Prepare
    const entities = pairs.entities;

    // Act
    const a = serializeEntityKey(entities, { driver_id: 7, customer_id: 'a|b=c%' });
    const b = serializeEntityKey([...entities].reverse(), { customer_id: 'a|b=c%', driver_id: 7 });

    // Assess
    expect(a).toBe('customer_id=s:a%7Cb%3Dc%25|driver_id=i:7');
    expect(b).toBe(a);
  });

  it('keeps int 1001 and string "1001" apart, and prefixes the view', () => {
    // Prepare
    const asString = [{ name: 'driver_id', valueType: 'string' as const }];

    // Act
    const intKey = onlineItemKey(drivers, { driver_id: 1001 });
    const stringKey = onlineItemKey({ name: 'driver_stats', entities: asString }, { driver_id: '1001' });

    // Assess
    expect(intKey).toBe('driver_stats#driver_id=i:1001');
    expect(stringKey).toBe('driver_stats#driver_id=s:1001');
  });
});

describe('newer wins', () => {
  it.each([
    ['no item yet', { eventTimestampMs: 5 }, undefined, true],
    [
      'a later event',
      { eventTimestampMs: 6, createdTimestampMs: 1 },
      { eventTimestampMs: 5, createdTimestampMs: 9 },
      true,
    ],
    [
      'an older event',
      { eventTimestampMs: 4, createdTimestampMs: 9 },
      { eventTimestampMs: 5, createdTimestampMs: 1 },
      false,
    ],
    [
      'an equal event written later',
      { eventTimestampMs: 5, createdTimestampMs: 2 },
      { eventTimestampMs: 5, createdTimestampMs: 1 },
      true,
    ],
    [
      'an equal event written earlier',
      { eventTimestampMs: 5, createdTimestampMs: 1 },
      { eventTimestampMs: 5, createdTimestampMs: 2 },
      false,
    ],
    [
      'a replay of the same row',
      { eventTimestampMs: 5, createdTimestampMs: 1 },
      { eventTimestampMs: 5, createdTimestampMs: 1 },
      true,
    ],
  ])('decides %s', (_case, incoming, existing, expected) => {
    // Prepare, Act
    const replace = isNewerWrite(incoming, existing);

    // Assess
    expect(replace).toBe(expected);
  });

  it('states the rule as a DynamoDB condition expression', () => {
    // Prepare
    const stamp = { eventTimestampMs: 1_709_290_000_000, createdTimestampMs: 1_709_290_100_000 };

    // Act
    const condition = newerWinsCondition(stamp, { eventTimestamp: 'ets', createdTimestamp: 'cts' });

    // Assess
    expect(condition).toEqual({
      conditionExpression: 'attribute_not_exists(#ets) OR #ets < :ets OR (#ets = :ets AND #cts <= :cts)',
      expressionAttributeNames: { '#ets': 'ets', '#cts': 'cts' },
      expressionAttributeValues: { ':ets': stamp.eventTimestampMs, ':cts': stamp.createdTimestampMs },
    });
  });

  it('collapses an out-of-order batch to the newest row per key', () => {
    // Prepare
    const row = (id: number, ts: number, trips: number) => ({
      entityKey: { driver_id: id },
      eventTimestampMs: ts,
      createdTimestampMs: 100,
      values: { trips },
    });
    const rows = [row(1, 20, 1), row(2, 5, 2), row(1, 10, 3), row(1, 20, 4)];

    // Act
    const latest = latestPerItem(drivers, rows);

    // Assess
    expect([...latest.keys()]).toEqual(['driver_stats#driver_id=i:1', 'driver_stats#driver_id=i:2']);
    expect(latest.get('driver_stats#driver_id=i:1')?.values.trips).toBe(4);
  });
});

describe('isOutsideMaxAge', () => {
  it.each([
    ['just inside the TTL', HOUR - 1, 3600, false],
    ['exactly at the TTL', HOUR, 3600, false],
    ['just outside the TTL', HOUR + 1, 3600, true],
    ['a year old with TTL 0 (no expiry)', 365 * 24 * HOUR, 0, false],
    ['in the future (within skew)', -60_000, 3600, false],
  ])('is %p for %s', (_case, ageMs, ttlSeconds, expected) => {
    // Prepare, Act
    const outside = isOutsideMaxAge(NOW - ageMs, ttlSeconds, NOW);

    // Assess
    expect(outside).toBe(expected);
  });
});

describe('planOnlineLookup and buildOnlineResponse', () => {
  const item = (ageMs: number, values: OnlineItem['values']): OnlineItem => ({
    values,
    eventTimestampMs: NOW - ageMs,
    createdTimestampMs: NOW - ageMs,
  });

  it("answers in Feast's shape: entity columns first, one vector per feature, statuses per value", () => {
    // Prepare
    const request = GetOnlineFeaturesRequest.parse({
      features: ['driver_stats:conv_rate', 'driver_stats:trips', 'driver_stats:tier'],
      entities: { driver_id: [1001, 1002, 1003, 1001] },
    });
    const items = new Map([
      ['driver_stats#driver_id=i:1001', item(HOUR, { conv_rate: 0.5, trips: 3, tier: null })],
      // Written before `tier` was added to the view, and past the TTL.
      [
        'driver_stats#driver_id=i:1003',
        { values: { conv_rate: 0.25, trips: 9 }, eventTimestampMs: NOW - HOUR - 250 },
      ],
    ]);

    // Act
    const plan = planOnlineLookup(views, request);
    const response = buildOnlineResponse(plan, items, NOW);

    // Assess
    expect(plan.reads[0].distinctKeys).toHaveLength(3);
    expect(GetOnlineFeaturesResponse.parse(response)).toEqual(response);
    const fresh = '2024-03-01T11:00:00Z';
    const stale = '2024-03-01T10:59:59.750Z';
    const zero = '1970-01-01T00:00:00Z';
    expect(response).toEqual({
      metadata: { feature_names: ['driver_id', 'conv_rate', 'trips', 'tier'] },
      results: [
        {
          values: [1001, 1002, 1003, 1001],
          statuses: ['PRESENT', 'PRESENT', 'PRESENT', 'PRESENT'],
          event_timestamps: [zero, zero, zero, zero],
        },
        {
          values: [0.5, null, 0.25, 0.5],
          statuses: ['PRESENT', 'NOT_FOUND', 'OUTSIDE_MAX_AGE', 'PRESENT'],
          event_timestamps: [fresh, zero, stale, fresh],
        },
        {
          values: [3, null, 9, 3],
          statuses: ['PRESENT', 'NOT_FOUND', 'OUTSIDE_MAX_AGE', 'PRESENT'],
          event_timestamps: [fresh, zero, stale, fresh],
        },
        {
          values: [null, null, null, null],
          statuses: ['PRESENT', 'NOT_FOUND', 'NOT_FOUND', 'PRESENT'],
          event_timestamps: [fresh, zero, stale, fresh],
        },
      ],
    });
  });

  it('joins several views on their own keys and names columns view__feature on request', () => {
    // Prepare
    const request = GetOnlineFeaturesRequest.parse({
      features: ['customer_driver:trips', 'driver_stats:trips'],
      entities: { customer_id: ['c1', 'c2'], driver_id: [7, 7] },
      full_feature_names: true,
    });
    const items = new Map([
      ['customer_driver#customer_id=s:c2|driver_id=i:7', item(400 * 24 * HOUR, { trips: 2 })],
      ['driver_stats#driver_id=i:7', item(0, { trips: 50 })],
    ]);

    // Act
    const response = buildOnlineResponse(planOnlineLookup(views, request), items, NOW);

    // Assess
    expect(response.metadata.feature_names).toEqual([
      'customer_id',
      'driver_id',
      'customer_driver__trips',
      'driver_stats__trips',
    ]);
    // customer_driver has TTL 0: a 400-day-old value is still PRESENT.
    expect(response.results[2]).toMatchObject({ values: [null, 2], statuses: ['NOT_FOUND', 'PRESENT'] });
    expect(response.results[3]).toMatchObject({ values: [50, 50], statuses: ['PRESENT', 'PRESENT'] });
  });

  it.each([
    [
      'an unknown view',
      { features: ['nope:trips'], entities: { driver_id: [1] } },
      FeatureViewNotFoundError,
      404,
    ],
    [
      'an unknown feature',
      { features: ['driver_stats:nope'], entities: { driver_id: [1] } },
      FeatureNotFoundError,
      404,
    ],
    [
      'two features of one name without full names',
      {
        features: ['driver_stats:trips', 'customer_driver:trips'],
        entities: { driver_id: [1], customer_id: ['c'] },
      },
      FeatureNameCollisionError,
      422,
    ],
    [
      'a missing entity column',
      { features: ['customer_driver:trips'], entities: { driver_id: [1] } },
      ValidationFailedError,
      422,
    ],
    [
      'a string for an int64 key',
      { features: ['driver_stats:trips'], entities: { driver_id: ['1'] } },
      ValidationFailedError,
      422,
    ],
    [
      'an entity column no view uses',
      { features: ['driver_stats:trips'], entities: { driver_id: [1], driverid: [1] } },
      ValidationFailedError,
      422,
    ],
  ])('fails on %s', (_case, body, errorClass, status) => {
    // Prepare
    const request = GetOnlineFeaturesRequest.parse(body);

    // Act
    const act = () => planOnlineLookup(views, request);

    // Assess
    expect(act).toThrow(errorClass);
    expect(act).toThrow(expect.objectContaining({ status }));
  });
});

describe('formatFeastTimestamp', () => {
  it.each([
    [0, '1970-01-01T00:00:00Z'],
    [Date.parse('2021-12-31T23:00:00Z'), '2021-12-31T23:00:00Z'],
    [Date.parse('2021-12-31T23:00:00.042Z'), '2021-12-31T23:00:00.042Z'],
  ])('formats %p as %p', (ms, expected) => {
    // Prepare, Act
    const text = formatFeastTimestamp(ms);

    // Assess
    expect(text).toBe(expected);
  });
});
