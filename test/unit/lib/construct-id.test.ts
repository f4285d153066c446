import { pascal } from '../../../lib/shared/construct-id';

describe('pascal', () => {
  it.each([
    ['churn-model_v2', 'ChurnModelV2'],
    ['churn', 'Churn'],
    ['registry', 'Registry'],
    ['mlflowRuns', 'MlflowRuns'],
    ['user-7d.stats', 'User7dStats'],
    ['--a--b--', 'AB'],
    ['fraud2', 'Fraud2'],
  ])('makes %s the construct id part %s', (name, id) => {
    // Act & Assess: construct ids are a contract; these outputs must never change
    expect(pascal(name)).toBe(id);
  });
});
