import { matchesPattern } from '../../../local/event-pattern';

const event = {
  source: 'cdk-mlops.monitoring',
  'detail-type': 'DriftDetected',
  detail: { modelName: 'churn', driftShare: 0.6, features: ['age', 'income'], version: 3 },
};

describe('matchesPattern', () => {
  it.each([
    [{ source: ['cdk-mlops.monitoring'] }],
    [{ source: ['x', 'cdk-mlops.monitoring'], 'detail-type': ['DriftDetected'] }],
    [{ detail: { modelName: [{ prefix: 'ch' }] } }],
    [{ detail: { modelName: [{ 'anything-but': ['fraud'] }] } }],
    [{ detail: { driftShare: [{ numeric: ['>', 0.5, '<=', 1] }] } }],
    [{ detail: { features: ['income'] } }],
    [{ detail: { version: [{ exists: true }], parent: [{ exists: false }] } }],
  ])('matches %j', (pattern) => {
    expect(matchesPattern(event, pattern)).toBe(true);
  });

  it.each([
    [{ source: ['cdk-mlops.registry'] }],
    [{ detail: { modelName: [{ prefix: 'fr' }] } }],
    [{ detail: { modelName: [{ 'anything-but': 'churn' }] } }],
    [{ detail: { driftShare: [{ numeric: ['>', 0.6] }] } }],
    [{ detail: { version: [{ exists: false }] } }],
    [{ detail: { missing: ['x'] } }],
  ])('does not match %j', (pattern) => {
    expect(matchesPattern(event, pattern)).toBe(false);
  });
});
