import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliFailure } from '../../../cli/failure';
import { planFeatureViews, readDefinitions, renderPlan } from '../../../cli/feature-plan';
import { CreateFeatureViewRequest, type FeatureView } from '../../../contracts/features';

const definition = (overrides: Record<string, unknown> = {}) =>
  CreateFeatureViewRequest.parse({
    name: 'driver_stats',
    entities: [{ name: 'driver_id', valueType: 'int64' }],
    features: [
      { name: 'trips', dtype: 'int64', min: 0 },
      { name: 'rating', dtype: 'float64' },
    ],
    ...overrides,
  });

const stored = (def: ReturnType<typeof definition>, version = 3): FeatureView => ({
  ...def,
  version,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
});

describe('features apply plan', () => {
  it('creates what is not stored, evolves compatible changes, keeps what is the same', () => {
    // Prepare
    const evolved = definition({
      name: 'rides',
      features: [
        { name: 'trips', dtype: 'int64', min: 0 },
        { name: 'rating', dtype: 'float64' },
        { name: 'tenure', dtype: 'int64' },
      ],
      ttlSeconds: 86_400,
    });
    const same = definition({ name: 'zones' });
    const current = new Map([
      ['rides', stored(definition({ name: 'rides' }))],
      ['zones', stored(same, 1)],
    ]);
    // Act
    const plan = planFeatureViews([definition(), evolved, same], current);
    // Assess
    expect(plan.map((e) => [e.name, e.action])).toEqual([
      ['driver_stats', 'create'],
      ['rides', 'evolve'],
      ['zones', 'unchanged'],
    ]);
    expect(renderPlan(plan)).toBe(
      [
        'Plan: 1 to create, 1 to evolve, 0 incompatible, 1 unchanged',
        '  + driver_stats  create (2 features, keyed by driver_id)',
        '  ~ rides         evolve v3 -> v4',
        '      optional feature tenure added',
        '      ttlSeconds 0 -> 86400',
        '  = zones         unchanged (v1)',
      ].join('\n'),
    );
  });

  it('lists every reason an incompatible change would be refused, and only those', () => {
    // Prepare
    const next = definition({
      features: [
        { name: 'trips', dtype: 'float64' },
        { name: 'rating', dtype: 'float64', description: 'stars' },
        { name: 'region', dtype: 'string', required: true },
      ],
    });
    // Act
    const plan = planFeatureViews([next], new Map([['driver_stats', stored(definition())]]));
    // Assess
    expect(plan[0].action).toBe('incompatible');
    expect(renderPlan(plan).split('\n')).toEqual([
      'Plan: 0 to create, 0 to evolve, 1 incompatible, 0 unchanged',
      '  ! driver_stats  incompatible with v3: create a new feature view instead',
      '      feature trips would change dtype int64 -> float64',
      '      new feature region cannot be required: stored rows have no value for it',
    ]);
  });

  it('reads one view, an array, or {"featureViews": [...]}, with the defaults the platform applies', () => {
    // Prepare
    const one = {
      name: 'a',
      entities: [{ name: 'k', valueType: 'string' }],
      features: [{ name: 'f', dtype: 'bool' }],
    };
    // Act
    const read = [
      readDefinitions(JSON.stringify(one), 'one.json'),
      readDefinitions(JSON.stringify([one]), 'list.json'),
      readDefinitions(JSON.stringify({ featureViews: [one] }), 'repo.json'),
    ];
    // Assess
    for (const views of read) {
      expect(views).toEqual([
        expect.objectContaining({ name: 'a', ttlSeconds: 0, source: { type: 'push' }, tags: {} }),
      ]);
    }
  });

  it('fails on a definition the create route would refuse, naming each field', () => {
    // Prepare
    const text = JSON.stringify([
      {
        name: 'ok',
        entities: [{ name: 'k', valueType: 'string' }],
        features: [{ name: 'f', dtype: 'bool' }],
      },
      { name: 'Bad', entities: [], features: [{ name: 'f', dtype: 'decimal' }] },
    ]);
    // Act
    const read = () => readDefinitions(text, 'views.json');
    // Assess
    expect(read).toThrow(CliFailure);
    expect(read).toThrow(/views\[1\]\.name: must be 1-63 lowercase/);
    expect(read).toThrow(/views\[1\]\.entities: /);
    expect(read).toThrow(/views\[1\]\.features\[0\]\.dtype: /);
  });

  it('fails on a view defined twice and on text that is not JSON', () => {
    // Prepare
    const one = {
      name: 'a',
      entities: [{ name: 'k', valueType: 'string' }],
      features: [{ name: 'f', dtype: 'bool' }],
    };
    // Act, Assess
    expect(() => readDefinitions(JSON.stringify([one, one]), 'x.json')).toThrow(
      'x.json: view a is defined twice',
    );
    expect(() => readDefinitions('name: a', 'x.json')).toThrow(/x.json: not JSON/);
  });

  it('reads a YAML file (.yaml, .yml) as the JSON it spells, with YAML 1.2 scalars', () => {
    // Prepare
    const file = join(__dirname, '..', '..', 'fixtures', 'features', 'apply-views.yaml');
    const text = readFileSync(file, 'utf8');
    // Act
    const fromYaml = readDefinitions(text, file);
    const fromYml = readDefinitions(text, 'views.YML');
    // Assess
    expect(fromYml).toEqual(fromYaml);
    expect(fromYaml.map((v) => v.name)).toEqual(['driver_stats', 'zone_demand']);
    expect(fromYaml[0]).toEqual(
      readDefinitions(
        JSON.stringify({
          name: 'driver_stats',
          description: 'Hourly driver aggregates',
          entities: [{ name: 'driver_id', valueType: 'int64' }],
          features: [
            { name: 'trips', dtype: 'int64', min: 0 },
            { name: 'rating', dtype: 'float64' },
            { name: 'on_shift', dtype: 'bool' },
          ],
          ttlSeconds: 86_400,
          tags: { team: 'rides', tier: 'no' },
        }),
        'same.json',
      )[0],
    );
  });

  it('fails on YAML that does not parse or gives a key twice, naming the file', () => {
    // Act, Assess
    expect(() => readDefinitions('name: [a', 'x.yaml')).toThrow(CliFailure);
    expect(() => readDefinitions('name: [a', 'x.yaml')).toThrow(/^x.yaml: not YAML: /);
    expect(() => readDefinitions('name: a\nname: b\n', 'twice.yml')).toThrow(
      /twice.yml: not YAML: .*unique/i,
    );
  });
});
