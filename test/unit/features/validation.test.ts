import { CreateFeatureViewRequest } from '../../../contracts/features';
import { ValidationFailedError } from '../../../lambdas/features/domain/errors';
import { parseTimestamp, toFeatureRows, validateRows } from '../../../lambdas/features/domain/validation';

const NOW = Date.parse('2024-03-01T12:00:00Z');
const view = CreateFeatureViewRequest.parse({
  name: 'driver_stats',
  entities: [
    { name: 'driver_id', valueType: 'int64' },
    { name: 'city', valueType: 'string' },
  ],
  features: [
    { name: 'conv_rate', dtype: 'float64', required: true, min: 0, max: 1 },
    { name: 'trips', dtype: 'int64', min: 0 },
    { name: 'tier', dtype: 'string', allowedValues: ['gold', 'silver'] },
    { name: 'seats', dtype: 'int64', allowedValues: [2, 4, 7] },
    { name: 'active', dtype: 'bool' },
    { name: 'joined_at', dtype: 'timestamp' },
  ],
});
const good = { driver_id: 1001, city: 'paris', event_timestamp: '2024-03-01T11:00:00Z', conv_rate: 0.5 };

/** The problems of one row that differs from `good` by `change`. */
function problemsOf(change: Record<string, unknown>, skew?: number) {
  const row = Object.fromEntries(Object.entries({ ...good, ...change }).filter(([, v]) => v !== undefined));
  return validateRows(view, [row], { now: NOW, maxFutureSkewSeconds: skew });
}

describe('validateRows', () => {
  it('accepts a row that meets every rule', () => {
    // Prepare
    const row = { ...good, trips: 0, tier: 'gold', seats: 4, active: true, joined_at: 1_700_000_000 };

    // Act
    const problems = validateRows(view, [row], { now: NOW });

    // Assess
    expect(problems).toEqual([]);
  });

  it.each([
    ['entity key missing', { driver_id: undefined }, 'driver_id', 'REQUIRED'],
    ['int64 entity given as string', { driver_id: '1001' }, 'driver_id', 'TYPE'],
    ['int64 entity with a fraction', { driver_id: 1.5 }, 'driver_id', 'TYPE'],
    ['string entity given as number', { city: 7 }, 'city', 'TYPE'],
    ['string entity empty', { city: '' }, 'city', 'TYPE'],
    ['string entity too long', { city: 'x'.repeat(257) }, 'city', 'TOO_LONG'],
    ['event timestamp missing', { event_timestamp: undefined }, 'event_timestamp', 'REQUIRED'],
    [
      'event timestamp without zone',
      { event_timestamp: '2024-03-01T11:00:00' },
      'event_timestamp',
      'TIMESTAMP_FORMAT',
    ],
    [
      'event timestamp impossible date',
      { event_timestamp: '2024-02-30T00:00:00Z' },
      'event_timestamp',
      'TIMESTAMP_FORMAT',
    ],
    ['event timestamp before 1970', { event_timestamp: -5 }, 'event_timestamp', 'TIMESTAMP_FORMAT'],
    ['event timestamp in epoch millis', { event_timestamp: NOW }, 'event_timestamp', 'TIMESTAMP_IN_FUTURE'],
    [
      'event timestamp past the skew',
      { event_timestamp: '2024-03-01T12:05:00.001Z' },
      'event_timestamp',
      'TIMESTAMP_IN_FUTURE',
    ],
    [
      'created timestamp past the skew',
      { created_timestamp: '2024-03-02T00:00:00Z' },
      'created_timestamp',
      'TIMESTAMP_IN_FUTURE',
    ],
    ['required feature null', { conv_rate: null }, 'conv_rate', 'REQUIRED'],
    ['required feature missing', { conv_rate: undefined }, 'conv_rate', 'REQUIRED'],
    ['float64 given as string', { conv_rate: '0.5' }, 'conv_rate', 'TYPE'],
    ['int64 with a fraction', { trips: 2.5 }, 'trips', 'TYPE'],
    ['int64 beyond 2^53', { trips: 2 ** 53 }, 'trips', 'TYPE'],
    ['string given as number', { tier: 1 }, 'tier', 'TYPE'],
    ['bool given as string', { active: 'true' }, 'active', 'TYPE'],
    ['timestamp not parseable', { joined_at: 'yesterday' }, 'joined_at', 'TYPE'],
    ['below minimum', { conv_rate: -0.0001 }, 'conv_rate', 'MIN'],
    ['above maximum', { conv_rate: 1.0001 }, 'conv_rate', 'MAX'],
    ['string not allowed', { tier: 'platinum' }, 'tier', 'ALLOWED_VALUES'],
    ['int64 not allowed', { seats: 5 }, 'seats', 'ALLOWED_VALUES'],
    ['unknown column', { conv_rat: 0.5 }, 'conv_rat', 'UNKNOWN_FIELD'],
  ])('fails when %s', (_case, change, field, rule) => {
    // Prepare, Act
    const problems = problemsOf(change);

    // Assess
    expect(problems).toEqual([expect.objectContaining({ row: 0, field, rule, reason: expect.any(String) })]);
  });

  it.each([
    ['optional feature null', { trips: null }],
    ['optional feature missing', { tier: undefined }],
    ['value exactly at the minimum', { conv_rate: 0 }],
    ['value exactly at the maximum', { conv_rate: 1 }],
    ['float64 given an integer', { conv_rate: 1 }],
    ['event timestamp in epoch seconds', { event_timestamp: NOW / 1000 - 60 }],
    ['event timestamp with an offset', { event_timestamp: '2024-03-01T13:00:00+02:00' }],
    ['event timestamp exactly at the skew', { event_timestamp: '2024-03-01T12:05:00Z' }],
    ['allowed int64 value', { seats: 7 }],
    ['created timestamp given', { created_timestamp: '2024-03-01T11:30:00Z' }],
  ])('passes when %s', (_case, change) => {
    // Prepare, Act
    const problems = problemsOf(change);

    // Assess
    expect(problems).toEqual([]);
  });

  it('honours a custom skew', () => {
    // Prepare
    const oneMinuteAhead = { event_timestamp: '2024-03-01T12:01:00Z' };

    // Act
    const strict = problemsOf(oneMinuteAhead, 0);
    const lenient = problemsOf(oneMinuteAhead, 120);

    // Assess
    expect(strict.map((p) => p.rule)).toEqual(['TIMESTAMP_IN_FUTURE']);
    expect(lenient).toEqual([]);
  });

  it('lists every problem of every row, not just the first', () => {
    // Prepare
    const rows = [
      good,
      { ...good, driver_id: 'x', conv_rate: 2 },
      good,
      { ...good, event_timestamp: undefined, tier: 'bronze' },
    ];

    // Act
    const problems = validateRows(view, rows, { now: NOW });

    // Assess
    expect(problems.map((p) => [p.row, p.field, p.rule])).toEqual([
      [1, 'driver_id', 'TYPE'],
      [1, 'conv_rate', 'MAX'],
      [3, 'event_timestamp', 'REQUIRED'],
      [3, 'tier', 'ALLOWED_VALUES'],
    ]);
  });

  it('reads own columns only, so a feature named constructor is not found on Object.prototype', () => {
    // Prepare
    const odd = CreateFeatureViewRequest.parse({
      name: 'odd',
      entities: [{ name: 'id', valueType: 'int64' }],
      features: [{ name: 'constructor', dtype: 'float64', required: true }],
    });

    // Act
    const problems = validateRows(odd, [{ id: 1, event_timestamp: 0 }], { now: NOW });

    // Assess
    expect(problems.map((p) => [p.field, p.rule])).toEqual([['constructor', 'REQUIRED']]);
  });
});

describe('toFeatureRows', () => {
  it('refuses a batch with any bad row whole, naming every bad row', () => {
    // Prepare
    const rows = [good, { ...good, conv_rate: null }, good, { ...good, trips: -1 }, { ...good, city: 3 }];

    // Act
    const act = () => toFeatureRows(view, rows, { now: NOW });

    // Assess
    expect(act).toThrow(ValidationFailedError);
    try {
      act();
    } catch (error) {
      const e = error as ValidationFailedError;
      expect(e.status).toBe(422);
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(e.details).toMatchObject({ problemCount: 3, badRows: [1, 3, 4], truncated: false });
      expect(e.message).toContain('nothing was written');
    }
  });

  it('normalizes timestamps, fills optional features with null and stamps the write time', () => {
    // Prepare
    const rows = [
      {
        ...good,
        event_timestamp: '2024-03-01 13:00:00.123456789+02:00',
        joined_at: '2020-01-01T00:00:00+01:00',
      },
      { ...good, event_timestamp: 1_709_290_000.5, created_timestamp: '2024-03-01T11:59:00Z' },
    ];

    // Act
    const [first, second] = toFeatureRows(view, rows, { now: new Date(NOW) });

    // Assess
    expect(first).toEqual({
      entityKey: { driver_id: 1001, city: 'paris' },
      eventTimestampMs: Date.parse('2024-03-01T11:00:00.123Z'),
      createdTimestampMs: NOW,
      values: {
        conv_rate: 0.5,
        trips: null,
        tier: null,
        seats: null,
        active: null,
        joined_at: '2019-12-31T23:00:00.000Z',
      },
    });
    expect(second.eventTimestampMs).toBe(1_709_290_000_500);
    expect(second.createdTimestampMs).toBe(Date.parse('2024-03-01T11:59:00Z'));
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2024-03-01T12:00:00Z', Date.parse('2024-03-01T12:00:00Z')],
    ['2024-03-01t12:00z', Date.parse('2024-03-01T12:00:00Z')],
    ['2024-03-01T12:00:00.5-0130', Date.parse('2024-03-01T13:30:00.500Z')],
    ['2024-02-29T00:00:00Z', Date.parse('2024-02-29T00:00:00Z')],
    [0, 0],
    ['2023-02-29T00:00:00Z', undefined],
    ['2024-03-01T24:00:00Z', undefined],
    ['2024-03-01', undefined],
    ['1969-12-31T23:59:59Z', undefined],
    [true, undefined],
  ])('parses %p as %p', (input, expected) => {
    // Prepare, Act
    const ms = parseTimestamp(input);

    // Assess
    expect(ms).toBe(expected);
  });
});
