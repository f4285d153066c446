/**
 * Pure SageMaker rollout decisions: the endpoint configs a rollout derives, whether an endpoint
 * update finished, and which models and configs a rollout made (and may delete). No I/O: the
 * SageMaker backend feeds these with what the endpoint port reads; the endpoint custom resource
 * reads progress the same way.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpoint.html
 */
import { Variant } from '../../../contracts/serving';
import type { EndpointConfigSpec, EndpointState } from '../domain/ports';
import type { Progress } from '../domain/rollout';

/**
 * Whether a rollout made this model (`...-v<version>`) or config (`...-c<id>`, `...-p<id>`). The
 * stack's initial model and config (`...-i<hash>`) belong to CloudFormation and are never deleted.
 */
export const madeByRollout = (name: string | undefined): name is string =>
  !!name && /-(v\d+|[cp][a-z0-9]+)$/.test(name);

const variantOf = (config: EndpointConfigSpec, name: string) => {
  const found = config.variants.find((v) => v.variantName === name);
  if (!found) throw new Error(`endpoint config ${config.name} has no ${name} variant`);
  return found;
};

/** The champion's model in a config. */
export const championModel = (config: EndpointConfigSpec): string =>
  variantOf(config, Variant.CHAMPION).modelName;

/**
 * The canary's config, derived from `base` (the endpoint's config at rest): the champion's variant
 * as it is, and a challenger variant like it (instance type and count) on `challengerModel` at
 * weight 0. SageMaker configs are immutable, so adding a variant is a new config and an
 * UpdateEndpoint, which provisions the challenger's instances.
 */
export function withChallenger(
  base: EndpointConfigSpec,
  name: string,
  challengerModel: string,
): EndpointConfigSpec {
  const champion = variantOf(base, Variant.CHAMPION);
  return {
    name,
    rest: base.rest,
    variants: [
      { ...champion, weight: 100 },
      { ...champion, variantName: Variant.CHALLENGER, modelName: challengerModel, weight: 0 },
    ],
  };
}

/**
 * A config at rest, derived from `base`: the champion's variant alone, on `model`. Any challenger
 * variant of `base` is left out, so UpdateEndpoint to it releases the challenger's instances.
 */
export function championOnly(base: EndpointConfigSpec, name: string, model: string): EndpointConfigSpec {
  const champion = variantOf(base, Variant.CHAMPION);
  return { name, rest: base.rest, variants: [{ ...champion, modelName: model, weight: 100 }] };
}

/**
 * Whether an endpoint update to `expectedConfig` finished. A failed update leaves the endpoint
 * InService on its PREVIOUS config (SageMaker rolls it back), so InService alone is not success.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpoint.html
 */
export function endpointProgress(
  state: EndpointState | undefined,
  expectedConfig: string | undefined,
  polls: number,
  maxPolls: number,
): { progress: Progress; reason?: string } {
  if (!state) return { progress: 'FAILED', reason: 'the endpoint does not exist' };
  if (
    state.status === 'Failed' ||
    state.status === 'UpdateRollbackFailed' ||
    state.status === 'OutOfService'
  ) {
    return {
      progress: 'FAILED',
      reason: `endpoint is ${state.status}: ${state.failureReason ?? 'no reason given'}`,
    };
  }
  if (state.status === 'InService') {
    if (expectedConfig === undefined || state.endpointConfigName === expectedConfig)
      return { progress: 'READY' };
    return {
      progress: 'FAILED',
      reason: `update to ${expectedConfig} did not take: ${state.failureReason ?? `endpoint runs ${state.endpointConfigName}`}`,
    };
  }
  if (polls >= maxPolls) {
    return { progress: 'FAILED', reason: `endpoint still ${state.status} after ${polls} checks` };
  }
  return { progress: 'WAITING' };
}
