import { RetrainingConfig } from '../../../contracts/pipeline';
import { splitHoldout, validateTrainingWindow } from '../../../lambdas/pipeline/domain/data-validation';

const validation = RetrainingConfig.parse({
  modelName: 'm',
  trainingData: { uri: 's3://bucket/x.csv', label: 'y' },
}).validation;
const rows = (n: number, f: (i: number) => Record<string, unknown>) =>
  Array.from({ length: n }, (_, i) => f(i));

describe('validateTrainingWindow', () => {
  it('passes a clean window and reports its features and null shares', () => {
    // Prepare
    const data = rows(200, (i) => ({ id: i, a: i / 10, b: i % 3, y: i % 2 }));

    // Act
    const report = validateTrainingWindow({ rows: data, label: 'y', exclude: ['id'], validation });

    // Assess
    expect(report).toEqual({
      valid: true,
      rowCount: 200,
      features: ['a', 'b'],
      nullShare: { a: 0, b: 0 },
      problems: [],
    });
  });

  it('fails too few rows', () => {
    // Act
    const report = validateTrainingWindow({
      rows: rows(10, (i) => ({ a: i, y: 0 })),
      label: 'y',
      exclude: [],
      validation,
    });

    // Assess
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([
      { check: 'rowCount', message: 'the window has 10 rows; at least 100 are required' },
    ]);
  });

  it('fails a null share over the limit, naming the column and the share', () => {
    // Prepare
    const data = rows(100, (i) => ({ a: i < 10 ? null : i, y: 1 }));

    // Act
    const report = validateTrainingWindow({ rows: data, label: 'y', exclude: [], validation });

    // Assess
    expect(report.nullShare.a).toBeCloseTo(0.1, 15);
    expect(report.problems).toEqual([
      { check: 'nullShare', column: 'a', message: 'a is null in 10.0% of rows; at most 5.0% allowed' },
    ]);
  });

  it('fails values outside the feature view range and the config range, every column listed', () => {
    // Prepare
    const data = rows(100, (i) => ({ age: i === 0 ? -3 : 30, income: i === 1 ? 2e6 : 1000, y: 0 }));

    // Act
    const report = validateTrainingWindow({
      rows: data,
      label: 'y',
      exclude: [],
      validation: { ...validation, ranges: { income: { max: 1e6 } } },
      declared: [{ name: 'age', min: 0, max: 120 }],
    });

    // Assess
    expect(report.problems).toEqual([
      { check: 'range', column: 'age', message: '1 values of age are outside [0, 120], e.g. -3' },
      {
        check: 'range',
        column: 'income',
        message: '1 values of income are outside [-inf, 1000000], e.g. 2000000',
      },
    ]);
  });

  it('fails missing labels, missing required features and text in a feature', () => {
    // Prepare
    const data = rows(100, (i) => ({ a: i === 5 ? 'oops' : i, y: i === 0 ? null : 1 }));

    // Act
    const report = validateTrainingWindow({
      rows: data,
      label: 'y',
      exclude: [],
      validation,
      declared: [{ name: 'tenure', required: true }],
    });

    // Assess
    expect(report.problems.map((p) => p.check)).toEqual(['label', 'type', 'required']);
    expect(report.problems[0].message).toBe('1 of 100 rows have no y');
    expect(report.problems[1].message).toBe('a has 1 non-numeric values, e.g. "oops"');
  });
});

describe('splitHoldout', () => {
  it('is deterministic per seed, disjoint and near the share', () => {
    // Prepare
    const data = Array.from({ length: 10_000 }, (_, i) => i);

    // Act
    const a = splitHoldout(data, 20, 'run-1');
    const b = splitHoldout(data, 20, 'run-1');
    const c = splitHoldout(data, 20, 'run-2');

    // Assess
    expect(a).toEqual(b);
    expect(a.train.length + a.holdout.length).toBe(10_000);
    expect(new Set([...a.train, ...a.holdout]).size).toBe(10_000);
    expect(a.holdout.length).toBeGreaterThan(1800);
    expect(a.holdout.length).toBeLessThan(2200);
    expect(c.holdout).not.toEqual(a.holdout);
  });
});
