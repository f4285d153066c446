/**
 * The rollout's `VariantBackend` on a SageMaker real-time endpoint. At rest the endpoint has one
 * production variant, the champion; the challenger variant (and the instances it costs) exists only
 * during a rollout. A variant's model is a SageMaker model; configs are immutable, so every change
 * of variants is a new endpoint config and an UpdateEndpoint, while weight changes use
 * UpdateEndpointWeightsAndCapacities (no redeploy).
 * - challenger: a model for the version (made like the stack's initial model, else the
 *   champion's), a config with the champion unchanged and a challenger variant on it at weight 0;
 *   its autoscaling is registered when it first takes traffic;
 * - promotion: a config with the champion alone, on the version (the challenger's autoscaling
 *   deregistered first: SageMaker removes a variant only once nothing scales it);
 * - rollback: champion 100 at once, the challenger's autoscaling deregistered, the endpoint back on
 *   its pre-rollout config (the champion alone).
 * Models and configs the rollout made are deleted once nothing serves them; the stack's never.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpoint.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpointWeightsAndCapacities.html
 */
import { endpointConfigName, sagemakerModelName, Variant } from '../../../contracts/serving';
import type { EndpointControl, EndpointScaling, EndpointState } from '../domain/ports';
import { type RolloutState, short } from '../domain/state';
import type {
  ChallengerResources,
  ProgressCheck,
  ProgressReport,
  PromotionResources,
  VariantBackend,
} from '../domain/variant-backend';
import {
  championModel,
  championOnly,
  endpointProgress,
  madeByRollout,
  withChallenger,
} from './sagemaker-rollout';

const ALL_ON_CHAMPION = { [Variant.CHAMPION]: 100, [Variant.CHALLENGER]: 0 };

/**
 * How a rollout names the SageMaker models and configs it makes, and knows them again to delete
 * them: the stack's own are never deleted.
 */
export interface SageMakerRolloutNaming {
  /** The challenger's model for the rollout. */
  challengerModel(state: RolloutState): string;
  /** The config of a rollout's step: `c` the canary's, `p` the promoted one. */
  endpointConfig(state: RolloutState, step: 'c' | 'p'): string;
  /** Whether a rollout made this model or config. */
  madeByRollout(name: string | undefined): name is string;
  /**
   * The stack's config whose model a challenger's is made like, where the rollout's state names
   * none (an endpoint no rollout creates): its image and environment are the stack's current ones.
   * @default - the state's `initialEndpointConfigName`, else the champion's model
   */
  readonly templateConfig?: string;
}

/** A registry model's endpoint: `<endpoint>-v<version>` models, `<endpoint>-c<id>`/`-p<id>` configs. */
export const registryVersionNaming: SageMakerRolloutNaming = {
  challengerModel: (state) => sagemakerModelName(state.endpointName, state.version),
  endpointConfig: (state, step) =>
    endpointConfigName(state.endpointName, `${step}${short(state.deploymentId)}`),
  madeByRollout,
};

export class SageMakerVariantBackend implements VariantBackend {
  /**
   * @param endpoints SageMaker's control plane (or the local SageMaker's)
   * @param scaling variant autoscaling (the challenger's while it exists, the champion's after a
   *   promotion); none where the SageMaker is the local one
   * @param naming the names of what a rollout makes @default - a registry model's (`registryVersionNaming`)
   */
  constructor(
    private readonly endpoints: EndpointControl,
    private readonly scaling?: EndpointScaling,
    private readonly naming: SageMakerRolloutNaming = registryVersionNaming,
  ) {}

  async prepareChallenger(state: RolloutState, packageUrl: () => Promise<string>) {
    const endpoint = await this.endpoints.describeEndpoint(state.endpointName);
    if (!endpoint) {
      if (!state.initialEndpointConfigName)
        return { refusal: `endpoint ${state.endpointName} does not exist` };
      return { challenger: await this.createEndpoint(state, state.initialEndpointConfigName, packageUrl) };
    }
    const retried = await this.ownCanary(state, endpoint);
    if (retried) return { challenger: retried };
    // A retry after the first attempt's update finished: the config the endpoint ran before is no
    // longer known here, and going on would take the canary for it (a rollback would then keep the
    // challenger and delete its model). Refused: the endpoint stays as it is, the challenger at 0.
    if (endpoint.endpointConfigName === this.naming.endpointConfig(state, 'c'))
      return {
        refusal: `endpoint ${state.endpointName} is on this rollout's canary config already, made by an attempt that did not record it; its challenger is left at weight 0`,
      };
    if (endpoint.status !== 'InService')
      return { refusal: `endpoint ${state.endpointName} is ${endpoint.status}` };

    const current = await this.endpoints.describeEndpointConfig(endpoint.endpointConfigName);
    const champion = championModel(current);
    const challengerModel = this.naming.challengerModel(state);
    if (challengerModel === champion) return { refusal: `version ${state.version} is already the champion` };
    const modelDataUrl = await packageUrl();
    const like = await this.modelTemplate(state, champion);
    await this.endpoints.createModelLike(like, challengerModel, modelDataUrl);
    const canary = withChallenger(current, this.naming.endpointConfig(state, 'c'), challengerModel);
    await this.endpoints.createEndpointConfig(canary);
    await this.endpoints.updateEndpoint(state.endpointName, canary.name);
    return {
      challenger: {
        modelName: challengerModel,
        endpointConfigName: canary.name,
        previousEndpointConfigName: current.name,
        previousChampionModel: champion,
      },
    };
  }

  /**
   * A retried task whose first attempt sent its UpdateEndpoint (or CreateEndpoint) and then died:
   * the canary config it made (named after the rollout) exists and the endpoint is moving to it.
   * The work is its own, not another's: only the rollout holding the model's lock changes its
   * endpoint. The challenger is the same as the first attempt's; while an update runs, SageMaker
   * still reports the config the endpoint runs, the one before the rollout. None otherwise.
   */
  private async ownCanary(
    state: RolloutState,
    endpoint: EndpointState,
  ): Promise<ChallengerResources | undefined> {
    const canary = await this.endpoints.findEndpointConfig(this.naming.endpointConfig(state, 'c'));
    if (!canary) return undefined;
    const model = this.naming.challengerModel(state);
    if (endpoint.status === 'Creating' && state.initialEndpointConfigName)
      return { createdEndpoint: true, modelName: model, endpointConfigName: canary.name };
    const champion = championModel(canary);
    if (endpoint.status !== 'Updating' || endpoint.endpointConfigName === canary.name) return undefined;
    const current = await this.endpoints.findEndpointConfig(endpoint.endpointConfigName);
    // The canary keeps the champion of the config it was made from.
    if (!current || championModel(current) !== champion) return undefined;
    return {
      modelName: model,
      endpointConfigName: canary.name,
      previousEndpointConfigName: current.name,
      previousChampionModel: champion,
    };
  }

  /**
   * The model a challenger's is made like: the stack's initial model, whose image, role and
   * environment are the stack's current ones (so a Triton upgrade reaches served versions,
   * canaried), else the champion's. The target naming the stack's config is cached for a minute,
   * so a deploy that has just replaced that config leaves the champion's to copy.
   */
  private async modelTemplate(state: RolloutState, champion: string): Promise<string> {
    const template = state.initialEndpointConfigName ?? this.naming.templateConfig;
    if (!template) return champion;
    const initial = await this.endpoints.findEndpointConfig(template);
    return initial ? championModel(initial) : champion;
  }

  /**
   * A model's first rollout: no endpoint yet, so it is created from the stack's initial config with
   * the champion alone on the version. There is no champion to protect and no challenger to pay
   * for; the canary steps and alarms still run (the one variant takes all traffic), and a rollback
   * deletes the endpoint again.
   */
  private async createEndpoint(
    state: RolloutState,
    initialConfig: string,
    packageUrl: () => Promise<string>,
  ): Promise<ChallengerResources> {
    const initial = await this.endpoints.describeEndpointConfig(initialConfig);
    const model = this.naming.challengerModel(state);
    const modelDataUrl = await packageUrl();
    await this.endpoints.createModelLike(championModel(initial), model, modelDataUrl);
    const config = championOnly(initial, this.naming.endpointConfig(state, 'c'), model);
    await this.endpoints.createEndpointConfig(config);
    await this.endpoints.createEndpoint(state.endpointName, config.name);
    return { createdEndpoint: true, modelName: model, endpointConfigName: config.name };
  }

  /**
   * One DescribeEndpoint: the canary config, the promoted config, the pre-rollout config, or just
   * the endpoint settling (InService on any config, after a weight change).
   */
  async progress(state: RolloutState, check: ProgressCheck, polls: number): Promise<ProgressReport> {
    const expected = {
      challenger: state.challenger?.endpointConfigName,
      promotion: state.promotion?.endpointConfigName,
      restore: state.challenger?.previousEndpointConfigName,
      settled: undefined,
    }[check];
    return endpointProgress(
      await this.endpoints.describeEndpoint(state.endpointName),
      expected,
      polls,
      state.maxEndpointPolls,
    );
  }

  /**
   * Splits traffic in place. The challenger scales with its traffic from its first step: its
   * autoscaling is registered (an upsert) with each shift. An endpoint the rollout created has the
   * one variant, which takes all traffic whatever the step.
   */
  async setWeights(state: RolloutState, weights: { champion: number; challenger: number }): Promise<void> {
    if (state.challenger?.createdEndpoint) return;
    if (state.scaling && this.scaling)
      await this.scaling.apply(state.endpointName, Variant.CHALLENGER, state.scaling);
    await this.endpoints.setWeights(state.endpointName, {
      [Variant.CHAMPION]: weights.champion,
      [Variant.CHALLENGER]: weights.challenger,
    });
  }

  /**
   * A config with the champion alone on the challenger's model: UpdateEndpoint moves the champion
   * to the version and releases the challenger's instances. An endpoint the rollout created already
   * serves the version on its one variant: nothing to change.
   */
  async promote(state: RolloutState): Promise<PromotionResources> {
    const challenger = state.challenger!;
    if (challenger.createdEndpoint) return { endpointConfigName: challenger.endpointConfigName! };
    const name = this.naming.endpointConfig(state, 'p');
    // A retried task whose first attempt sent the update: the endpoint is moving to (or on) its
    // promoted config, which only this rollout makes; a second update would be refused.
    const endpoint = await this.endpoints.describeEndpoint(state.endpointName);
    if (
      endpoint &&
      (endpoint.endpointConfigName === name || endpoint.status === 'Updating') &&
      (await this.endpoints.findEndpointConfig(name))
    )
      return { endpointConfigName: name };
    const base = await this.endpoints.describeEndpointConfig(challenger.endpointConfigName!);
    const promoted = championOnly(base, name, challenger.modelName!);
    await this.endpoints.createEndpointConfig(promoted);
    await this.leaveChallengerScaling(state);
    await this.endpoints.updateEndpoint(state.endpointName, promoted.name);
    return { endpointConfigName: promoted.name };
  }

  /**
   * The promoted config has the champion alone, so it takes all traffic; an endpoint still showing
   * a challenger with traffic (an update that kept its old variants) is corrected here.
   */
  async championTakesAll(state: RolloutState): Promise<void> {
    const endpoint = await this.endpoints.describeEndpoint(state.endpointName);
    if (endpoint?.status === 'InService' && (endpoint.weights[Variant.CHALLENGER] ?? 0) > 0) {
      await this.endpoints.setWeights(state.endpointName, ALL_ON_CHAMPION);
    }
  }

  async retirePrevious(state: RolloutState): Promise<void> {
    const challenger = state.challenger!;
    // The old champion's model and the configs before the promoted one serve nothing any more.
    if (
      this.naming.madeByRollout(challenger.previousChampionModel) &&
      challenger.previousChampionModel !== challenger.modelName
    ) {
      await this.endpoints.deleteModel(challenger.previousChampionModel);
    }
    for (const config of [challenger.previousEndpointConfigName, challenger.endpointConfigName]) {
      if (this.naming.madeByRollout(config) && config !== state.promotion?.endpointConfigName)
        await this.endpoints.deleteEndpointConfig(config);
    }
    // An endpoint the first rollout created has no autoscaling yet (the stack's endpoint resource
    // registers it only for an endpoint it made); registering is an upsert, so every promotion does.
    // The champion is the one variant left.
    if (state.scaling && this.scaling)
      await this.scaling.apply(state.endpointName, Variant.CHAMPION, state.scaling);
  }

  async restoreWeights(state: RolloutState): Promise<void> {
    const endpoint = await this.endpoints.describeEndpoint(state.endpointName);
    // Weights only matter once traffic moved; an endpoint mid-update takes them with the config.
    if (state.bake && endpoint?.status === 'InService' && (endpoint.weights[Variant.CHALLENGER] ?? 0) > 0) {
      await this.endpoints.setWeights(state.endpointName, ALL_ON_CHAMPION);
    }
  }

  /**
   * The endpoint back on the config it had before the rollout (the champion alone), if it is not on
   * it; the challenger leaves autoscaling first.
   */
  async restoreVariants(state: RolloutState): Promise<void> {
    const previous = state.challenger?.previousEndpointConfigName;
    const endpoint = await this.endpoints.describeEndpoint(state.endpointName);
    if (previous && endpoint && endpoint.endpointConfigName !== previous) {
      await this.leaveChallengerScaling(state);
      await this.endpoints.updateEndpoint(state.endpointName, previous);
    }
  }

  async removeChallenger(state: RolloutState): Promise<void> {
    const challenger = state.challenger;
    if (challenger?.createdEndpoint) await this.endpoints.deleteEndpoint(state.endpointName);
    if (!challenger?.created) return;
    // Deregistering one never registered is fine: a rollback that never shifted traffic.
    await this.leaveChallengerScaling(state);
    for (const config of [challenger.endpointConfigName, state.promotion?.endpointConfigName]) {
      if (this.naming.madeByRollout(config)) await this.endpoints.deleteEndpointConfig(config);
    }
    if (
      this.naming.madeByRollout(challenger.modelName) &&
      challenger.modelName !== challenger.previousChampionModel
    ) {
      await this.endpoints.deleteModel(challenger.modelName);
    }
  }

  /**
   * Deregisters the challenger's autoscaling (which deletes its policy): SageMaker refuses to
   * remove a variant that is still a scalable target.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-delete.html
   */
  private async leaveChallengerScaling(state: RolloutState): Promise<void> {
    if (!state.challenger?.createdEndpoint)
      await this.scaling?.remove(state.endpointName, Variant.CHALLENGER);
  }
}
