/**
 * The experiment lifecycle: DRAFT > RUNNING > STOPPED | CONCLUDED. Creating one plans its sample
 * size; starting takes the model endpoint's rollout lock (so an experiment and a rollout never run
 * on one endpoint at once) and routes sticky keys by the experiment; stopping or concluding routes
 * everything back to the champion and releases the lock. Every change is audited in its own
 * transaction, which the outbox turns into the event.
 */

import type { ApprovalRequestView } from '../../../contracts/approvals';
import { EXPERIMENT_LOCK_PREFIX } from '../../../contracts/endpoint-locks';
import { type AuditRecord, ExperimentEvent, type ExperimentEventType } from '../../../contracts/events';
import type {
  ConcludeExperimentRequest,
  CreateExperimentRequest,
  Experiment,
  ExperimentPromotion,
  ExperimentRouting,
  ListExperimentsQuery,
  OutcomeBatch,
  OutcomeBatchReply,
  TreatmentVariant,
} from '../../../contracts/experiments';
import { answerOnCommit, outsideEffectScope } from '../../shared/effect-scope';
import { BadRequestError, ConflictError, NotFoundError } from '../../shared/errors';
import { assign, dealingOrder } from './assignment';
import type { ArmOutcome, ExperimentsDeps, MetricSpec, Promoter } from './ports';
import { requiredSampleSize } from './sample-size';
import { advance, type StepActions, settle } from './treatment-variant';

/** Who made a change, as the audit record names them. */
export interface Actor {
  readonly principal: string;
  readonly requestId?: string;
}

export function experimentNotFound(name: string): NotFoundError {
  return new NotFoundError('EXPERIMENT_NOT_FOUND', `experiment ${name} does not exist`);
}

function audit(
  deps: ExperimentsDeps,
  actor: Actor,
  action: ExperimentEventType,
  experiment: Experiment,
  before?: unknown,
  after?: unknown,
): AuditRecord {
  return {
    id: deps.newId(),
    at: deps.now().toISOString(),
    actor: actor.principal,
    action,
    modelName: experiment.modelName,
    before,
    after: { experiment: experiment.name, ...(after as object) },
    ...(actor.requestId ? { requestId: actor.requestId } : {}),
  };
}

/** The control arm and the treatment arm. */
export function armsOf(e: Pick<Experiment, 'arms' | 'control'>) {
  const [control, treatment] = dealingOrder(e.arms, e.control);
  return { control, treatment };
}

/** Each metric's kind and the shift its values are stored with (the primary mean's baseline). */
export function metricSpecs(e: Experiment): MetricSpec[] {
  const p = e.primaryMetric;
  return [
    { name: p.name, kind: p.kind, shift: p.kind === 'mean' ? p.baselineMean : 0 },
    ...e.secondaryMetrics.map((m) => ({ name: m.name, kind: m.kind, shift: 0 })),
    ...e.guardrailMetrics.map((m) => ({ name: m.name, kind: m.kind, shift: 0 })),
  ];
}

/** `POST /experiments`: validates the versions, plans the sample size, stores a DRAFT. */
export async function createExperiment(
  deps: ExperimentsDeps,
  actor: Actor,
  req: CreateExperimentRequest,
): Promise<Experiment> {
  for (const arm of req.arms) {
    if (!(await deps.versions.exists(req.modelName, arm.version)))
      throw new NotFoundError('VERSION_NOT_FOUND', `model ${req.modelName} has no version ${arm.version}`);
  }
  const { control, treatment } = armsOf(req);
  const ratio = treatment.trafficPercent / control.trafficPercent;
  const p = req.primaryMetric;
  const plan = requiredSampleSize(
    p.kind === 'proportion'
      ? { kind: 'proportion', baselineRate: p.baselineRate }
      : { kind: 'mean', baselineMean: p.baselineMean, standardDeviation: p.baselineStandardDeviation },
    req.minimumDetectableEffect,
    req.alpha,
    req.power,
    ratio,
  );
  const at = deps.now().toISOString();
  const experiment: Experiment = {
    ...req,
    status: 'DRAFT',
    salt: deps.newSalt(),
    sampleSize: {
      perArm: { [control.name]: plan.perArm[0], [treatment.name]: plan.perArm[1] },
      effectSize: plan.effectSize,
      method: p.kind === 'proportion' ? 'NormalIndPower' : 'TTestIndPower',
    },
    createdAt: at,
    updatedAt: at,
    revision: 1,
  };
  await deps.store.create(
    experiment,
    audit(deps, actor, ExperimentEvent.EXPERIMENT_CREATED, experiment, undefined, { status: 'DRAFT' }),
  );
  return experiment;
}

export async function getExperiment(deps: ExperimentsDeps, name: string): Promise<Experiment> {
  const e = await deps.store.get(name);
  if (!e) throw experimentNotFound(name);
  return e;
}

/** `GET /experiments`: a page by status then name, filtered by status and model. */
export function listExperiments(deps: ExperimentsDeps, query: ListExperimentsQuery) {
  return deps.store.list(query);
}

/** The routing record's view of a running experiment. */
export function experimentRouting(e: Experiment): ExperimentRouting {
  const { control, treatment } = armsOf(e);
  return {
    name: e.name,
    salt: e.salt,
    arms: [
      {
        name: control.name,
        version: control.version,
        variant: 'champion',
        trafficPercent: control.trafficPercent,
      },
      {
        name: treatment.name,
        version: treatment.version,
        variant: 'challenger',
        trafficPercent: treatment.trafficPercent,
      },
    ],
  };
}

const lockHolder = (name: string) => `${EXPERIMENT_LOCK_PREFIX}${name}`;

/** The lifecycle's moves a variant step needs (see `treatment-variant.ts`). */
function stepActions(deps: ExperimentsDeps, actor: Actor): StepActions {
  return {
    serve: async (e) => {
      const { control, treatment } = armsOf(e);
      await deps.variants!.split(e.modelName, e.treatmentVariant!, {
        champion: control.trafficPercent,
        challenger: treatment.trafficPercent,
      });
      await deps.endpoints.route(
        e.modelName,
        lockHolder(e.name),
        experimentRouting(e),
        deps.now().toISOString(),
      );
    },
    stop: (e, reason) =>
      end(deps, actor, e, { status: 'STOPPED', reason }, ExperimentEvent.EXPERIMENT_STOPPED),
    releaseLock: (e) => deps.endpoints.release(e.modelName, lockHolder(e.name)),
  };
}

/** One due step of an experiment's variant or promotion (the guardrail schedule's move). */
export function advanceExperiment(deps: ExperimentsDeps, actor: Actor, e: Experiment): Promise<Experiment> {
  return advance(deps, e, stepActions(deps, actor));
}

/**
 * `POST /experiments/{name}/start`: DRAFT > RUNNING; 409 naming the rollout or experiment holding
 * the endpoint. With a serving backend the treatment's version is added as the endpoint's
 * challenger variant (a refusal changes nothing); units are split once the endpoint serves it.
 */
export async function startExperiment(
  deps: ExperimentsDeps,
  actor: Actor,
  name: string,
): Promise<Experiment> {
  const e = await getExperiment(deps, name);
  if (e.status !== 'DRAFT')
    throw new ConflictError(
      'EXPERIMENT_NOT_ACTIVE',
      `experiment ${name} is ${e.status}; only a DRAFT starts`,
    );
  const at = deps.now().toISOString();
  const lock = await deps.endpoints.acquire(e.modelName, lockHolder(name), at);
  if (!lock.acquired) {
    const other = lock.holder.startsWith(EXPERIMENT_LOCK_PREFIX)
      ? `experiment ${lock.holder.slice(EXPERIMENT_LOCK_PREFIX.length)} is running`
      : `rollout ${lock.holder} is in progress`;
    throw new ConflictError(
      lock.holder.startsWith(EXPERIMENT_LOCK_PREFIX) ? 'EXPERIMENT_IN_PROGRESS' : 'DEPLOYMENT_IN_PROGRESS',
      `${other} on the endpoint of ${e.modelName}`,
      { details: { holder: lock.holder } },
    );
  }
  let treatmentVariant: TreatmentVariant | undefined;
  try {
    if (deps.variants) {
      const { treatment } = armsOf(e);
      const added = await deps.variants.add(e.modelName, treatment.version, deps.newId());
      if ('refusal' in added)
        throw new ConflictError(
          'CHALLENGER_REFUSED',
          `the endpoint of ${e.modelName} cannot take version ${treatment.version}: ${added.refusal}`,
        );
      treatmentVariant = { ...added.challenger, phase: 'DEPLOYING', polls: 0 };
    }
    const next: Experiment = {
      ...e,
      status: 'RUNNING',
      startedAt: at,
      updatedAt: at,
      revision: e.revision + 1,
      ...(treatmentVariant ? { treatmentVariant } : {}),
    };
    await deps.store.update(next, e.revision, [
      audit(
        deps,
        actor,
        ExperimentEvent.EXPERIMENT_STARTED,
        next,
        { status: e.status },
        { status: 'RUNNING', routing: experimentRouting(next) },
      ),
    ]);
    if (!treatmentVariant) {
      await deps.endpoints.route(e.modelName, lockHolder(name), experimentRouting(next), at);
      return next;
    }
    return settle(deps, next, stepActions(deps, actor));
  } catch (err) {
    // Nothing committed: the variant (if added) goes, and the endpoint is free again.
    const committed = (await deps.store.get(name))?.status !== 'DRAFT';
    if (!committed) {
      if (treatmentVariant)
        await deps.variants!.withdraw(e.modelName, treatmentVariant).catch(() => undefined);
      await deps.endpoints.release(e.modelName, lockHolder(name));
    }
    throw err;
  }
}

async function end(
  deps: ExperimentsDeps,
  actor: Actor,
  e: Experiment,
  changes: Partial<Experiment> & Pick<Experiment, 'status'>,
  action: ExperimentEventType,
  extraAudits: readonly ((next: Experiment) => AuditRecord)[] = [],
  approval?: ApprovalRequestView,
): Promise<Experiment> {
  const at = deps.now().toISOString();
  const v = e.treatmentVariant;
  const withdraw = v?.phase === 'DEPLOYING' || v?.phase === 'SERVING';
  const next: Experiment = {
    ...e,
    ...changes,
    endedAt: at,
    updatedAt: at,
    revision: e.revision + 1,
    ...(v && withdraw ? { treatmentVariant: { ...v, phase: 'REMOVING', polls: 0 } } : {}),
  };
  // Traffic goes back to the champion before the record says the experiment ended: a crash in
  // between leaves a RUNNING experiment whose stop can be retried, never traffic split for nothing.
  await deps.endpoints.route(e.modelName, lockHolder(e.name), undefined, at);
  if (v && withdraw) await deps.variants!.withdraw(e.modelName, v);
  answerConclusion(next, approval);
  await deps.store.update(next, e.revision, [
    ...extraAudits.map((f) => f(next)),
    audit(
      deps,
      actor,
      action,
      next,
      { status: e.status },
      { status: next.status, reason: next.reason, winner: next.winner, promotion: next.promotion },
    ),
  ]);
  // Without a variant nothing is left on the endpoint; with one, the lock goes once it is removed.
  if (!v) await deps.endpoints.release(e.modelName, lockHolder(e.name));
  return settle(deps, next, stepActions(deps, actor));
}

/** `POST /experiments/{name}/stop`: RUNNING > STOPPED, all traffic back to control, the variant removed. */
export async function stopExperiment(
  deps: ExperimentsDeps,
  actor: Actor,
  name: string,
  reason: string,
  extraAudit?: (next: Experiment) => AuditRecord,
): Promise<Experiment> {
  const e = await getExperiment(deps, name);
  if (e.status !== 'RUNNING')
    throw new ConflictError(
      'EXPERIMENT_NOT_ACTIVE',
      `experiment ${name} is ${e.status}; only a RUNNING one stops`,
    );
  return end(
    deps,
    actor,
    e,
    { status: 'STOPPED', reason },
    ExperimentEvent.EXPERIMENT_STOPPED,
    extraAudit ? [extraAudit] : [],
  );
}

/** The audit of a mismatch found by a read or the schedule, to go with the stop. */
export const mismatchAudit =
  (deps: ExperimentsDeps, actor: Actor, sampleRatio: { statistic: number; pValue: number }) =>
  (next: Experiment) =>
    audit(deps, actor, ExperimentEvent.SAMPLE_RATIO_MISMATCH, next, undefined, { sampleRatio });

/** A keyed conclusion's answer: the experiment, with the approval request its rollout waits on (202). */
function answerConclusion(next: Experiment, approval: ApprovalRequestView | undefined): void {
  if (approval) answerOnCommit({ ...next, approval }, 202);
  else answerOnCommit(next);
}

/** A conclusion, and the approval request its winner's rollout waits on where the model asks for one. */
export interface ConcludeOutcome {
  readonly experiment: Experiment;
  readonly approval?: ApprovalRequestView;
}

/**
 * `POST /experiments/{name}/conclude`: RUNNING or STOPPED > CONCLUDED, audited as
 * `ExperimentConcluded`. Control as winner keeps the champion. A treatment winner is promoted
 * through the rollout, governance and sign-off applying: the rollout is asked first (a refusal
 * changes nothing), and starts once the endpoint is free of the experiment's variant. Where the
 * model asks for sign-off the conclusion opens the rollout's approval request and is recorded
 * with its promotion AWAITING_APPROVAL: the experiment is over either way (traffic back on the
 * champion, the variant removed), only the rollout waits, and it starts once the request is
 * approved (by the approval's own event, or the guardrail schedule, whichever comes first).
 */
export async function concludeExperiment(
  deps: ExperimentsDeps,
  actor: Actor,
  name: string,
  req: ConcludeExperimentRequest,
): Promise<ConcludeOutcome> {
  const e = await getExperiment(deps, name);
  if (e.status !== 'RUNNING' && e.status !== 'STOPPED')
    throw new ConflictError(
      'EXPERIMENT_NOT_ACTIVE',
      `experiment ${name} is ${e.status}; only a RUNNING or STOPPED one concludes`,
    );
  const winner = e.arms.find((a) => a.name === req.winner);
  if (!winner)
    throw new BadRequestError(
      'INVALID_VALUE',
      `winner must be one of ${e.arms.map((a) => a.name).join(', ')}`,
    );
  const reason = req.reason ?? `${winner.name} won`;
  let promotion: ExperimentPromotion | undefined;
  let approval: ApprovalRequestView | undefined;
  if (winner.name !== e.control) {
    if (!deps.promoter)
      throw new BadRequestError(
        'INVALID_REQUEST',
        'this platform has no rollout to promote the winner through',
      );
    approval = await openPromotionApproval(deps.promoter, actor, e.modelName, winner.version);
    if (!approval) await deps.promoter.check(e.modelName, winner.version);
    promotion = approval
      ? {
          version: winner.version,
          status: 'AWAITING_APPROVAL',
          approvalId: approval.id,
          requestedBy: actor.principal,
        }
      : { version: winner.version, status: 'PENDING', requestedBy: actor.principal };
  }
  const changes = {
    status: 'CONCLUDED' as const,
    winner: winner.name,
    reason,
    ...(promotion ? { promotion } : {}),
  };
  if (e.status === 'RUNNING') {
    const experiment = await end(deps, actor, e, changes, ExperimentEvent.EXPERIMENT_CONCLUDED, [], approval);
    return approval ? { experiment, approval } : { experiment };
  }
  const at = deps.now().toISOString();
  const next: Experiment = { ...e, ...changes, updatedAt: at, revision: e.revision + 1 };
  answerConclusion(next, approval);
  await deps.store.update(next, e.revision, [
    audit(
      deps,
      actor,
      ExperimentEvent.EXPERIMENT_CONCLUDED,
      next,
      { status: e.status },
      { status: 'CONCLUDED', winner: winner.name, promotion },
    ),
  ]);
  const experiment = await settle(deps, next, stepActions(deps, actor));
  return approval ? { experiment, approval } : { experiment };
}

/**
 * Opens the approval request the winner's rollout waits on, where the model asks for sign-off. The
 * request is written outside a keyed conclusion's effect: the conclusion's own write stores the
 * answer, so a retry after a crash between the two finds the request open (APPROVAL_PENDING) and
 * takes it as its own when it is the same rollout asked by the same caller.
 */
async function openPromotionApproval(
  promoter: Promoter,
  actor: Actor,
  modelName: string,
  version: number,
): Promise<ApprovalRequestView | undefined> {
  try {
    return await outsideEffectScope(() => promoter.requestApproval(modelName, version, actor.principal));
  } catch (err) {
    const pendingId =
      err instanceof ConflictError && err.code === 'APPROVAL_PENDING'
        ? (err.details as { approvalId?: string } | undefined)?.approvalId
        : undefined;
    const pending = pendingId ? await promoter.approval(modelName, pendingId) : undefined;
    if (
      pending?.status === 'OPEN' &&
      pending.action.kind === 'rollout' &&
      pending.version === version &&
      pending.requestedBy === actor.principal
    )
      return pending;
    throw err;
  }
}

/**
 * `POST /experiments/{name}/outcomes`: every outcome is checked before any is written (unknown
 * metric, a proportion not 0 or 1, an experiment not running), then added once per event id.
 */
export async function ingestOutcomes(
  deps: ExperimentsDeps,
  name: string,
  batch: OutcomeBatch,
): Promise<OutcomeBatchReply> {
  const e = await getExperiment(deps, name);
  if (e.status !== 'RUNNING')
    throw new ConflictError(
      'EXPERIMENT_NOT_ACTIVE',
      `experiment ${name} is ${e.status}; outcomes are taken while it runs`,
    );
  // Until the endpoint serves the treatment every unit got control: its outcomes would be misattributed.
  if (e.treatmentVariant?.phase === 'DEPLOYING')
    throw new ConflictError(
      'EXPERIMENT_NOT_ACTIVE',
      `experiment ${name} is waiting for its treatment variant; outcomes are taken once it serves`,
    );
  const specs = new Map(metricSpecs(e).map((m) => [m.name, m]));
  const fromGroundTruth = new Set(
    [e.primaryMetric, ...e.secondaryMetrics, ...e.guardrailMetrics]
      .filter((m) => m.groundTruth)
      .map((m) => m.name),
  );
  const order = dealingOrder(e.arms, e.control);
  const seen = new Map<string, ArmOutcome>();
  batch.outcomes.forEach((o, i) => {
    const spec = specs.get(o.metric);
    if (!spec)
      throw new BadRequestError(
        'UNKNOWN_METRIC',
        `outcomes[${i}].metric: ${o.metric} is not a metric of experiment ${name}`,
      );
    // One source per metric, so a prediction's outcome is never counted from both.
    if (fromGroundTruth.has(o.metric))
      throw new BadRequestError(
        'INVALID_VALUE',
        `outcomes[${i}].metric: ${o.metric} is fed by the ground truth sent to monitoring`,
      );
    if (spec.kind === 'proportion' && o.value !== 0 && o.value !== 1)
      throw new BadRequestError(
        'INVALID_VALUE',
        `outcomes[${i}].value: ${o.metric} is a proportion; values are 0 or 1`,
      );
    const outcome: ArmOutcome = {
      eventId: o.eventId,
      unit: o.unit,
      arm: assign(e.salt, order, o.unit).arm,
      metric: o.metric,
      shifted: o.value - spec.shift,
    };
    const earlier = seen.get(o.eventId);
    if (
      earlier &&
      (earlier.unit !== o.unit || earlier.metric !== o.metric || earlier.shifted !== outcome.shifted)
    )
      throw new BadRequestError(
        'INVALID_VALUE',
        `outcomes[${i}].eventId: ${o.eventId} is used twice with different outcomes`,
      );
    seen.set(o.eventId, outcome);
  });
  const unique = [...seen.values()];
  const result = await deps.store.ingest(name, unique);
  return {
    accepted: result.accepted,
    duplicates: result.duplicates + (batch.outcomes.length - unique.length),
    erased: result.erased,
  };
}
