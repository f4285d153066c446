/**
 * The rollout's serving side for a Bedrock LLM endpoint's model id: the champion is the model the
 * endpoint serves, the challenger the candidate. Nothing is deployed: each weight change writes the
 * split record the chat route reads, a promotion writes the served-model record (keeping the model
 * it replaced), and a rollback clears the split and puts back the served model if this rollout's
 * promotion had replaced it. Every write is conditioned on the record it read, so a step retried
 * after a crash re-reads and re-applies (or finds its work done), and a racing write is a 409.
 */
import type { ChallengerResources, ProgressReport, RolloutState, VariantBackend } from '../../deployment';
import {
  type ConfiguredModel,
  type EndpointModelRecords,
  type ModelCanary,
  promotedRecord,
  rolledBackRecord,
  servedModelId,
} from './model-rollouts';

const READY: ProgressReport = { progress: 'READY' };

const sameCanary = (a: ModelCanary | undefined, b: ModelCanary | undefined): boolean =>
  a?.deploymentId === b?.deploymentId &&
  a?.candidate === b?.candidate &&
  a?.challengerPercent === b?.challengerPercent;

export class EndpointModelVariantBackend implements VariantBackend {
  constructor(
    private readonly records: EndpointModelRecords,
    /** The endpoint's name and configured model (its target's `configuredModel`). */
    private readonly endpoint: ConfiguredModel,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async prepareChallenger(
    state: RolloutState,
  ): Promise<{ readonly challenger: ChallengerResources } | { readonly refusal: string }> {
    const candidate = this.candidateOf(state);
    const served = servedModelId(this.endpoint, await this.records.served(this.endpoint.name));
    if (candidate === served)
      return { refusal: `LLM endpoint ${this.endpoint.name} serves ${candidate} already` };
    return { challenger: { modelName: candidate, previousChampionModel: served } };
  }

  // Nothing to wait for: the chat route reads the split on its next call (within its cache's 5 s).
  async progress(): Promise<ProgressReport> {
    return READY;
  }

  async setWeights(state: RolloutState, weights: { champion: number; challenger: number }): Promise<void> {
    await this.putSplit(
      weights.challenger > 0
        ? {
            deploymentId: state.deploymentId,
            candidate: this.candidateOf(state),
            challengerPercent: weights.challenger,
          }
        : undefined,
    );
  }

  /** The candidate becomes the served model; a redelivered promotion finds it written and keeps it. */
  async promote(state: RolloutState): Promise<Record<string, never>> {
    const current = await this.records.served(this.endpoint.name);
    const next = promotedRecord(
      this.endpoint,
      current,
      this.candidateOf(state),
      state.deploymentId,
      this.now().toISOString(),
    );
    if (next !== current) await this.records.putServed(next, { current });
    return {};
  }

  // The served model is the candidate now: the split has nothing left to send elsewhere.
  async championTakesAll(): Promise<void> {
    await this.putSplit(undefined);
  }

  async retirePrevious(): Promise<void> {}

  /** First move of a rollback: every call back on the served model at once. */
  async restoreWeights(): Promise<void> {
    await this.putSplit(undefined);
  }

  /** The served model back on what it was, if this rollout's promotion (which then failed) replaced it. */
  async restoreVariants(state: RolloutState): Promise<void> {
    const current = await this.records.served(this.endpoint.name);
    const next = rolledBackRecord(current, state.deploymentId, this.now().toISOString());
    if (next) await this.records.putServed(next, { current });
  }

  async removeChallenger(): Promise<void> {}

  /** Writes the split unless it is already what it should be, conditioned on what was read. */
  private async putSplit(next: ModelCanary | undefined): Promise<void> {
    const current = await this.records.canary(this.endpoint.name);
    if (sameCanary(current, next)) return;
    await this.records.putCanary(this.endpoint.name, next, { current });
  }

  private candidateOf(state: RolloutState): string {
    if (!state.candidateModel) throw new Error(`rollout ${state.deploymentId} names no candidate model`);
    return state.candidateModel;
  }
}
