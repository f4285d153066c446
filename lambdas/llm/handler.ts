/**
 * The LLM Lambda: every `/llm` route. Prompts go through the registry service (its versions,
 * aliases, audit and events); chat completions through the endpoint's backend; usage from the
 * LLM table.
 */
import type { Context } from 'aws-lambda';
import { ENV } from '../../contracts/env';
import { CreatePromptVersionRequest, type UsageGroup } from '../../contracts/llm';
import { LLM_ROUTES } from '../../contracts/llm-routes';
import type { Model, ModelVersion } from '../../contracts/registry';
import { BadRequestError } from '../shared/errors';
import { actorOf, created, type HttpEvent, type HttpResult, json, ok, principalOf } from '../shared/http';
import { withIdempotency } from '../shared/idempotency';
import { makeRouter } from '../shared/router';
import { defaultDeps, type LlmHandlerDeps, lambdaLauncher } from './deps';
import { chatCompletion } from './domain/completions';
import { importDocuments } from './domain/document-import';
import { getEndpointView, listEndpointViews } from './domain/endpoint-views';
import { runEvaluation } from './domain/evaluation';
import { getEvaluationRun, listEvaluationRows, startEvaluationRun } from './domain/evaluation-runs';
import { getModelRollout, startCandidateRollout } from './domain/model-rollouts';
import { startPromptRollout } from './domain/prompt-rollouts';
import * as prompts from './domain/prompts';
import * as rag from './domain/rag';
import { aggregateUsage, daysBetween } from './domain/usage';

/** Longest window `GET /llm/usage` reads (one partition per day). */
const MAX_USAGE_DAYS = 92;

/**
 * A keyed retry answers with what the registry stored on commit (its model or version record);
 * reshaped here into the prompt reply the first attempt gave, from that record and the request
 * (the same request: the key's payload hash holds it).
 */
function reshapeStored(result: HttpResult, event: HttpEvent): HttpResult {
  if (result.statusCode >= 300 || !result.body) return result;
  const body = JSON.parse(result.body) as Record<string, unknown>;
  if (event.routeKey === 'POST /llm/prompts' && 'latestVersion' in body && 'status' in body) {
    return { ...result, body: JSON.stringify(prompts.toPrompt(body as unknown as Model)) };
  }
  if (event.routeKey === 'POST /llm/prompts/{name}/versions' && 'upload' in body) {
    const req = CreatePromptVersionRequest.parse(JSON.parse(event.body ?? '{}'));
    const v = body.version as ModelVersion;
    return { ...result, body: JSON.stringify(prompts.toPromptVersion(v, prompts.promptBodyOf(req))) };
  }
  return result;
}

export function makeHandler(deps: LlmHandlerDeps) {
  const idempotent = deps.idempotency;
  const configured = async () => ({ ...deps, ...(await deps.settings()) });
  // Who a route's embedding calls are recorded against, at the prices in force.
  const charge = async (event: HttpEvent) => ({
    principal: principalOf(event),
    prices: (await deps.settings()).prices,
  });
  const route = makeRouter(
    LLM_ROUTES,
    {
      CreatePrompt: async ({ event, body }) =>
        created(await prompts.createPrompt(deps, actorOf(event), body)),
      GetPrompt: async ({ params }) => ok(await prompts.getPrompt(deps, params.name)),
      CreatePromptVersion: async ({ event, params, body }) =>
        created(await prompts.createPromptVersion(deps, actorOf(event), params.name, body)),
      GetPromptVersion: async ({ params }) =>
        ok(await prompts.getPromptVersion(deps, params.name, params.version)),
      SetPromptAlias: async ({ event, params, body }) =>
        ok(
          await prompts.setPromptAlias(
            await configured(),
            actorOf(event),
            params.name,
            params.alias,
            body.version,
          ),
        ),
      StartPromptRollout: async ({ event, params, body }) =>
        json(202, await startPromptRollout(await configured(), actorOf(event), params.name, body)),
      ListLlmEndpoints: async () => ok({ items: await listEndpointViews(await configured()) }),
      GetLlmEndpoint: async ({ params }) => ok(await getEndpointView(await configured(), params.name)),
      StartModelRollout: async ({ event, params, body }) =>
        json(202, await startCandidateRollout(await configured(), actorOf(event), params.name, body)),
      GetModelRollout: async ({ params }) =>
        ok(await getModelRollout(deps, params.name, params.deploymentId)),
      RenderPrompt: async ({ event, body }) => {
        const { versionRecord: _, ...rendered } = await prompts.renderPrompt(
          deps,
          body.prompt,
          body.variables,
          await charge(event),
        );
        return ok(rendered);
      },
      CreateChatCompletion: async ({ event, body }) =>
        ok(await chatCompletion(await configured(), principalOf(event), body)),
      RunEvaluation: async ({ event, body }) =>
        ok(await runEvaluation(await configured(), actorOf(event), body)),
      StartEvaluationRun: async ({ event, body }) =>
        json(202, await startEvaluationRun(await configured(), actorOf(event), body)),
      GetEvaluationRun: async ({ params }) => ok(await getEvaluationRun(deps, params.runId)),
      ListEvaluationRows: async ({ params, query }) =>
        ok(await listEvaluationRows(deps, params.runId, query.limit, query.nextToken)),
      CreateCollection: async ({ event, body }) =>
        created(await rag.createCollection(deps.rag, actorOf(event), body)),
      IngestDocument: async ({ event, params, body }) =>
        created(await rag.ingestDocument(deps.rag, await charge(event), params.name, body)),
      ImportDocuments: async ({ event, params, body }) =>
        ok(await importDocuments(deps.rag, await charge(event), params.name, body)),
      Retrieve: async ({ event, params, body }) =>
        ok(await rag.retrieve(deps.rag, await charge(event), params.name, body)),
      GetLlmUsage: async ({ query }) => {
        const days = daysBetween(query.from, query.to);
        if (days.length === 0 || days.length > MAX_USAGE_DAYS) {
          throw new BadRequestError(
            'INVALID_WINDOW',
            `from..to must span 1 to ${MAX_USAGE_DAYS} days, got ${days.length}`,
          );
        }
        const records = (await Promise.all(days.map((d) => deps.usage.listDay(d)))).flat();
        const [total] = aggregateUsage(records, []);
        const empty: UsageGroup = {
          key: {},
          calls: 0,
          cacheHits: 0,
          inputTokens: 0,
          outputTokens: 0,
          cacheReadInputTokens: 0,
          cacheCreationInputTokens: 0,
          reasoningOutputTokens: 0,
          costMicroUsd: 0,
        };
        return ok({
          from: query.from,
          to: query.to,
          groupBy: query.groupBy,
          groups: aggregateUsage(records, query.groupBy),
          total: total ?? empty,
        });
      },
    },
    (fn, route) => {
      if (!idempotent) return fn;
      const once = withIdempotency(fn, idempotent, route.response.status);
      return async (event, context) => reshapeStored(await once(event, context), event);
    },
  );
  return (event: HttpEvent, context: Context): Promise<HttpResult> => route(event, context);
}

let cached: ReturnType<typeof makeHandler> | undefined;

export const handler = (event: HttpEvent, context: Context): Promise<HttpResult> => {
  const worker = process.env[ENV.llmEvaluationWorkerFunction];
  cached ??= makeHandler(defaultDeps(worker ? lambdaLauncher(worker) : undefined));
  return cached(event, context);
};
