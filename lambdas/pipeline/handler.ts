/**
 * The retraining routes: start a run now (202; the state machine's gate may still suppress it,
 * which the run's status then says), list a model's runs and read one. The same function answers
 * a run's waiting task token when the approval request of its promotion closes.
 *
 * A keyed start names its run (and so its execution) after the Idempotency-Key: Step Functions
 * starts one execution per name, so a retry after any crash starts the same run again, which is
 * no second run, and the key's record commits after it with the answer.
 */

import { createHash, randomUUID } from 'node:crypto';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { ENV } from '../../contracts/env';
import type { StartRunResponse } from '../../contracts/pipeline-responses';
import { PIPELINE_ROUTES } from '../../contracts/pipeline-routes';
import { registryServiceFromEnv } from '../registry';
import { documentClient, dynamoDbClient, requiredEnv } from '../shared/clients';
import { answerOnCommit, currentEffectScope } from '../shared/effect-scope';
import { NotFoundError, UnprocessableError } from '../shared/errors';
import { type HttpEvent, type HttpResult, json, ok, principalOf } from '../shared/http';
import { type IdempotencyOptions, withIdempotency } from '../shared/idempotency';
import { commitEffect } from '../shared/idempotent-effect';
import { logger } from '../shared/logger';
import { makeRouter } from '../shared/router';
import { stepFunctionsRunStopper } from './adapters/step-functions-run-stopper';
import { stepFunctionsTaskTokens } from './adapters/step-functions-task-tokens';
import { pipelineDeps, stepFunctionsClient } from './deps';
import { type RelayResult, relayApproval, type TaskTokenPort } from './domain/approval-tasks';
import type { PipelineStore, RegistryPort, RetrainingConfigSource } from './domain/ports';
import { type RunStopper, stopRun } from './domain/stop-run';

export interface PipelineApiDeps {
  readonly store: PipelineStore;
  readonly configs: RetrainingConfigSource;
  /**
   * Starts an execution named `name`; returns its ARN. Starting again with the same name and
   * input starts nothing more and returns the same ARN.
   * @throws UnprocessableError `IDEMPOTENCY_KEY_REUSED` when the name ran with another input
   */
  readonly startExecution: (name: string, input: unknown) => Promise<string>;
  /** Stops a run's execution (the stop route). */
  readonly executions: RunStopper;
  /** The ARN of the execution named for a run (the state machine names its runs for their execution). */
  readonly executionArnOf: (runId: string) => string;
  readonly newId: () => string;
  readonly now: () => Date;
  /** Idempotency-Key support; without it the header is ignored. */
  readonly idempotency?: IdempotencyOptions;
  /** Commits the keyed request's stated answer (see `commitEffect`). @default - nothing to commit */
  readonly commitAnswer?: () => Promise<void>;
}

/** A keyed run's id: the key's record id made a UUID, the same for every retry of the request. */
function keyedRunId(effectId: string): string {
  const h = createHash('sha256').update(effectId).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function makeHandler(deps: PipelineApiDeps) {
  return makeRouter(
    PIPELINE_ROUTES,
    {
      StartRetrainingRun: async ({ event, params: { name: modelName }, body }) => {
        if (!(await deps.configs.get(modelName))) {
          throw new NotFoundError(
            'RETRAINING_NOT_CONFIGURED',
            `${modelName} has no retraining config; add it to mlops:retraining`,
          );
        }
        const scope = currentEffectScope();
        const runId = scope ? keyedRunId(scope.id) : deps.newId();
        // A keyed run's input is the same on every retry (no per-attempt request id), so Step
        // Functions takes the retry's start for the first one's.
        const requestId = scope ? runId : `${event.requestContext.requestId}-${runId}`;
        const executionArn = await deps.startExecution(runId, {
          modelName,
          reason: 'manual',
          requestedBy: principalOf(event),
          requestId,
          note: body.note,
        });
        const reply: StartRunResponse = { runId, modelName, executionArn, status: 'STARTING' };
        answerOnCommit(reply);
        await deps.commitAnswer?.();
        return json(202, reply);
      },
      ListRetrainingRuns: async ({ params, query }) =>
        ok({ items: await deps.store.listRuns(params.name, query.limit) }),
      GetRetrainingRun: async ({ params: { name: modelName, runId } }) => {
        const run = await deps.store.getRun(modelName, runId);
        if (!run) throw new NotFoundError('RUN_NOT_FOUND', `${modelName} has no retraining run ${runId}`);
        return ok(run);
      },
      StopRetrainingRun: async ({ event, params: { name: modelName, runId } }) =>
        json(
          202,
          await stopRun(
            { ...deps, stopper: deps.executions, executionArnOf: deps.executionArnOf },
            { modelName, runId, principal: principalOf(event) },
          ),
        ),
    },
    (fn, route) => (deps.idempotency ? withIdempotency(fn, deps.idempotency, route.response.status) : fn),
  );
}

/**
 * Starts the execution, or finds the one a retry of the same request started: Step Functions
 * answers a second start of a running execution with the same input with its ARN, and any other
 * second start (a closed execution, another input) with ExecutionAlreadyExists.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
async function startOrFind(stateMachineArn: string, name: string, input: unknown): Promise<string> {
  const text = JSON.stringify(input);
  try {
    const out = await stepFunctionsClient().send(
      new StartExecutionCommand({ stateMachineArn, name, input: text }),
    );
    return out.executionArn!;
  } catch (err) {
    if ((err as Error).name !== 'ExecutionAlreadyExists') throw err;
    const executionArn = executionArnOf(stateMachineArn, name);
    const found = await stepFunctionsClient().send(new DescribeExecutionCommand({ executionArn }));
    if (found.input !== text) {
      throw new UnprocessableError(
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was used for a different request',
        { cause: err },
      );
    }
    return executionArn;
  }
}

/** An execution's ARN from its state machine's and its name. */
export const executionArnOf = (stateMachineArn: string, name: string): string =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

function apiDeps(): PipelineApiDeps {
  const deps = pipelineDeps();
  const arn = requiredEnv(ENV.pipelineStateMachineArn);
  const idempotencyTable = process.env[ENV.idempotencyTable];
  return {
    store: deps.store,
    configs: deps.configs,
    startExecution: (name, input) => startOrFind(arn, name, input),
    executions: stepFunctionsRunStopper(stepFunctionsClient()),
    executionArnOf: (runId) => executionArnOf(arn, runId),
    newId: randomUUID,
    now: () => new Date(),
    ...(idempotencyTable
      ? {
          idempotency: { tableName: idempotencyTable, client: dynamoDbClient() },
          commitAnswer: () => commitEffect(documentClient()),
        }
      : {}),
  };
}

/** A registry approval event (its detail the audit record), as the `OnPromotionDecided` rule delivers it. */
export interface ApprovalClosedEvent {
  readonly 'detail-type': string;
  readonly detail: { readonly modelName: string; readonly after: { readonly approvalId: string } };
}

const isApprovalEvent = (event: unknown): event is ApprovalClosedEvent =>
  typeof event === 'object' && event !== null && 'detail-type' in event;

/**
 * Answers the task token of the run waiting on the closed request. A failed send is thrown, so
 * EventBridge delivers again; a token answered before (a redelivery) counts as sent.
 */
export async function onApprovalClosed(
  registry: Pick<RegistryPort, 'getApproval'>,
  tokens: TaskTokenPort,
  event: ApprovalClosedEvent,
): Promise<{ relayed: RelayResult }> {
  const { modelName, after } = event.detail;
  const relayed = await relayApproval(registry, tokens, modelName, after.approvalId);
  logger.info('approval relayed to its run', { modelName, approvalId: after.approvalId, relayed });
  return { relayed };
}

let cached: ReturnType<typeof makeHandler> | undefined;
let relay: { registry: Pick<RegistryPort, 'getApproval'>; tokens: TaskTokenPort } | undefined;

/** The Lambda entry point: the routes, and the approval rule's events. */
export function handler(event: HttpEvent, context: Context): Promise<HttpResult>;
export function handler(event: ApprovalClosedEvent, context: Context): Promise<{ relayed: RelayResult }>;
export function handler(
  event: HttpEvent | ApprovalClosedEvent,
  context: Context,
): Promise<HttpResult | { relayed: RelayResult }> {
  if (isApprovalEvent(event)) {
    relay ??= { registry: registryServiceFromEnv(), tokens: stepFunctionsTaskTokens(stepFunctionsClient()) };
    return onApprovalClosed(relay.registry, relay.tokens, event);
  }
  cached ??= makeHandler(apiDeps());
  return cached(event, context);
}
