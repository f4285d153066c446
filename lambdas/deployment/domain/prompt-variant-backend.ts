/**
 * The rollout's serving side for a prompt: the champion is the version `production` names, the
 * challenger the version rolled out. Nothing is deployed: the chat route reads the rollout's
 * routing record (written by the tasks after each weight change) and sends that share of the calls
 * naming `production` to the challenger. Promotion points `production` at the version; a rollback
 * leaves it where it was (and puts it back if a failed promotion had moved it).
 */
import { PRODUCTION_ALIAS } from '../../../contracts/llm-names';
import type { RolloutState } from './state';
import type { ChallengerResources, ProgressReport, VariantBackend } from './variant-backend';

/** The registry's alias calls a prompt rollout makes (the registry's `RegistryService`). */
export interface PromptAliases {
  aliasVersion(name: string, alias: string): Promise<number | undefined>;
  /** `promptReleaseChecked`: the rollout's start checked the evaluation score floors. */
  setAlias(
    name: string,
    alias: string,
    version: number,
    actor: { principal: string; requestId?: string },
    options?: { readonly promptReleaseChecked?: boolean },
  ): Promise<void>;
}

const READY: ProgressReport = { progress: 'READY' };

/** `name/version`, the prompt reference each side serves, as the challenger record names it. */
const ref = (name: string, version: number) => `${name}/${version}`;

const versionOf = (reference: string | undefined): number | undefined => {
  const n = Number(reference?.slice(reference.lastIndexOf('/') + 1));
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

export class PromptVariantBackend implements VariantBackend {
  constructor(private readonly aliases: PromptAliases) {}

  async prepareChallenger(
    state: RolloutState,
  ): Promise<{ readonly challenger: ChallengerResources } | { readonly refusal: string }> {
    const production = await this.aliases.aliasVersion(state.modelName, PRODUCTION_ALIAS);
    if (production === state.version) {
      return { refusal: `${state.modelName} version ${state.version} is already ${PRODUCTION_ALIAS}` };
    }
    if (production === undefined) {
      // No champion to compare with: the first version goes to production by the alias route.
      return { refusal: `${state.modelName} has no ${PRODUCTION_ALIAS} version to roll out against` };
    }
    return {
      challenger: {
        modelName: ref(state.modelName, state.version),
        previousChampionModel: ref(state.modelName, production),
      },
    };
  }

  // Nothing to wait for: the route reads the weights on its next call.
  async progress(): Promise<ProgressReport> {
    return READY;
  }

  // The tasks record the split the route reads (`recordRouting`) right after this.
  async setWeights(): Promise<void> {}

  async promote(state: RolloutState): Promise<Record<string, never>> {
    await this.aliases.setAlias(
      state.modelName,
      PRODUCTION_ALIAS,
      state.version,
      { principal: state.requestedBy, requestId: state.requestId ?? state.deploymentId },
      { promptReleaseChecked: true },
    );
    return {};
  }

  async championTakesAll(): Promise<void> {}

  async retirePrevious(): Promise<void> {}

  async restoreWeights(): Promise<void> {}

  /** `production` back on the version it named before, if a promotion that then failed moved it. */
  async restoreVariants(state: RolloutState): Promise<void> {
    const previous = versionOf(state.challenger?.previousChampionModel);
    if (previous === undefined) return;
    const now = await this.aliases.aliasVersion(state.modelName, PRODUCTION_ALIAS);
    if (now !== state.version) return;
    await this.aliases.setAlias(
      state.modelName,
      PRODUCTION_ALIAS,
      previous,
      { principal: state.requestedBy, requestId: state.requestId ?? state.deploymentId },
      { promptReleaseChecked: true },
    );
  }

  async removeChallenger(): Promise<void> {}
}
