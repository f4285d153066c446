/**
 * The LLM endpoints as they serve now: each one's settings from the stack's config, with the model
 * it serves (a promoted candidate's served-model record, else its configured model) and a running
 * model rollout's split, read as the chat route reads them (`modelForCall`): an endpoint that
 * declares no candidates serves its configured model without a read.
 */
import { candidateModelIds, type LlmEndpointConfig, type LlmEndpointView } from '../../../contracts/llm';
import { llmEndpointName } from '../../../contracts/serving';
import { NotFoundError } from '../../shared/errors';
import { type EndpointModels, servedModelId } from './model-rollouts';

export interface EndpointViewDeps {
  readonly endpoints: readonly LlmEndpointConfig[];
  readonly endpointModels?: EndpointModels;
  /** Names the LMI endpoints' SageMaker endpoints (`mlops-<envName>-llm-<name>`). @default - no name */
  readonly envName?: string;
}

/** Every declared LLM endpoint, in the config's order. */
export function listEndpointViews(deps: EndpointViewDeps): Promise<LlmEndpointView[]> {
  return Promise.all(deps.endpoints.map((e) => endpointView(deps, e)));
}

/** One LLM endpoint (404 `LLM_ENDPOINT_NOT_FOUND` for one the stack does not declare). */
export function getEndpointView(deps: EndpointViewDeps, name: string): Promise<LlmEndpointView> {
  const endpoint = deps.endpoints.find((e) => e.name === name);
  if (!endpoint) throw new NotFoundError('LLM_ENDPOINT_NOT_FOUND', `no LLM endpoint ${name}`);
  return endpointView(deps, endpoint);
}

async function endpointView(deps: EndpointViewDeps, e: LlmEndpointConfig): Promise<LlmEndpointView> {
  const candidates = candidateModelIds(e);
  const [record, canary] =
    candidates.length && deps.endpointModels
      ? await Promise.all([deps.endpointModels.served(e.name), deps.endpointModels.canary(e.name)])
      : [undefined, undefined];
  const servedModel = servedModelId(e, record);
  const promoted = record?.endpoint === e.name && record.modelId !== e.model ? record : undefined;
  return {
    name: e.name,
    backend: e.backend,
    configuredModel: e.model,
    servedModel,
    ...(promoted
      ? {
          promotion: {
            deploymentId: promoted.deploymentId,
            previousModel: promoted.previousModelId,
            at: promoted.at,
          },
        }
      : {}),
    candidates,
    ...(canary && canary.challengerPercent > 0
      ? {
          rollout: {
            deploymentId: canary.deploymentId,
            candidate: canary.candidate,
            challengerPercent: canary.challengerPercent,
          },
        }
      : {}),
    ...(e.backend === 'sagemaker'
      ? {
          ...(deps.envName ? { sageMakerEndpointName: llmEndpointName(deps.envName, e.name) } : {}),
          instanceType: e.instanceType,
          initialInstanceCount: e.initialInstanceCount,
        }
      : e.guardrail
        ? { guardrail: e.guardrail }
        : {}),
    ...(e.dailyBudgetMicroUsd !== undefined ? { dailyBudgetMicroUsd: e.dailyBudgetMicroUsd } : {}),
  };
}
