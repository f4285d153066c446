/**
 * The SSM reader of deployment targets, Powertools' provider and the SDK's SSM client included,
 * against the local Parameter Store: paging past one page, own keys only, the cache, and a
 * broken value refused rather than read as a missing endpoint.
 */
import type { DeploymentTarget } from '../../contracts/deployment';
import { deploymentTargetParameterName } from '../../contracts/deployment';
import { SsmDeploymentTargets } from '../../lambdas/deployment/adapters/ssm-deployment-targets';
import type { LocalParameter } from '../../local/ssm/server';
import { useLocalSsm } from '../helpers/local-ssm';

const PATH = '/cdk-mlops/test/deployment-targets';
const target = (model: string): DeploymentTarget => ({
  endpointName: `mlops-${model}`,
  backend: 'sagemaker',
  canarySteps: [5, 100],
  bakeMinutes: 10,
  alarmCheckSeconds: 60,
  alarmNames: [`mlops-${model}-challenger-latency-p95`],
});
const MODELS = Array.from({ length: 23 }, (_, i) => `model-${i}`);
const parameter = (model: string, value = JSON.stringify(target(model))): LocalParameter => ({
  Name: deploymentTargetParameterName(PATH, model),
  Type: 'String',
  Value: value,
});

const startSsm = useLocalSsm();
async function reader(parameters: LocalParameter[], maxAgeSeconds?: number) {
  const { ssm, client } = await startSsm(parameters);
  return { ssm, targets: new SsmDeploymentTargets({ client, path: PATH, maxAgeSeconds }) };
}

describe('SsmDeploymentTargets', () => {
  it('reads every model of the path, past the first page of 10', async () => {
    // Prepare
    const { targets } = await reader([
      ...MODELS.map((m) => parameter(m)),
      // Neither another path nor a deeper level is a target.
      { Name: '/cdk-mlops/other/deployment-targets/model-0', Type: 'String', Value: '{}' },
      { Name: `${PATH}/nested/model-1`, Type: 'String', Value: '{}' },
    ]);
    // Act
    const found = await Promise.all(MODELS.map((m) => targets.get(m)));
    // Assess
    expect(found).toEqual(MODELS.map(target));
    expect(await targets.get('nested')).toBeUndefined();
  });

  it('answers a model without an endpoint, or named like an Object member, with undefined', async () => {
    const { targets } = await reader([parameter('churn')]);
    expect(await targets.get('fraud')).toBeUndefined();
    expect(await targets.get('constructor')).toBeUndefined();
    expect(await targets.get('churn')).toEqual(target('churn'));
  });

  it('reads the path once per max age, whatever the models asked for', async () => {
    // Prepare
    const { ssm, targets } = await reader(MODELS.map((m) => parameter(m)));
    // Act
    for (const m of [...MODELS, 'unknown', 'model-3']) await targets.get(m);
    // Assess: 23 parameters are three pages, read once
    expect(ssm.calls).toEqual({ GetParametersByPath: 3 });
  });

  it('fails on a value that is not JSON instead of reporting no endpoint', async () => {
    const { targets } = await reader([parameter('churn', 'not json')]);
    await expect(targets.get('churn')).rejects.toThrow();
  });
});
