/**
 * Prompt versions rolled out by canary: the start (evaluation score floors first, then the
 * platform's rollout, as a model's), and the chat route's side of a running rollout: which version
 * serves a call naming `production`, and the metrics the rollout's alarms read.
 */
import type { ApprovalRequestView } from '../../../contracts/approvals';
import type { Deployment } from '../../../contracts/deployment';
import { LLM_METRICS_NAMESPACE, PRODUCTION_ALIAS, parsePromptReference } from '../../../contracts/llm';
import {
  PROMPT_ROLLOUT_METRICS,
  type PromptRolloutConfig,
  type PromptVariant,
  type StartPromptRolloutRequest,
} from '../../../contracts/llm-rollouts';
import { NotFoundError } from '../../shared/errors';
import type { MetricsDocument } from '../../shared/metrics';
import type { Actor } from './ports';
import { type PromptDeps, requireReleasable } from './prompts';

/** A running rollout's split of a prompt's `production` traffic. */
export interface PromptCanary {
  readonly deploymentId: string;
  /** The version rolled out (the challenger). */
  readonly version: number;
  /** Its share of the calls, in percent. */
  readonly challengerPercent: number;
}

/** Reads the split a running rollout set (the rollout's routing record). */
export interface PromptCanaries {
  /** `undefined` when no rollout of the prompt sends it traffic. */
  current(prompt: string): Promise<PromptCanary | undefined>;
}

/** Starts the platform's rollout of a prompt version (checks, sign-off, lock, execution). */
export type PromptRolloutStarter = (
  actor: Actor,
  prompt: string,
  req: StartPromptRolloutRequest,
) => Promise<Deployment | { readonly approval: ApprovalRequestView }>;

/**
 * Starts a canary rollout of `req.version`, which ends by pointing `production` at it: the version
 * must pass the release checks the alias route applies (422 listing each failed one) before
 * anything starts.
 */
export async function startPromptRollout(
  deps: PromptDeps & {
    readonly scoreFloors: Readonly<Record<string, number>>;
    readonly promptRollouts: readonly PromptRolloutConfig[];
    /** @default - no rollouts can start */
    readonly startRollout?: PromptRolloutStarter;
  },
  actor: Actor,
  name: string,
  req: StartPromptRolloutRequest,
): Promise<Deployment | { readonly approval: ApprovalRequestView }> {
  if (!deps.startRollout || !deps.promptRollouts.some((r) => r.prompt === name)) {
    throw new NotFoundError(
      'PROMPT_ROLLOUT_NOT_CONFIGURED',
      `prompt ${name} has no rollout; add it to mlops:llm promptRollouts`,
    );
  }
  await requireReleasable(deps, name, req.version);
  return deps.startRollout(actor, name, req);
}

/** The reference a call is served with, and the side of a running rollout it fell on. */
export interface ServedReference {
  readonly ref: string;
  readonly rollout?: { readonly deploymentId: string; readonly variant: PromptVariant };
}

/**
 * Only calls naming `production` take part: a call pinned to `name/version` or another alias gets
 * what it asked for. `random` is uniform in [0, 1).
 */
export async function servedReference(
  canaries: PromptCanaries | undefined,
  random: () => number,
  ref: string,
): Promise<ServedReference> {
  const parsed = parsePromptReference(ref);
  if (!canaries || parsed.alias !== PRODUCTION_ALIAS) return { ref };
  const canary = await canaries.current(parsed.name);
  if (!canary || canary.challengerPercent <= 0) return { ref };
  const challenger = random() * 100 < canary.challengerPercent;
  return {
    ref: challenger ? `${parsed.name}/${canary.version}` : ref,
    rollout: { deploymentId: canary.deploymentId, variant: challenger ? 'challenger' : 'champion' },
  };
}

/** What the rollout's alarms count of one call of a prompt under rollout. */
export interface RolloutCall {
  /** Milliseconds of the model call; none when a rule refused the call before the model. */
  readonly latencyMs?: number;
  /** The model call raised. */
  readonly failed: boolean;
  /** A guardrail (the platform's rules or the provider's) refused or withheld it. */
  readonly blocked: boolean;
}

/** One call of a prompt under rollout, by prompt and side: the rollout's alarms read these. */
export function rolloutCallMetrics(
  prompt: string,
  variant: PromptVariant,
  call: RolloutCall,
  at: number,
): MetricsDocument {
  return variantCallMetrics({ [PROMPT_ROLLOUT_METRICS.promptDimension]: prompt }, variant, call, at);
}

/**
 * One call under a rollout (of a prompt, or of an endpoint's model), by what rolls out and side:
 * the same metric names either way, so the rollouts' alarms read alike.
 */
export function variantCallMetrics(
  subject: Readonly<Record<string, string>>,
  variant: PromptVariant,
  call: RolloutCall,
  at: number,
): MetricsDocument {
  return {
    namespace: LLM_METRICS_NAMESPACE,
    dimensions: { ...subject, [PROMPT_ROLLOUT_METRICS.variantDimension]: variant },
    metrics: [
      { name: PROMPT_ROLLOUT_METRICS.calls, unit: 'Count', value: 1 },
      { name: PROMPT_ROLLOUT_METRICS.errors, unit: 'Count', value: call.failed ? 1 : 0 },
      { name: PROMPT_ROLLOUT_METRICS.guardrailBlocks, unit: 'Count', value: call.blocked ? 1 : 0 },
      ...(call.latencyMs === undefined
        ? []
        : [{ name: PROMPT_ROLLOUT_METRICS.latency, unit: 'Milliseconds' as const, value: call.latencyMs }]),
    ],
    timestamp: at,
  };
}
