/**
 * Where rollouts find each model's target: the endpoint, its canary settings, its alarms and, on
 * ECS, the services it may drive. The stack decides them (SSM parameters on AWS); a caller never
 * does, so a target is looked up by model name only.
 */
import type { DeploymentTarget, DeploymentTargets, ServingBackend } from '../../../contracts/deployment';
import type { VariantBackend } from './variant-backend';

export interface DeploymentTargetSource {
  /** The model's target; `undefined` when the model has no endpoint. */
  get(modelName: string): Promise<DeploymentTarget | undefined>;
  /** Every model's target (the configured endpoints), by model name. */
  list(): Promise<Readonly<DeploymentTargets>>;
}

/**
 * Looks up targets in a record by own key only, so a model named like an `Object.prototype`
 * member (`constructor`) has no target unless the record gives it one.
 */
export function targetOf(
  targets: Readonly<DeploymentTargets>,
  modelName: string,
): DeploymentTarget | undefined {
  return Object.hasOwn(targets, modelName) ? targets[modelName] : undefined;
}

/** A fixed set of targets: tests, and a stack that declares no endpoint. */
export function fixedTargets(targets: Readonly<DeploymentTargets>): DeploymentTargetSource {
  return { get: async (modelName) => targetOf(targets, modelName), list: async () => targets };
}

/**
 * Makes the backend of each kind for a model's target (`undefined` when the model has none); a
 * factory may import its adapter first, so a function loads a control plane when it drives one.
 */
type BackendFactory = (
  modelName: string,
  target: DeploymentTarget | undefined,
) => VariantBackend | Promise<VariantBackend>;
export type VariantBackendFactories = Readonly<Record<ServingBackend, BackendFactory>> & {
  /** Prompts' rollouts (`llm-rollouts.ts`). @default - a prompt's target is an error */
  readonly prompt?: BackendFactory;
  /** LLM endpoints' model rollouts (`llm-rollouts.ts`). @default - such a target is an error */
  readonly 'llm-model'?: BackendFactory;
};

/**
 * The backend serving each model, by its target's kind: the stack decides (not the execution
 * input), and a model without a target is on SageMaker (an endpoint the first rollout creates).
 */
export function backendsByTarget(
  targets: Pick<DeploymentTargetSource, 'get'>,
  factories: VariantBackendFactories,
): (modelName: string) => Promise<VariantBackend> {
  return async (modelName) => {
    const target = await targets.get(modelName);
    const factory = factories[target?.backend ?? 'sagemaker'];
    if (!factory)
      throw new Error(`${modelName} rolls out on ${target?.backend}, which this function cannot drive`);
    return factory(modelName, target);
  };
}
