/**
 * The treatment's variant on the model's endpoint, step by step: DEPLOYING until the endpoint
 * serves it (then traffic is split and sticky keys routed by the experiment), SERVING while the
 * experiment runs, REMOVING once traffic went back to the champion and the endpoint goes back to
 * the champion alone, REMOVED when what it was made of is deleted and the endpoint's lock is
 * released. A conclusion's promotion waits for REMOVED: the rollout needs the endpoint free.
 * Each step is one poll and one conditioned write, so the route that started a change and the
 * guardrail schedule can both move it on; a route waits `settleWithinMs` at most.
 */
import type { Experiment, TreatmentVariant } from '../../../contracts/experiments';
import { PlatformError } from '../../shared/errors';
import type { ExperimentsDeps, TreatmentVariants } from './ports';

const POLL_MS = 250;

function variantsOf(deps: ExperimentsDeps): TreatmentVariants {
  if (!deps.variants)
    throw new Error('this experiment has a treatment variant but no serving backend is wired');
  return deps.variants;
}

/** What still has to happen on the endpoint (or through the rollout) for this experiment. */
export function hasPendingStep(e: Experiment): boolean {
  const phase = e.treatmentVariant?.phase;
  const waiting = e.promotion?.status === 'PENDING' || e.promotion?.status === 'AWAITING_APPROVAL';
  return (
    phase === 'DEPLOYING' || phase === 'REMOVING' || (waiting && (phase === undefined || phase === 'REMOVED'))
  );
}

/** Whether the guardrail schedule has work on the experiment: evaluating it, or a step to take. */
export function needsSchedule(e: Experiment): boolean {
  return e.status === 'RUNNING' || hasPendingStep(e);
}

/** The moves a step needs from the lifecycle: the split, the stop and the lock. */
export interface StepActions {
  /** Splits traffic by the arms and routes sticky keys by the experiment. */
  serve(e: Experiment): Promise<void>;
  /** Stops the experiment (withdrawing the variant) with the reason. */
  stop(e: Experiment, reason: string): Promise<Experiment>;
  releaseLock(e: Experiment): Promise<void>;
}

/** One step of the variant (or the promotion), if one is due; the experiment as it is after it. */
export async function advance(
  deps: ExperimentsDeps,
  e: Experiment,
  actions: StepActions,
): Promise<Experiment> {
  const v = e.treatmentVariant;
  if (v?.phase === 'DEPLOYING') {
    const polled = await variantsOf(deps).progress(e.modelName, v, 'challenger', v.polls + 1);
    if (polled.progress === 'FAILED')
      return actions.stop(
        withVariant(e, { ...v, ...(polled.reason ? { reason: polled.reason } : {}) }),
        `the treatment variant could not be deployed: ${polled.reason ?? 'endpoint update failed'}`,
      );
    if (polled.progress === 'READY') {
      const serving = withVariant(e, { ...v, phase: 'SERVING', polls: 0 });
      await actions.serve(serving);
      return save(deps, e, serving);
    }
    return save(deps, e, withVariant(e, { ...v, polls: v.polls + 1 }));
  }
  if (v?.phase === 'REMOVING') {
    const polled = await variantsOf(deps).progress(e.modelName, v, 'restore', v.polls + 1);
    if (polled.progress === 'READY') {
      await variantsOf(deps).remove(e.modelName, v);
      const removed = await save(deps, e, withVariant(e, { ...v, phase: 'REMOVED', polls: 0 }));
      await actions.releaseLock(removed);
      return removed;
    }
    // A failed restore keeps the lock: the endpoint may still have the variant, which a rollout
    // must not find. The reason is kept for the operator; polls go on.
    return save(
      deps,
      e,
      withVariant(e, {
        ...v,
        polls: v.polls + 1,
        ...(polled.progress === 'FAILED' && polled.reason ? { reason: polled.reason } : {}),
      }),
    );
  }
  if (v === undefined || v.phase === 'REMOVED') {
    if (e.promotion?.status === 'PENDING') return promote(deps, e);
    if (e.promotion?.status === 'AWAITING_APPROVAL') return promoteApproved(deps, e);
  }
  return e;
}

/** Steps on until nothing is due or `settleWithinMs` has passed. */
export async function settle(
  deps: ExperimentsDeps,
  e: Experiment,
  actions: StepActions,
  budgetMs = deps.settleWithinMs ?? 0,
): Promise<Experiment> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const until = Date.now() + budgetMs;
  let current = e;
  for (;;) {
    const was = current.treatmentVariant?.phase;
    const before = current;
    current = await advance(deps, current, actions);
    // Nothing moved (a rollout waiting on sign-off): that is the approvers' time, not the route's.
    if (!hasPendingStep(current) || current === before) return current;
    // A phase that just changed moves on at once; one still waiting is polled again later.
    if (current.treatmentVariant?.phase !== was) continue;
    if (Date.now() + POLL_MS > until) return current;
    await sleep(POLL_MS);
  }
}

/** Starts the winner's rollout; a refusal (a rollout's own 4xx) is recorded, not thrown. */
async function promote(deps: ExperimentsDeps, e: Experiment): Promise<Experiment> {
  const promotion = e.promotion!;
  if (!deps.promoter) throw new Error('this experiment has a promotion pending but no rollout is wired');
  try {
    const { deploymentId } = await deps.promoter.promote(
      e.modelName,
      promotion.version,
      promotion.requestedBy,
    );
    return save(deps, e, { ...e, deploymentId, promotion: { ...promotion, status: 'STARTED' } });
  } catch (err) {
    if (!(err instanceof PlatformError) || err.status >= 500) throw err;
    return save(deps, e, { ...e, promotion: { ...promotion, status: 'REFUSED', reason: err.message } });
  }
}

/**
 * The rollout of a conclusion that waits on sign-off: started under the request's id once it is
 * approved (the approval's own event may have started it already: the same rollout is found),
 * REFUSED once it is rejected or expired; nothing while it is open.
 */
async function promoteApproved(deps: ExperimentsDeps, e: Experiment): Promise<Experiment> {
  const promotion = e.promotion!;
  if (!deps.promoter || !promotion.approvalId)
    throw new Error('this experiment waits on an approval but no rollout is wired');
  const refuse = (reason: string) =>
    save(deps, e, { ...e, promotion: { ...promotion, status: 'REFUSED', reason } });
  const approval = await deps.promoter.approval(e.modelName, promotion.approvalId);
  if (!approval) return refuse(`approval request ${promotion.approvalId} does not exist`);
  if (approval.status === 'OPEN') return e;
  if (approval.status !== 'APPROVED')
    return refuse(
      `approval request ${approval.id} is ${approval.status}${approval.closedReason ? `: ${approval.closedReason}` : ''}`,
    );
  try {
    const started = await deps.promoter.promoteApproved(e.modelName, approval.id);
    if (!started) return refuse(`approval request ${approval.id} does not stand for a rollout`);
    if ('refused' in started) return refuse(`the approved rollout was refused: ${started.refused}`);
    return save(deps, e, {
      ...e,
      deploymentId: started.deploymentId,
      promotion: { ...promotion, status: 'STARTED' },
    });
  } catch (err) {
    if (!(err instanceof PlatformError) || err.status >= 500) throw err;
    // Another holder of the endpoint (a rollout the approval's event is starting) passes: next run.
    if (err.status === 409) return e;
    return refuse(err.message);
  }
}

function withVariant(e: Experiment, treatmentVariant: TreatmentVariant): Experiment {
  return { ...e, treatmentVariant };
}

/** Writes a step's result under the revision it read; steps are not audited (the lifecycle change is). */
async function save(deps: ExperimentsDeps, before: Experiment, next: Experiment): Promise<Experiment> {
  const saved: Experiment = {
    ...next,
    updatedAt: deps.now().toISOString(),
    revision: before.revision + 1,
  };
  await deps.store.update(saved, before.revision, []);
  return saved;
}
