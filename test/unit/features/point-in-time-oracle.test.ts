/**
 * The in-memory point-in-time join against pandas' merge_asof on seeded random data with ties and
 * TTL edges. The fixtures are written by scripts/fixtures/pit_fixtures.py; this test only reads them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateFeatureViewRequest, type FeatureRow, type FeatureValue } from '../../../contracts/features';
import { type OnlineView, resolveFeatureRefs } from '../../../lambdas/features/domain/online';
import { pointInTimeJoin, toEntityRows } from '../../../lambdas/features/domain/point-in-time';

interface PitFixture {
  readonly name: string;
  readonly fullFeatureNames: boolean;
  readonly views: ReadonlyArray<Record<string, unknown>>;
  readonly featureRefs: string[];
  readonly history: Record<string, FeatureRow[]>;
  readonly entityRows: ReadonlyArray<{ fields: Record<string, unknown>; eventTimestampMs: number }>;
  readonly expected: ReadonlyArray<Record<string, FeatureValue>>;
}

const dir = join(__dirname, '..', '..', 'fixtures', 'features');
const fixtures = readdirSync(dir)
  .filter((f) => /^pit-.*\.json$/.test(f))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as PitFixture);

describe('pointInTimeJoin against pandas merge_asof', () => {
  it('has fixtures to check', () => {
    // Prepare, Act, Assess
    expect(fixtures.length).toBeGreaterThanOrEqual(3);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    '%s: every joined value equals pandas',
    (_name, fixture) => {
      // Prepare
      const views = new Map<string, OnlineView>(
        fixture.views.map((v) => {
          const parsed = CreateFeatureViewRequest.parse(v);
          return [parsed.name, parsed];
        }),
      );
      const features = resolveFeatureRefs(views, fixture.featureRefs, fixture.fullFeatureNames);
      const entityRows = toEntityRows(
        features,
        fixture.entityRows.map((r) => r.fields),
      );

      // Act
      const joined = pointInTimeJoin(entityRows, features, new Map(Object.entries(fixture.history)));

      // Assess
      expect(entityRows.map((r) => r.eventTimestampMs)).toEqual(
        fixture.entityRows.map((r) => r.eventTimestampMs),
      );
      expect(joined.map((r) => r.features)).toEqual(fixture.expected);
    },
  );
});
