import { trainingJobBaseName, trainingJobPrefix } from '../../../contracts/pipeline';

describe('trainingJobBaseName', () => {
  it("starts with its environment's prefix, so one environment's IAM never takes in another's jobs", () => {
    // Act
    const dev = trainingJobBaseName('dev', 'churn', 'run-1');
    const prod = trainingJobBaseName('prod', 'churn', 'run-1');

    // Assess
    expect(dev).toBe('mlops-dev-t-churn-run1');
    expect(prod.startsWith(trainingJobPrefix('prod'))).toBe(true);
    expect(dev.startsWith(trainingJobPrefix('prod'))).toBe(false);
  });

  it('fits SageMaker with its attempt suffix for the longest environment, model and run names', () => {
    // Prepare: a 16-character environment, a 64-character model, a UUID execution name
    const env = 'a123456789012345';
    const model = 'm'.repeat(64);

    // Act
    const name = trainingJobBaseName(env, model, '0f8fad5b-d9cb-469f-a165-70867728950e');

    // Assess: 53 + `-<8 hex>` is SageMaker's 63, of [a-zA-Z0-9-]
    expect(name.length).toBeLessThanOrEqual(53);
    expect(`${name}-0123abcd`).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
    expect(name).toBe(`mlops-${env}-t-${'m'.repeat(15)}-0f8fad5bd9cb`);
  });
});
