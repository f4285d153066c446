import { CliFailure } from '../../../cli/failure';
import { batches, typedCsvRows } from '../../../cli/tabular-file';

const view = {
  entities: [
    { name: 'driver_id', valueType: 'int64' as const },
    { name: 'zip', valueType: 'string' as const },
  ],
  features: [
    { name: 'trips', dtype: 'int64' as const, required: false, description: '' },
    { name: 'rating', dtype: 'float64' as const, required: false, description: '' },
    { name: 'active', dtype: 'bool' as const, required: false, description: '' },
    { name: 'city', dtype: 'string' as const, required: false, description: '' },
  ],
};

describe('CSV rows typed by the feature view', () => {
  it('types each cell by its column: numbers, booleans, strings that look numeric, empty as null', () => {
    // Prepare
    const csv = [
      'driver_id,zip,trips,rating,active,city,event_timestamp',
      '1001,02134,12,4.5,true,"Boston, MA",2026-12-01T10:00:00Z',
      '1002,10001,,3,FALSE,,1764583200',
    ].join('\r\n');
    // Act
    const rows = typedCsvRows(csv, view);
    // Assess
    expect(rows).toEqual([
      {
        driver_id: 1001,
        zip: '02134',
        trips: 12,
        rating: 4.5,
        active: true,
        city: 'Boston, MA',
        event_timestamp: '2026-12-01T10:00:00Z',
      },
      {
        driver_id: 1002,
        zip: '10001',
        trips: null,
        rating: 3,
        active: false,
        city: null,
        event_timestamp: 1764583200,
      },
    ]);
  });

  it('sends a cell that does not fit its type as written, for the platform to refuse with its reason', () => {
    // Act
    const [row] = typedCsvRows('driver_id,trips,active,extra\nabc,many,maybe,7\n', view);
    // Assess
    expect(row).toEqual({ driver_id: 'abc', trips: 'many', active: 'maybe', extra: '7' });
  });

  it('keeps quoted commas, doubled quotes and line breaks inside a field', () => {
    // Act
    const [row] = typedCsvRows('driver_id,city\n1,"said ""hi"",\nthen left"\n', view);
    // Assess
    expect(row).toEqual({ driver_id: 1, city: 'said "hi",\nthen left' });
  });

  it('fails on a line whose field count differs from the header, naming the line', () => {
    // Act
    const read = () => typedCsvRows('driver_id,trips\n1,2\n3\n', view);
    // Assess
    expect(read).toThrow(CliFailure);
    expect(read).toThrow('CSV line 3 has 1 fields, the header has 2');
  });

  it('splits rows into batches of at most the push limit', () => {
    // Act, Assess
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 2)).toEqual([]);
  });
});
