/**
 * Monitoring reads the feature store's offline files as they are written: Parquet from the
 * feature store's own encoder, INT64 entities and TIMESTAMP columns included.
 */
import { rowsToParquet } from '../../../lambdas/features/adapters/parquet-rows';
import { parseTabular } from '../../../lambdas/monitoring/domain/tabular';

const view = {
  entities: [{ name: 'driver_id', valueType: 'int64' as const }],
  features: [
    { name: 'conv_rate', dtype: 'float64' as const, required: false, description: '' },
    { name: 'trips', dtype: 'int64' as const, required: false, description: '' },
    { name: 'city', dtype: 'string' as const, required: false, description: '' },
  ],
};

describe('offline feature store files as monitoring data', () => {
  it('reads the Parquet the feature store writes into rows of numbers and strings', async () => {
    // Prepare
    const at = Date.parse('2026-11-24T10:00:00Z');
    const bytes = rowsToParquet(view, [
      {
        entityKey: { driver_id: 1001 },
        eventTimestampMs: at,
        createdTimestampMs: at,
        values: { conv_rate: 0.5, trips: 12, city: 'Lyon' },
      },
      {
        entityKey: { driver_id: 1002 },
        eventTimestampMs: at,
        createdTimestampMs: at,
        values: { conv_rate: 0.25, trips: 3, city: 'Oslo' },
      },
    ] as never);
    // Act
    const rows = await parseTabular(bytes, 'parquet');
    // Assess
    expect(rows.map((r) => [r.driver_id, r.conv_rate, r.trips, r.city])).toEqual([
      [1001, 0.5, 12, 'Lyon'],
      [1002, 0.25, 3, 'Oslo'],
    ]);
  });
});
