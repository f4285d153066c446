/**
 * The serving side of an LLM endpoint's model rollout, wired from env for the deployment
 * capability's task function: the LLM table's records (uncached), the endpoint's configured model
 * from its rollout target and, for an LMI endpoint (`lmi`), its SageMaker endpoint's variants.
 */
import type { DeploymentTarget, LmiRolloutTarget } from '../../contracts/deployment';
import { ENV } from '../../contracts/env';
import { type EndpointControl, sageMakerVariantsOnDemand, type VariantBackend } from '../deployment';
import { documentClient, requiredEnv } from '../shared/clients';
import { DynamoDbEndpointModels } from './adapters/dynamodb-endpoint-models';
import { LmiVariantBackend, lmiRolloutNaming } from './domain/lmi-variant-backend';
import { EndpointModelVariantBackend } from './domain/model-variant-backend';

/**
 * The backend of the model rollouts of the LLM endpoint `target` names.
 * @param sageMaker the control plane an LMI endpoint's variants are driven through
 *   @default - SageMaker's (the local SageMaker's where `MLOPS_SAGEMAKER_ENDPOINT` is set), its
 *   client imported on the first call
 */
export function endpointModelBackend(
  subject: string,
  target: DeploymentTarget | undefined,
  sageMaker?: EndpointControl,
): VariantBackend {
  if (!target?.configuredModel) {
    throw new Error(`${subject} rolls out an LLM endpoint's model but its target names no configured model`);
  }
  // No cache: each step reads what it replaces.
  const records = new DynamoDbEndpointModels(documentClient(), requiredEnv(ENV.llmTable), 0);
  const models = new EndpointModelVariantBackend(records, {
    name: target.endpointName,
    model: target.configuredModel,
  });
  return target.lmi
    ? new LmiVariantBackend(models, sageMakerVariants(target.lmi, sageMaker), target.lmi)
    : models;
}

/**
 * The deployment capability's SageMaker backend under the LMI endpoint's names, its control plane
 * imported on the first step.
 */
const sageMakerVariants = (lmi: LmiRolloutTarget, sageMaker: EndpointControl | undefined) =>
  sageMakerVariantsOnDemand(lmiRolloutNaming(lmi), sageMaker);
