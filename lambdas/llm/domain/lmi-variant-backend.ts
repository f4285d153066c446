/**
 * The rollout's serving side for a SageMaker LMI endpoint's model id: SageMaker splits the calls
 * between the endpoint's `champion` and `challenger` production variants (the candidate's weights
 * served as a second variant, made like the champion's model on the candidate's artifact), driven
 * by the deployment capability's SageMaker backend under this endpoint's names; and the LLM table's
 * served-model and split records are kept as a Bedrock endpoint's are (`EndpointModelVariantBackend`),
 * so the chat route knows which model id the variant that answered serves. The rollout's state
 * speaks of the LLM endpoint and its model ids (`endpointName`, `candidateModel`, version 0); the
 * SageMaker side is handed a view naming the SageMaker endpoint and its models. Each step is the
 * two backends' steps, each safe to retry, so the step is too.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpointWeightsAndCapacities.html
 */
import { createHash } from 'node:crypto';
import type { LmiRolloutTarget } from '../../../contracts/deployment';
import { endpointConfigName, SAGEMAKER_NAME_MAX_LENGTH } from '../../../contracts/serving';
import type {
  ChallengerResources,
  ProgressCheck,
  ProgressReport,
  RolloutState,
  SageMakerRolloutNaming,
  VariantBackend,
} from '../../deployment';

/**
 * The SageMaker model serving `candidate` on `sageMakerEndpoint`:
 * `<sageMakerEndpoint>-<first 8 hex of sha256(candidate)>`, one per candidate, so a rollout retried
 * or repeated finds the model it made.
 * @throws Error when the name would pass SageMaker's 63 characters
 */
export function lmiVariantModelName(sageMakerEndpoint: string, candidate: string): string {
  const name = `${sageMakerEndpoint}-${createHash('sha256').update(candidate).digest('hex').slice(0, 8)}`;
  if (name.length > SAGEMAKER_NAME_MAX_LENGTH)
    throw new Error(`SageMaker model name ${name} is longer than ${SAGEMAKER_NAME_MAX_LENGTH} characters`);
  return name;
}

/** The id shortened for config names, as the deployment capability shortens it. */
const shortId = (id: string) => id.replace(/[^a-z0-9]/g, '').slice(0, 12);

/**
 * What a rollout of an LMI endpoint makes and may delete: a candidate's model (above) and the
 * configs `<sageMakerEndpoint>-c-<id>` (canary) and `-p-<id>` (promoted). The stack names its own
 * model and config `<sageMakerEndpoint>-i<8 hex>`, so a model counts as the rollout's only when it
 * is a declared candidate's, and a config only with the hyphen after its step letter, which the
 * stack's never has.
 */
export function lmiRolloutNaming(lmi: LmiRolloutTarget): SageMakerRolloutNaming {
  const endpoint = lmi.sageMakerEndpointName;
  const candidateModels = new Set(
    Object.keys(lmi.candidatePackageUrls).map((c) => lmiVariantModelName(endpoint, c)),
  );
  return {
    // A candidate is made like the stack's model (its current image and tensor parallelism), not
    // like the champion's, which after a promotion is an earlier candidate's.
    templateConfig: lmi.initialEndpointConfigName,
    challengerModel: (state) => lmiVariantModelName(endpoint, candidateOf(state)),
    endpointConfig: (state, step) => endpointConfigName(endpoint, `${step}-${shortId(state.deploymentId)}`),
    madeByRollout: (name): name is string =>
      !!name &&
      (candidateModels.has(name) ||
        (name.startsWith(`${endpoint}-`) && /^[cp]-[a-z0-9]+$/.test(name.slice(endpoint.length + 1)))),
  };
}

const candidateOf = (state: RolloutState): string => {
  if (!state.candidateModel) throw new Error(`rollout ${state.deploymentId} names no candidate model`);
  return state.candidateModel;
};

export class LmiVariantBackend implements VariantBackend {
  /**
   * @param records the LLM table's side (`EndpointModelVariantBackend` on the endpoint)
   * @param variants the SageMaker endpoint's side (`SageMakerVariantBackend` with `lmiRolloutNaming`,
   *   no autoscaling: the stack registers none on an LMI endpoint)
   * @param lmi the target's SageMaker endpoint and candidates' artifacts
   */
  constructor(
    private readonly records: VariantBackend,
    private readonly variants: VariantBackend,
    private readonly lmi: LmiRolloutTarget,
  ) {}

  /**
   * Refuses a candidate the target has no artifact for, or one the endpoint serves already, before
   * SageMaker is touched; then the challenger variant, on a model made like the champion's.
   */
  async prepareChallenger(
    state: RolloutState,
  ): Promise<{ readonly challenger: ChallengerResources } | { readonly refusal: string }> {
    const candidate = candidateOf(state);
    const packageUrl = Object.hasOwn(this.lmi.candidatePackageUrls, candidate)
      ? this.lmi.candidatePackageUrls[candidate]
      : undefined;
    if (!packageUrl)
      return {
        refusal: `model ${candidate} has no artifact in the rollout target of LLM endpoint ${state.endpointName}`,
      };
    const served = await this.records.prepareChallenger(state, async () => packageUrl);
    if ('refusal' in served) return served;
    const made = await this.variants.prepareChallenger(this.view(state), async () => packageUrl);
    if ('refusal' in made) return made;
    return {
      challenger: {
        ...made.challenger,
        // The rollout's record and audit name model ids, as a Bedrock endpoint's do.
        modelName: candidate,
        previousChampionModel: served.challenger.previousChampionModel,
        previousChampionSageMakerModel: made.challenger.previousChampionModel,
      },
    };
  }

  progress(state: RolloutState, check: ProgressCheck, polls: number): Promise<ProgressReport> {
    return this.variants.progress(this.view(state), check, polls);
  }

  /**
   * The split record first, then SageMaker's weights: a call the challenger answers finds the
   * candidate it serves recorded. Weight 0 clears them in the other order.
   */
  async setWeights(state: RolloutState, weights: { champion: number; challenger: number }): Promise<void> {
    if (weights.challenger > 0) await this.records.setWeights(state, weights);
    await this.variants.setWeights(this.view(state), weights);
    if (weights.challenger <= 0) await this.records.setWeights(state, weights);
  }

  /**
   * The served-model record names the candidate first, then the champion variant alone on the
   * candidate's model (UpdateEndpoint). At this point the challenger takes every call (the last
   * step is 100), and SageMaker keeps the old fleet serving until the new one is in service, so a
   * call answered by either variant from here on is the candidate's: the record must say so before
   * the champion variant can serve it. A rollback after this puts the record back
   * (`restoreVariants`).
   */
  async promote(state: RolloutState) {
    await this.records.promote(state);
    return this.variants.promote(this.view(state));
  }

  /** The promoted config is in service: the split goes (the record named the candidate already). */
  async championTakesAll(state: RolloutState): Promise<void> {
    await this.variants.championTakesAll(this.view(state));
    await this.records.promote(state);
    await this.records.championTakesAll(state);
  }

  retirePrevious(state: RolloutState): Promise<void> {
    return this.variants.retirePrevious(this.view(state));
  }

  /** Every call back on the champion variant, then the split cleared. */
  async restoreWeights(state: RolloutState): Promise<void> {
    await this.variants.restoreWeights(this.view(state));
    await this.records.restoreWeights(state);
  }

  async restoreVariants(state: RolloutState): Promise<void> {
    await this.variants.restoreVariants(this.view(state));
    await this.records.restoreVariants(state);
  }

  removeChallenger(state: RolloutState): Promise<void> {
    return this.variants.removeChallenger(this.view(state));
  }

  /**
   * The state as the SageMaker side reads it: the SageMaker endpoint, the challenger's and the
   * previous champion's SageMaker models. No initial config: the stack owns the endpoint, so a
   * missing one is a refusal rather than an endpoint the rollout creates.
   */
  private view(state: RolloutState): RolloutState {
    const { initialEndpointConfigName: _initial, scaling: _scaling, ...rest } = state;
    const challenger = state.challenger && {
      ...state.challenger,
      modelName: lmiVariantModelName(this.lmi.sageMakerEndpointName, candidateOf(state)),
      previousChampionModel: state.challenger.previousChampionSageMakerModel,
    };
    return {
      ...rest,
      endpointName: this.lmi.sageMakerEndpointName,
      ...(challenger ? { challenger } : {}),
    };
  }
}
