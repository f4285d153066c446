/**
 * Sign-off of a retraining run's promotion: a run of a model that asks for it opens an approval
 * request after registering its challenger and waits, in its state machine, on the Step Functions
 * task token the request carries; the decision or the expiry sends that token its answer. No
 * polling: the run costs nothing while it waits.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
 */
import type { ApprovalPolicy, ApprovalRequest } from '../../../contracts/approvals';
import type { PipelineDeps, RegistryPort } from './ports';
import { record, requireRun } from './run-tasks';
import type { RunState } from './state';

/** The errors a waiting run's task fails with when its promotion is not approved. */
export const APPROVAL_REJECTED = 'ApprovalRejected';
export const APPROVAL_EXPIRED = 'ApprovalExpired';

/**
 * How long a run's wait outlasts its request's expiry: two runs of the expiry sweep (every 15
 * minutes by default), which closes the request and answers the token ApprovalExpired. Past it,
 * the wait times out (States.Timeout) into the same NotApproved ending: a run never waits on a
 * request nobody can decide any more, even if the sweep or the relay failed.
 */
export const APPROVAL_WAIT_GRACE_SECONDS = 1800;

/** `register`'s answer on sign-off: whether the run waits, and for how long at most. */
export function approvalWait(policy: ApprovalPolicy | undefined): NonNullable<RunState['approval']> {
  if (!policy) return { required: false };
  return { required: true, timeoutSeconds: policy.expiresAfterHours * 3600 + APPROVAL_WAIT_GRACE_SECONDS };
}

/**
 * The `requestApproval` task (a `.waitForTaskToken` Task state): opens the request for the
 * registered challenger, as the run's requester, carrying `taskToken`. Its result is ignored: the
 * state's result is what the decision sends the token.
 */
export async function requestApproval(
  deps: PipelineDeps,
  state: RunState,
  taskToken: string,
): Promise<RunState> {
  const run = requireRun(state);
  const version = state.registration?.version;
  if (version === undefined) throw new Error('requestApproval ran before register');
  const approval = await deps.registry.requestApproval(
    run.modelName,
    version,
    { kind: 'promotion', runId: run.runId, taskToken },
    { principal: run.trigger.requestedBy },
  );
  if (!approval) throw new Error(`${run.modelName} no longer asks for sign-off; run it again`);
  await record(deps, state, { phase: 'AWAITING_APPROVAL' });
  return state;
}

/** Where a closed request's answer goes: Step Functions' SendTaskSuccess and SendTaskFailure. */
export interface TaskTokenPort {
  succeed(taskToken: string, output: unknown): Promise<void>;
  fail(taskToken: string, error: string, cause: string): Promise<void>;
}

/** What the relay did with a closed request. */
export type RelayResult = 'SUCCEEDED' | 'FAILED' | 'IGNORED';

/**
 * Sends a waiting run the answer of its closed request: the request's id on approval (the run's
 * canary then promotes with it), `ApprovalRejected` or `ApprovalExpired` otherwise. A request of
 * another kind, or still OPEN, is ignored; a token answered before (a redelivered event) is the
 * adapter's to tolerate.
 */
export async function relayApproval(
  registry: Pick<RegistryPort, 'getApproval'>,
  tokens: TaskTokenPort,
  modelName: string,
  approvalId: string,
): Promise<RelayResult> {
  const approval = await registry.getApproval(modelName, approvalId);
  if (!approval || approval.action.kind !== 'promotion' || approval.status === 'OPEN') return 'IGNORED';
  const { taskToken } = approval.action;
  if (approval.status === 'APPROVED') {
    await tokens.succeed(taskToken, approval.id);
    return 'SUCCEEDED';
  }
  await tokens.fail(taskToken, failureOf(approval), approval.closedReason ?? approval.status);
  return 'FAILED';
}

const failureOf = (approval: ApprovalRequest) =>
  approval.status === 'EXPIRED' ? APPROVAL_EXPIRED : APPROVAL_REJECTED;
