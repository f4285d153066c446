/**
 * How a ground-truth label becomes an experiment metric's value, read as monitoring's quality
 * reports read predictions: a score through the decision threshold, a row of scores by argmax
 * (or its last score with a threshold), a class as text; `undefined` where no value follows.
 */
import { groundTruthEventId, groundTruthValue } from '../../../lambdas/experiments/domain/ground-truth';

describe('groundTruthValue', () => {
  it.each([
    [
      'a score at the threshold is class 1',
      'proportion',
      { value: 'correct', decisionThreshold: 0.5 },
      1,
      0.5,
      1,
    ],
    ['a score below it is class 0', 'proportion', { value: 'correct', decisionThreshold: 0.5 }, '1', 0.49, 0],
    ['a row of scores by argmax', 'proportion', { value: 'correct' }, 2, [0.1, 0.2, 0.7], 1],
    [
      'a row of two with a threshold by its last',
      'proportion',
      { value: 'correct', decisionThreshold: 0.6 },
      0,
      [0.45, 0.55],
      1,
    ],
    ['classes as text', 'proportion', { value: 'correct' }, 'cat', 'dog', 0],
    ['1 and "1.0" as one class', 'proportion', { value: 'correct' }, '1.0', 1, 1],
    ['no prediction kept', 'proportion', { value: 'correct' }, 1, undefined, undefined],
    ['the label of a proportion', 'proportion', { value: 'label' }, '1', undefined, 1],
    ['a proportion label not 0 or 1', 'proportion', { value: 'label' }, 2, undefined, undefined],
    ['the label of a mean', 'mean', { value: 'label' }, '12.5', undefined, 12.5],
    ['a text label of a mean', 'mean', { value: 'label' }, 'high', undefined, undefined],
    ['the absolute error', 'mean', { value: 'absoluteError' }, 3, 5.5, 2.5],
    ['the absolute error of a class', 'mean', { value: 'absoluteError' }, 3, 'x', undefined],
  ] as const)('%s', (_case, kind, spec, label, prediction, expected) => {
    // Act
    const value = groundTruthValue(kind, spec, label, prediction);

    // Assess
    expect(value).toBe(expected);
  });

  it('derives event ids no posted outcome can take', () => {
    expect(groundTruthEventId('inf-1', 'accuracy')).toBe('groundTruth/inf-1/accuracy');
    expect(/^[A-Za-z0-9_.:-]{1,128}$/.test(groundTruthEventId('inf-1', 'accuracy'))).toBe(false);
  });
});
