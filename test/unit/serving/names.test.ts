import {
  ENDPOINT_NAME_MAX_LENGTH,
  endpointConfigName,
  endpointName,
  endpointNamePrefix,
  SAGEMAKER_NAME_MAX_LENGTH,
  sagemakerModelName,
} from '../../../contracts/serving';
import { buildApp, PlatformConfigError } from '../../../lib/app';

const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

describe('physical names of endpoints (mlops-<envName>-<model>)', () => {
  it('puts the environment in every name made for an endpoint', () => {
    // Act
    const endpoint = endpointName('dev', 'churn');

    // Assess
    expect(endpoint).toBe('mlops-dev-churn');
    expect(endpointName('prod', 'churn')).toBe('mlops-prod-churn');
    expect(sagemakerModelName(endpoint, 3)).toBe('mlops-dev-churn-v3');
    expect(endpointConfigName(endpoint, 'c1234567890abcdefXYZ')).toBe('mlops-dev-churn-c1234567890abcde');
    expect(endpoint.startsWith(endpointNamePrefix('dev'))).toBe(true);
  });

  it('gives registry names SageMaker refuses a sanitized name with a hash, distinct from a plain one', () => {
    // Act
    const names = [endpointName('dev', 'a_b.c'), endpointName('dev', 'a-b-c'), endpointName('dev', '__')];

    // Assess
    expect(new Set(names).size).toBe(3);
    for (const n of names) expect(n).toMatch(SAGEMAKER_NAME);
  });

  it('leaves room for the longest config and model name made from the longest endpoint name', () => {
    // Prepare
    const model = 'm'.repeat(ENDPOINT_NAME_MAX_LENGTH - 'mlops-dev-'.length);

    // Act
    const endpoint = endpointName('dev', model);
    const derived = [
      endpointConfigName(endpoint, 'x'.repeat(40)),
      sagemakerModelName(endpoint, 9_999_999_999),
      `${endpoint}-i0123abcd`,
    ];

    // Assess
    expect(endpoint).toHaveLength(ENDPOINT_NAME_MAX_LENGTH);
    for (const n of derived) {
      expect(n).toMatch(SAGEMAKER_NAME);
      expect(n.length).toBeLessThanOrEqual(SAGEMAKER_NAME_MAX_LENGTH);
    }
  });

  it('fails naming the model when its endpoint name would not fit, instead of cutting it', () => {
    // Prepare
    const model = 'm'.repeat(ENDPOINT_NAME_MAX_LENGTH - 'mlops-dev-'.length + 1);

    // Assess
    expect(() => endpointName('dev', model)).toThrow(
      new RegExp(`^model ${model}: endpoint name mlops-dev-${model} is 47 characters, at most 46`),
    );
  });

  it('fails synth with the model named when the environment makes its name too long', () => {
    // Prepare: 30 characters fit under env `dev`, not under a 16-character env.
    const context = {
      'aws:cdk:bundling-stacks': [],
      'mlops:envName': 'stagingeuwest1ab',
      'mlops:endpoints': [{ modelName: 'customer-lifetime-value-model1' }],
    };

    // Assess
    expect(() => buildApp(context)).toThrow(PlatformConfigError);
    expect(() => buildApp(context)).toThrow(
      /mlops:endpoints\.0\.modelName: model customer-lifetime-value-model1: endpoint name mlops-stagingeuwest1ab-customer-lifetime-value-model1 is 53 characters/,
    );
    expect(() => buildApp({ ...context, 'mlops:envName': 'dev' })).not.toThrow();
  });
});
