import {
  CreateFeatureViewRequest,
  GetOnlineFeaturesRequest,
  MAX_LOOKUP_ENTITIES,
  MAX_PUSH_ROWS,
  PushRequest,
  TrainingSetRequest,
} from '../../../contracts/features';

const view = {
  name: 'driver_stats',
  entities: [{ name: 'driver_id', valueType: 'int64' }],
  features: [{ name: 'conv_rate', dtype: 'float64' }],
};

describe('CreateFeatureViewRequest', () => {
  it('fills defaults as Feast does: TTL 0 (no expiry), push source, optional features', () => {
    // Prepare, Act
    const parsed = CreateFeatureViewRequest.parse(view);

    // Assess
    expect(parsed).toEqual({
      ...view,
      features: [{ name: 'conv_rate', dtype: 'float64', required: false, description: '' }],
      ttlSeconds: 0,
      owner: '',
      description: '',
      tags: {},
      source: { type: 'push' },
    });
  });

  it.each([
    ['an uppercase name', { ...view, name: 'DriverStats' }],
    ['a feature named like an entity', { ...view, features: [{ name: 'driver_id', dtype: 'int64' }] }],
    ['a reserved column name', { ...view, features: [{ name: 'event_timestamp', dtype: 'timestamp' }] }],
    ['a repeated feature', { ...view, features: [view.features[0], view.features[0]] }],
    ['min on a string', { ...view, features: [{ name: 'tier', dtype: 'string', min: 0 }] }],
    ['min above max', { ...view, features: [{ name: 'rate', dtype: 'float64', min: 2, max: 1 }] }],
    [
      'allowed values on a float',
      { ...view, features: [{ name: 'rate', dtype: 'float64', allowedValues: [1] }] },
    ],
    [
      'allowed values of the wrong type',
      { ...view, features: [{ name: 'tier', dtype: 'string', allowedValues: [1] }] },
    ],
    ['an unknown entity type', { ...view, entities: [{ name: 'driver_id', valueType: 'float64' }] }],
    ['a negative TTL', { ...view, ttlSeconds: -1 }],
    ['an s3 source without s3://', { ...view, source: { type: 's3', uri: 'https://bucket/x' } }],
  ])('fails on %s', (_case, body) => {
    // Prepare, Act
    const result = CreateFeatureViewRequest.safeParse(body);

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('GetOnlineFeaturesRequest', () => {
  it("parses Feast's documented request", () => {
    // Prepare
    const body = {
      features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:acc_rate'],
      entities: { driver_id: [1001, 1002, 1003] },
    };

    // Act
    const parsed = GetOnlineFeaturesRequest.parse(body);

    // Assess
    expect(parsed).toEqual({ ...body, full_feature_names: false });
  });

  it.each([
    ['columns of different lengths', { features: ['v:f'], entities: { a: [1, 2], b: ['x'] } }],
    ['no entity column', { features: ['v:f'], entities: {} }],
    [
      'too many entities',
      { features: ['v:f'], entities: { a: Array.from({ length: MAX_LOOKUP_ENTITIES + 1 }, (_, i) => i) } },
    ],
    ['a repeated feature', { features: ['v:f', 'v:f'], entities: { a: [1] } }],
    ['a feature without its view', { features: ['f'], entities: { a: [1] } }],
    ['a fractional key', { features: ['v:f'], entities: { a: [1.5] } }],
    ['an unknown field', { features: ['v:f'], entities: { a: [1] }, feature_service: 's' }],
  ])('fails on %s', (_case, body) => {
    // Prepare, Act
    const result = GetOnlineFeaturesRequest.safeParse(body);

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('PushRequest and TrainingSetRequest', () => {
  it('fails on a push above the row limit', () => {
    // Prepare
    const rows = Array.from({ length: MAX_PUSH_ROWS + 1 }, () => ({ driver_id: 1 }));

    // Act
    const result = PushRequest.safeParse({ featureView: 'driver_stats', rows });

    // Assess
    expect(result.success).toBe(false);
  });

  it.each([
    ['inline rows', { features: ['v:f'], entityRows: [{ a: 1, event_timestamp: 0 }] }, true],
    ['an S3 object', { features: ['v:f'], entityRowsUri: 's3://bucket/rows.parquet' }, true],
    ['both', { features: ['v:f'], entityRows: [{ a: 1 }], entityRowsUri: 's3://bucket/rows.parquet' }, false],
    ['neither', { features: ['v:f'] }, false],
  ])('takes entity rows as %s: %p', (_case, body, ok) => {
    // Prepare, Act
    const result = TrainingSetRequest.safeParse(body);

    // Assess
    expect(result.success).toBe(ok);
  });
});
