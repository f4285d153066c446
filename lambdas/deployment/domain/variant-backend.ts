/**
 * The one port a rollout drives, whatever serves the model: a champion and a challenger variant
 * behind one endpoint, traffic split between them by weight. SageMaker (endpoint configs,
 * UpdateEndpoint, UpdateEndpointWeightsAndCapacities) and ECS (task definition revisions,
 * UpdateService, listener weights) implement it in `adapters/`; the rollout's tasks never ask
 * which one they hold, as Feast's online stores share one interface.
 */
import type { Progress } from './rollout';
import type { RolloutState } from './state';

/**
 * What a backend made for the challenger, carried in the execution state until the rollout ends
 * and kept with the record (see `RolloutResources`) for the undo of a stopped execution.
 */
export type ChallengerResources = Omit<
  NonNullable<RolloutState['challenger']>,
  'created' | 'previousVersion' | 'reason'
>;

/** What a backend made for the promotion (the promoted config or task definition). */
export type PromotionResources = NonNullable<RolloutState['promotion']>;

/** A poll's answer: READY, WAITING (poll again after the Wait) or FAILED with the reason. */
export interface ProgressReport {
  readonly progress: Progress;
  readonly reason?: string;
}

/**
 * What a poll waits for: the challenger deployed, the champion promoted, the endpoint settled
 * after traffic went back to the champion, or the pre-rollout variants restored.
 */
export type ProgressCheck = 'challenger' | 'promotion' | 'settled' | 'restore';

/**
 * The serving side of a rollout. Every method takes the execution state (the endpoint, the
 * version, and what earlier steps made) and is safe to retry: a retried task finds its own work
 * done and does not repeat it.
 */
export interface VariantBackend {
  /**
   * Deploys the version on the challenger variant at weight 0, the champion untouched; or, where
   * the model has no endpoint yet and the stack names an initial one, creates the endpoint with
   * both variants on the version (`createdEndpoint`). `packageUrl` packages the version (once) and
   * gives its `s3://` URL. A refusal (endpoint missing or busy, version already the champion)
   * changes nothing.
   */
  prepareChallenger(
    state: RolloutState,
    packageUrl: () => Promise<string>,
  ): Promise<{ readonly challenger: ChallengerResources } | { readonly refusal: string }>;
  /** One poll of what `check` waits for; FAILED after `state.maxEndpointPolls` polls. */
  progress(state: RolloutState, check: ProgressCheck, polls: number): Promise<ProgressReport>;
  /** Splits traffic between the variants in place (no redeploy). */
  setWeights(state: RolloutState, weights: { champion: number; challenger: number }): Promise<void>;
  /** Puts the version on the champion variant (the challenger keeps it meanwhile). */
  promote(state: RolloutState): Promise<PromotionResources>;
  /** After a promotion took: the champion (now the version) takes all traffic. */
  championTakesAll(state: RolloutState): Promise<void>;
  /**
   * After a promotion: removes what served the previous champion and the rollout's intermediate
   * resources, and (re)registers autoscaling where the backend owns it. The stack's own resources
   * are never removed.
   */
  retirePrevious(state: RolloutState): Promise<void>;
  /** First move of a rollback: all traffic back to the champion, at once, if it moved. */
  restoreWeights(state: RolloutState): Promise<void>;
  /** Puts both variants back on what they served before the rollout (no-op where they still do). */
  restoreVariants(state: RolloutState): Promise<void>;
  /** After a rollback: removes what the rollout made (an endpoint it created included). */
  removeChallenger(state: RolloutState): Promise<void>;
}
