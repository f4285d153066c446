import {
  CreateFeatureViewRequest,
  type FeatureView,
  UpdateFeatureViewRequest,
} from '../../../contracts/features';
import {
  FeatureViewVersionConflictError,
  IncompatibleSchemaChangeError,
} from '../../../lambdas/features/domain/errors';
import { evolveFeatureView, newFeatureView } from '../../../lambdas/features/domain/schema-evolution';

const CREATED = '2024-01-01T00:00:00.000Z';
const LATER = '2024-02-01T00:00:00.000Z';
const spec = {
  entities: [
    { name: 'driver_id', valueType: 'int64' },
    { name: 'city', valueType: 'string' },
  ],
  features: [
    { name: 'conv_rate', dtype: 'float64', required: true, min: 0, max: 1 },
    { name: 'trips', dtype: 'int64' },
    { name: 'tier', dtype: 'string', allowedValues: ['gold', 'silver'] },
  ],
  ttlSeconds: 3600,
  owner: 'ml@example.com',
  description: 'driver stats',
  tags: { team: 'ml', tier: '1' },
};
const current: FeatureView = {
  ...newFeatureView(CreateFeatureViewRequest.parse({ name: 'driver_stats', ...spec }), CREATED),
  version: 3,
};

type Features = (typeof spec)['features'];
/** The current spec with features changed by `edit`, and other fields by `rest`. */
function update(edit: (features: Features) => unknown[], rest: Record<string, unknown> = {}) {
  return UpdateFeatureViewRequest.parse({ ...spec, features: edit(structuredClone(spec.features)), ...rest });
}
const setOn = (name: string, change: Record<string, unknown>) => (fs: Features) =>
  fs.map((f) => (f.name === name ? { ...f, ...change } : f));
const without = (name: string, key: string) => (fs: Features) =>
  fs.map((f) => (f.name === name ? Object.fromEntries(Object.entries(f).filter(([k]) => k !== key)) : f));

describe('evolveFeatureView', () => {
  it.each([
    [
      'adding an optional feature',
      update((fs) => [...fs, { name: 'rating', dtype: 'float64' }]),
      'FEATURE_ADDED',
    ],
    ['making a feature optional', update(setOn('conv_rate', { required: false })), 'REQUIRED_REMOVED'],
    ['lowering a minimum', update(setOn('conv_rate', { min: -1 })), 'RANGE_WIDENED'],
    ['raising a maximum', update(setOn('conv_rate', { max: 2 })), 'RANGE_WIDENED'],
    ['dropping a bound', update(without('conv_rate', 'max')), 'RANGE_WIDENED'],
    [
      'adding an allowed value',
      update(setOn('tier', { allowedValues: ['gold', 'silver', 'bronze'] })),
      'ALLOWED_VALUES_WIDENED',
    ],
    ['dropping the allowed values', update(without('tier', 'allowedValues')), 'ALLOWED_VALUES_WIDENED'],
    [
      'changing a feature description',
      update(setOn('trips', { description: 'trips today' })),
      'FEATURE_DESCRIPTION_CHANGED',
    ],
    ['changing the TTL', update((fs) => fs, { ttlSeconds: 7200 }), 'TTL_CHANGED'],
    ['changing the owner', update((fs) => fs, { owner: 'data@example.com' }), 'METADATA_CHANGED'],
    ['changing the description', update((fs) => fs, { description: 'new' }), 'METADATA_CHANGED'],
    ['changing the tags', update((fs) => fs, { tags: { team: 'ml' } }), 'METADATA_CHANGED'],
    [
      'changing the source',
      update((fs) => fs, { source: { type: 's3', uri: 's3://bucket-a/x/' } }),
      'SOURCE_CHANGED',
    ],
  ])('accepts %s and bumps the version', (_case, request, kind) => {
    // Prepare: request built above

    // Act
    const result = evolveFeatureView(current, request, LATER);

    // Assess
    expect(result.changed).toBe(true);
    expect(result.changes).toEqual([expect.objectContaining({ kind, compatible: true })]);
    expect(result.view).toMatchObject({
      name: 'driver_stats',
      version: 4,
      createdAt: CREATED,
      updatedAt: LATER,
    });
  });

  it.each([
    ['removing a feature', update((fs) => fs.filter((f) => f.name !== 'trips')), 'FEATURE_REMOVED'],
    ['renaming a feature', update(setOn('trips', { name: 'trip_count' })), 'FEATURE_REMOVED'],
    [
      'changing a dtype, even int64 to float64',
      update(setOn('trips', { dtype: 'float64' })),
      'DTYPE_CHANGED',
    ],
    [
      'adding a required feature',
      update((fs) => [...fs, { name: 'rating', dtype: 'float64', required: true }]),
      'FEATURE_ADDED',
    ],
    ['making a feature required', update(setOn('trips', { required: true })), 'REQUIRED_ADDED'],
    ['raising a minimum', update(setOn('conv_rate', { min: 0.1 })), 'RANGE_NARROWED'],
    ['lowering a maximum', update(setOn('conv_rate', { max: 0.9 })), 'RANGE_NARROWED'],
    ['adding a bound', update(setOn('trips', { min: 0 })), 'RANGE_NARROWED'],
    [
      'removing an allowed value',
      update(setOn('tier', { allowedValues: ['gold'] })),
      'ALLOWED_VALUES_NARROWED',
    ],
    [
      'restricting a free feature',
      update(setOn('trips', { allowedValues: [1, 2] })),
      'ALLOWED_VALUES_NARROWED',
    ],
    [
      'changing an entity type',
      UpdateFeatureViewRequest.parse({
        ...spec,
        entities: [spec.entities[0], { name: 'city', valueType: 'int64' }],
      }),
      'ENTITIES_CHANGED',
    ],
    [
      'adding an entity',
      UpdateFeatureViewRequest.parse({
        ...spec,
        entities: [...spec.entities, { name: 'zone', valueType: 'string' }],
      }),
      'ENTITIES_CHANGED',
    ],
  ])('fails when %s', (_case, request, kind) => {
    // Prepare: request built above

    // Act
    const act = () => evolveFeatureView(current, request, LATER);

    // Assess
    expect(act).toThrow(IncompatibleSchemaChangeError);
    expect(act).toThrow(
      expect.objectContaining({
        status: 409,
        code: 'INCOMPATIBLE_SCHEMA_CHANGE',
        details: expect.objectContaining({
          incompatible: [expect.objectContaining({ kind, compatible: false })],
        }),
      }),
    );
  });

  it('lists every incompatible reason at once, compatible changes alongside', () => {
    // Prepare
    const request = update((fs) => [
      { ...fs[0], dtype: 'int64', min: 0, max: 1 },
      { name: 'rating', dtype: 'float64' },
    ]);

    // Act
    const act = () => evolveFeatureView(current, request, LATER);

    // Assess
    expect(act).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(
          /conv_rate would change dtype.*trips would be removed.*tier would be removed/,
        ),
        details: expect.objectContaining({
          incompatible: [
            expect.objectContaining({ kind: 'DTYPE_CHANGED', field: 'conv_rate' }),
            expect.objectContaining({ kind: 'FEATURE_REMOVED', field: 'trips' }),
            expect.objectContaining({ kind: 'FEATURE_REMOVED', field: 'tier' }),
          ],
          changes: expect.arrayContaining([
            expect.objectContaining({ kind: 'FEATURE_ADDED', compatible: true }),
          ]),
        }),
      }),
    );
  });

  it('leaves the view and version alone when nothing changed, whatever the order of features and entities', () => {
    // Prepare
    const request = UpdateFeatureViewRequest.parse({
      ...spec,
      entities: [...spec.entities].reverse(),
      features: [...spec.features].reverse(),
      tags: { tier: '1', team: 'ml' },
    });

    // Act
    const result = evolveFeatureView(current, request, LATER);

    // Assess
    expect(result).toEqual({ view: current, changes: [], changed: false });
  });

  it('fails with a conflict when expectedVersion is stale', () => {
    // Prepare
    const request = update((fs) => fs, { description: 'new', expectedVersion: 2 });

    // Act
    const act = () => evolveFeatureView(current, request, LATER);

    // Assess
    expect(act).toThrow(FeatureViewVersionConflictError);
    expect(act).toThrow(
      expect.objectContaining({ status: 409, details: expect.objectContaining({ currentVersion: 3 }) }),
    );
  });

  it('applies an update made against the current version', () => {
    // Prepare
    const request = update((fs) => fs, { description: 'new', expectedVersion: 3 });

    // Act
    const result = evolveFeatureView(current, request, LATER);

    // Assess
    expect(result.view).not.toHaveProperty('expectedVersion');
    expect(result.view).toMatchObject({ version: 4, description: 'new' });
  });
});
