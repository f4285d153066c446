/**
 * The retraining routes: start a run now (202; the state machine's gate may still suppress it,
 * which the run's status then says), list a model's runs and read one.
 */

import { randomUUID } from 'node:crypto';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { ENV } from '../../contracts/env';
import type { StartRunResponse } from '../../contracts/pipeline-responses';
import { PIPELINE_ROUTES } from '../../contracts/pipeline-routes';
import { requiredEnv } from '../shared/clients';
import { NotFoundError } from '../shared/errors';
import { type HttpEvent, type HttpResult, json, ok, principalOf } from '../shared/http';
import { makeRouter } from '../shared/router';
import { pipelineDeps, stepFunctionsClient } from './deps';
import type { PipelineStore, RetrainingConfigSource } from './domain/ports';

export interface PipelineApiDeps {
  readonly store: PipelineStore;
  readonly configs: RetrainingConfigSource;
  /** Starts an execution named `name`; returns its ARN. */
  readonly startExecution: (name: string, input: unknown) => Promise<string>;
  readonly newId: () => string;
}

export function makeHandler(deps: PipelineApiDeps) {
  return makeRouter(PIPELINE_ROUTES, {
    StartRetrainingRun: async ({ event, params: { name: modelName }, body }) => {
      if (!(await deps.configs.get(modelName))) {
        throw new NotFoundError(
          'RETRAINING_NOT_CONFIGURED',
          `${modelName} has no retraining config; add it to mlops:retraining`,
        );
      }
      const runId = deps.newId();
      const requestId = event.requestContext.requestId;
      const executionArn = await deps.startExecution(runId, {
        modelName,
        reason: 'manual',
        requestedBy: principalOf(event),
        requestId: `${requestId}-${runId}`,
        note: body.note,
      });
      return json(202, { runId, modelName, executionArn, status: 'STARTING' } satisfies StartRunResponse);
    },
    ListRetrainingRuns: async ({ params, query }) =>
      ok({ items: await deps.store.listRuns(params.name, query.limit) }),
    GetRetrainingRun: async ({ params: { name: modelName, runId } }) => {
      const run = await deps.store.getRun(modelName, runId);
      if (!run) throw new NotFoundError('RUN_NOT_FOUND', `${modelName} has no retraining run ${runId}`);
      return ok(run);
    },
  });
}

function apiDeps(): PipelineApiDeps {
  const deps = pipelineDeps();
  const arn = requiredEnv(ENV.pipelineStateMachineArn);
  return {
    store: deps.store,
    configs: deps.configs,
    startExecution: async (name, input) =>
      (
        await stepFunctionsClient().send(
          new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }),
        )
      ).executionArn!,
    newId: randomUUID,
  };
}

let cached: ReturnType<typeof makeHandler> | undefined;

export const handler = (event: HttpEvent, context: Context): Promise<HttpResult> => {
  cached ??= makeHandler(apiDeps());
  return cached(event, context);
};
