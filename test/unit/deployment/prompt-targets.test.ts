/**
 * A prompt's rollout target among the models': the endpoint inventory leaves it out (it names the
 * LLM endpoint its calls go to, no endpoint of its own), the prompt backend is chosen for it, and
 * a function without one refuses it rather than driving SageMaker.
 */
import type { DeploymentTarget } from '../../../contracts/deployment';
import { listEndpoints } from '../../../lambdas/deployment/domain/inventory';
import type { DeploymentStore } from '../../../lambdas/deployment/domain/ports';
import { backendsByTarget, fixedTargets } from '../../../lambdas/deployment/domain/targets';
import type { VariantBackend } from '../../../lambdas/deployment/domain/variant-backend';

const common = { canarySteps: [5, 100], bakeMinutes: 1, alarmCheckSeconds: 60, alarmNames: [] };
const TARGETS: Record<string, DeploymentTarget> = {
  churn: { ...common, endpointName: 'mlops-dev-churn', backend: 'sagemaker' },
  support: { ...common, endpointName: 'chat', backend: 'prompt' },
};
const backend = (name: string) => ({ name }) as unknown as VariantBackend;

describe('prompt rollout targets', () => {
  it('are left out of the endpoint inventory', async () => {
    // Prepare
    const described: string[] = [];
    const store = { lockHolder: async () => undefined } as unknown as DeploymentStore;
    // Act
    const page = await listEndpoints(
      {
        targets: fixedTargets(TARGETS),
        store,
        describeEndpoint: async (modelName) => {
          described.push(modelName);
          return { status: 'InService', variants: [] };
        },
      },
      { limit: 50 },
    );
    // Assess
    expect(page.items.map((e) => e.modelName)).toEqual(['churn']);
    expect(described).toEqual(['churn']);
  });

  it('get the prompt backend', async () => {
    // Act
    const chosen = await backendsByTarget(fixedTargets(TARGETS), {
      sagemaker: () => backend('sagemaker'),
      ecs: () => backend('ecs'),
      prompt: () => backend('prompt'),
    })('support');
    // Assess
    expect(chosen).toEqual({ name: 'prompt' });
  });

  it('fails in a function that has no prompt backend', async () => {
    // Act
    const choose = backendsByTarget(fixedTargets(TARGETS), {
      sagemaker: () => backend('sagemaker'),
      ecs: () => backend('ecs'),
    });
    // Assess
    await expect(choose('support')).rejects.toThrow(
      'support rolls out on prompt, which this function cannot drive',
    );
    await expect(choose('churn')).resolves.toEqual({ name: 'sagemaker' });
  });
});
