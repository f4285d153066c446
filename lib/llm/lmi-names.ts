/**
 * The SageMaker names of an LMI LLM endpoint, from its config alone: the stack's endpoint, model
 * and config (`LmiEndpoint`) and its rollout target (`modelRolloutTargets`, built before the LLM
 * stack) agree on them without a reference between stacks. The model and config are named under
 * the endpoint name, as a model endpoint's are (`sageMakerArns` scopes IAM to `<endpoint>-*`); the
 * initial model's `-i<hash>` marks it as the stack's, which the endpoint resource's update replaces
 * while a promoted candidate's model stays (`lambdas/deployment/domain/endpoint-update.ts`).
 */
import { createHash } from 'node:crypto';
import type { LlmEndpointConfig } from '../../contracts/llm';
import { endpointConfigName, llmEndpointName } from '../../contracts/serving';
import { LLM_DEFAULTS } from './defaults';

/** An LLM endpoint on SageMaker (`backend: 'sagemaker'`), running the LMI container. */
export type LmiEndpointConfig = Extract<LlmEndpointConfig, { backend: 'sagemaker' }>;

export interface LmiNames {
  /** `mlops-<envName>-llm-<name>`. */
  readonly sageMakerEndpointName: string;
  /** The stack's model on the configured artifact: `<endpoint>-i<8 hex>`. */
  readonly modelName: string;
  /** The stack's config, the champion alone on that model: `<endpoint>-i<8 hex>`. */
  readonly endpointConfigName: string;
  /** The container image, `imageUri` or the Region's LMI image. */
  readonly image: string;
}

/**
 * Each name carries a hash of what would replace its resource (SageMaker models and configs are
 * immutable), so a replacement never collides with the name it replaces.
 * @throws Error naming the endpoint when its SageMaker name is too long (`endpointName`)
 */
export function lmiNames(envName: string, e: LmiEndpointConfig): LmiNames {
  const sageMakerEndpointName = llmEndpointName(envName, e.name);
  const image = e.imageUri ?? LLM_DEFAULTS.lmiImageUri;
  const modelName = `${sageMakerEndpointName}-i${hash([image, e.modelArtifactKey, e.tensorParallelDegree])}`;
  return {
    sageMakerEndpointName,
    modelName,
    endpointConfigName: endpointConfigName(
      sageMakerEndpointName,
      `i${hash([modelName, e.instanceType, e.initialInstanceCount])}`,
    ),
    image,
  };
}

const hash = (parts: readonly unknown[]) =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 8);
