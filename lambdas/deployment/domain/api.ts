/**
 * Use cases behind the rollout routes: start a rollout (checks, lock, record, execution) and
 * report one. A refused start changes nothing; a start whose execution cannot be started gives
 * the lock back, so the model is never left locked by a rollout that does not run.
 */

import type { ApprovalAction, ApprovalRequest, ApprovalRequestView } from '../../../contracts/approvals';
import type { Deployment, DeploymentTarget, StartDeploymentRequest } from '../../../contracts/deployment';
import type { DeploymentWithExecution, ExecutionSummary } from '../../../contracts/deployment-responses';
import { EXPERIMENT_LOCK_PREFIX, STACK_UPDATE_LOCK_PREFIX } from '../../../contracts/endpoint-locks';
import { DeploymentEvent } from '../../../contracts/events';
import { answerOnCommit, EffectAlreadyApplied } from '../../shared/effect-scope';
import { ConflictError, NotFoundError, PlatformError, UnprocessableError } from '../../shared/errors';
import type { DeploymentStore } from './ports';
import { lockExpiry, planRollout } from './rollout';
import { deploymentAudit, newDeployment } from './state';
import type { DeploymentTargetSource } from './targets';

/** An execution as Step Functions describes it; the status route's `execution`. */
export type { ExecutionSummary };

/** The state machine's executions. */
export interface ExecutionPort {
  /**
   * Starts an execution named `name`; returns its ARN. Starting again with the same name and
   * input starts nothing more and returns the same ARN.
   */
  start(name: string, input: unknown): Promise<string>;
  /** The ARN the execution named `name` has (Step Functions derives it from the name). */
  arnOf(name: string): string;
  describe(executionArn: string): Promise<ExecutionSummary | undefined>;
}

/** The registry's verdict on a version a rollout would promote (the registry's `RegistryService`). */
export interface PromotionCheck {
  /**
   * Resolves when the version may move to Production (active model, READY version, governance
   * passed, and `approvalId` the version's APPROVED request where the model asks for sign-off);
   * otherwise throws the registry's error for the condition it found.
   */
  requirePromotable(modelName: string, version: number, approvalId?: string): Promise<unknown>;
  /**
   * Where the model asks for sign-off: passes the same checks and opens an approval request for
   * the rollout as `actor`; `undefined` when it asks for none.
   */
  requestApproval(
    modelName: string,
    version: number,
    action: ApprovalAction,
    actor: { principal: string; requestId?: string },
  ): Promise<ApprovalRequestView | undefined>;
  getApproval(modelName: string, id: string): Promise<ApprovalRequest | undefined>;
  /**
   * Records that the rollout an APPROVED request stood for was refused at its start: the request
   * becomes START_FAILED with the refusal, and its requester and approvers are told.
   */
  recordStartFailure(
    modelName: string,
    approvalId: string,
    refusal: { readonly code: string; readonly message: string },
    actor: { principal: string },
  ): Promise<ApprovalRequestView>;
}

/** What a start answers: the rollout, or the approval request it waits on (both 202). */
export type StartOutcome = Deployment | { readonly approval: ApprovalRequestView };

/** Whether a start waits on sign-off rather than rolling out now. */
export const awaitsApproval = (o: StartOutcome): o is { readonly approval: ApprovalRequestView } =>
  'approval' in o;

export interface DeploymentApiDeps {
  readonly targets: DeploymentTargetSource;
  readonly store: DeploymentStore;
  readonly registry: PromotionCheck;
  readonly executions: ExecutionPort;
  readonly now: () => Date;
  readonly newId: () => string;
}

/**
 * Starts a rollout of `req.version`, which ends by promoting it. A model whose policy asks for
 * sign-off gets, once every automatic check passed, an approval request instead (nothing else
 * changes): the rollout starts, as `actor` asked, when the quorum approves (`startApprovedRollout`).
 */
export async function startDeployment(
  deps: DeploymentApiDeps,
  actor: { principal: string; requestId?: string },
  modelName: string,
  req: StartDeploymentRequest,
  options: { readonly promptReleaseChecked?: boolean } = {},
): Promise<StartOutcome> {
  const target = await requireTarget(deps, modelName);
  // A prompt's rollout ends by moving `production`, which the evaluation score floors gate: only
  // the prompt rollout route, which checks them, starts one.
  if (target.backend === 'prompt' && !options.promptReleaseChecked) {
    throw new UnprocessableError(
      'PROMPT_RELEASE_GATED',
      `${modelName} is a prompt: its rollouts start with POST /llm/prompts/${modelName}/rollouts, which checks the evaluation score floors`,
    );
  }
  // An LLM endpoint's model rollout has no registry version: only its own route starts one.
  if (target.backend === 'llm-model') {
    throw new UnprocessableError(
      'MODEL_ROLLOUT_ROUTE',
      `${modelName} is an LLM endpoint's model rollout: start it with POST /llm/endpoints/${target.endpointName}/rollouts`,
    );
  }
  const approval = await deps.registry.requestApproval(
    modelName,
    req.version,
    { kind: 'rollout', request: req },
    actor,
  );
  if (approval) return { approval };
  return startRollout(deps, actor, modelName, req, target, { deploymentId: deps.newId() });
}

/** What an approved request's event did: started its rollout, recorded its refusal, or nothing. */
export type ApprovedRolloutOutcome =
  | { readonly started: Deployment; readonly startFailed?: undefined }
  | { readonly startFailed: ApprovalRequestView; readonly started?: undefined }
  | undefined;

/**
 * Starts the rollout an APPROVED request of kind `rollout` stands for, with the body its requester
 * posted, as them, under the request's id: a redelivered event finds that rollout and starts no
 * second one. A request that is not APPROVED starts nothing.
 *
 * A start refused with a 4xx (the endpoint locked by another rollout or an experiment, the
 * version no longer promotable, the endpoint gone) is final for this event: redelivering it finds
 * the same refusal, and then nothing would be left once the retries ran out. So the refusal is
 * recorded on the request (START_FAILED, published as ApprovalStartFailed) and answered; anything
 * else (a throttled or failing AWS call) is thrown, for the event to be delivered again.
 */
export async function startApprovedRollout(
  deps: DeploymentApiDeps,
  modelName: string,
  approvalId: string,
): Promise<ApprovedRolloutOutcome> {
  const approval = await deps.registry.getApproval(modelName, approvalId);
  if (approval?.status !== 'APPROVED' || approval.action.kind !== 'rollout') return undefined;
  const existing = await deps.store.getDeployment(modelName, approval.id);
  if (existing) return { started: await completeRollout(deps, existing) };
  const requester = { principal: approval.requestedBy };
  try {
    const target = await requireTarget(deps, modelName);
    const started = await startRollout(deps, requester, modelName, approval.action.request, target, {
      deploymentId: approval.id,
      approvalId: approval.id,
    });
    return { started };
  } catch (err) {
    if (!(err instanceof PlatformError) || err.status >= 500) throw err;
    // A racing delivery of the same event that started the rollout keeps the grant.
    const raced = await deps.store.getDeployment(modelName, approval.id);
    if (raced) return { started: await completeRollout(deps, raced) };
    const refusal = { code: err.code, message: err.message };
    return {
      startFailed: await deps.registry.recordStartFailure(modelName, approval.id, refusal, requester),
    };
  }
}

/**
 * What a rollout of the version checks before it starts: the model has an endpoint, and the
 * registry would move the version to Production (READY, governance, sign-off). Throws the error for
 * the condition it found; an experiment's conclusion asks before it changes anything.
 */
export async function requireRolloutPossible(
  deps: Pick<DeploymentApiDeps, 'targets' | 'registry'>,
  modelName: string,
  version: number,
) {
  const target = await requireTarget(deps, modelName);
  await deps.registry.requirePromotable(modelName, version);
  return target;
}

/**
 * Where the model asks for sign-off: its endpoint exists, and the registry opens (after the same
 * automatic checks) the approval request a rollout of `version` waits on, as `actor`; `undefined`
 * when the model asks for none. The rollout then starts as `startApprovedRollout` does.
 */
export async function requestRolloutApproval(
  deps: Pick<DeploymentApiDeps, 'targets' | 'registry'>,
  actor: { principal: string },
  modelName: string,
  version: number,
): Promise<ApprovalRequestView | undefined> {
  await requireTarget(deps, modelName);
  return deps.registry.requestApproval(modelName, version, { kind: 'rollout', request: { version } }, actor);
}

export async function requireTarget(deps: Pick<DeploymentApiDeps, 'targets'>, modelName: string) {
  const target = await deps.targets.get(modelName);
  if (!target) {
    throw new NotFoundError(
      'ENDPOINT_NOT_CONFIGURED',
      `model ${modelName} has no endpoint; add it to mlops:endpoints`,
    );
  }
  return target;
}

/**
 * Takes the lock, records the rollout with its audit record and starts its execution. A rollout of
 * a registry version asks the registry first; one of an LLM endpoint's model id
 * (`ids.candidateModel`) has none to ask.
 */
export async function startRollout(
  deps: DeploymentApiDeps,
  actor: { principal: string; requestId?: string },
  modelName: string,
  req: StartDeploymentRequest,
  target: DeploymentTarget,
  ids: { readonly deploymentId: string; readonly approvalId?: string; readonly candidateModel?: string },
): Promise<Deployment> {
  // Promotion moves the version to Production, which the registry guards: ask it now rather than
  // after the canary took traffic, and refuse with its own error for the condition it found.
  if (ids.candidateModel === undefined)
    await deps.registry.requirePromotable(modelName, req.version, ids.approvalId);

  const { deploymentId } = ids;
  const input = planRollout({
    deploymentId,
    modelName,
    version: req.version,
    target,
    ...(req.canarySteps ? { canarySteps: req.canarySteps } : {}),
    ...(req.bakeMinutes !== undefined ? { bakeMinutes: req.bakeMinutes } : {}),
    requestedBy: actor.principal,
    ...(actor.requestId ? { requestId: actor.requestId } : {}),
    ...(ids.approvalId ? { approvalId: ids.approvalId } : {}),
    ...(ids.candidateModel ? { candidateModel: ids.candidateModel } : {}),
  });
  const now = deps.now();
  const lock = await deps.store.acquireLock(
    modelName,
    deploymentId,
    lockExpiry(input, now),
    now.toISOString(),
  );
  if (!lock.acquired) {
    if (lock.holder.startsWith(EXPERIMENT_LOCK_PREFIX)) {
      const experiment = lock.holder.slice(EXPERIMENT_LOCK_PREFIX.length);
      throw new ConflictError(
        'EXPERIMENT_IN_PROGRESS',
        `experiment ${experiment} is running on the endpoint of ${modelName}; stop or conclude it first`,
        { details: { experiment } },
      );
    }
    throw new ConflictError(
      'DEPLOYMENT_IN_PROGRESS',
      lock.holder.startsWith(STACK_UPDATE_LOCK_PREFIX)
        ? `a stack deploy is updating the endpoint of ${modelName}; start the rollout when it has finished`
        : `rollout ${lock.holder} is in progress for ${modelName}`,
      {
        details: { deploymentId: lock.holder },
      },
    );
  }
  const at = now.toISOString();
  // The execution's ARN follows from its name, so the record and a keyed start's answer carry it
  // before the execution starts: a retry after a crash in between gets the whole answer, and
  // `completeStart` starts what the crash did not.
  const deployment = newDeployment(input, at, deps.executions.arnOf(deploymentId));
  answerOnCommit(deployment);
  try {
    await deps.store.createDeployment(
      deployment,
      deploymentAudit(input, deps, at, DeploymentEvent.DEPLOYMENT_STARTED, { steps: input.steps }),
      input,
    );
    await deps.executions.start(deploymentId, input);
    return deployment;
  } catch (err) {
    // A rollout is already recorded under this id (a racing start of the same approved rollout,
    // its event delivered twice): the lock and the record are that start's, and releasing the lock
    // or finishing the record as FAILED here would undo a rollout that runs.
    if (isDeploymentExists(err)) throw err;
    await deps.store.releaseLock(modelName, deploymentId);
    // An earlier attempt of the same keyed request started the rollout: this one (its own id, its
    // own lock) recorded nothing.
    if (err instanceof EffectAlreadyApplied) throw err;
    const failedAt = deps.now().toISOString();
    await deps.store
      .finishDeployment(
        {
          ...deployment,
          status: 'FAILED',
          phase: 'DONE',
          reason: 'the rollout could not be started',
          updatedAt: failedAt,
        },
        deploymentAudit(input, deps, failedAt, DeploymentEvent.DEPLOYMENT_ROLLED_BACK, {
          reason: 'the rollout could not be started',
        }),
      )
      .catch(() => undefined);
    throw err;
  }
}

/**
 * Completes a keyed start answered from its idempotency record: the first attempt committed the
 * rollout, but a crash may have come before its execution started. An execution that does not
 * exist is started now from the input recorded with the rollout (same name, same input: two
 * racing retries start one); the answer carries the execution's ARN either way.
 */
export async function completeStart(
  deps: Pick<DeploymentApiDeps, 'store' | 'executions'>,
  stored: StartOutcome,
): Promise<StartOutcome> {
  // A start that opened an approval request has no execution to complete.
  return awaitsApproval(stored) ? stored : completeRollout(deps, stored);
}

async function completeRollout(
  deps: Pick<DeploymentApiDeps, 'store' | 'executions'>,
  stored: Deployment,
): Promise<Deployment> {
  const executionArn = stored.executionArn ?? deps.executions.arnOf(stored.deploymentId);
  if (!(await deps.executions.describe(executionArn))) {
    const record = await deps.store.getDeployment(stored.modelName, stored.deploymentId);
    const input = await deps.store.getStartInput(stored.modelName, stored.deploymentId);
    // A record that is no longer RUNNING was ended (a failed start gave its lock back): starting
    // it now would run a rollout nobody holds the lock for.
    if (record?.status === 'RUNNING' && input) await deps.executions.start(stored.deploymentId, input);
  }
  return { ...stored, executionArn };
}

/** A rollout with its execution's status; a dead execution of a RUNNING record reads as FAILED. */
export async function getDeployment(
  deps: Pick<DeploymentApiDeps, 'store' | 'executions'>,
  modelName: string,
  deploymentId: string,
): Promise<DeploymentWithExecution> {
  const found = await deps.store.getDeployment(modelName, deploymentId);
  if (!found)
    throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `${modelName} has no deployment ${deploymentId}`);
  const execution = found.executionArn ? await deps.executions.describe(found.executionArn) : undefined;
  const dead = execution && ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(execution.status);
  return {
    ...found,
    ...(found.status === 'RUNNING' && dead
      ? { status: 'FAILED', reason: execution.cause ?? execution.error }
      : {}),
    ...(execution ? { execution } : {}),
  };
}

const isDeploymentExists = (err: unknown): boolean =>
  err instanceof ConflictError && err.code === 'DEPLOYMENT_EXISTS';
