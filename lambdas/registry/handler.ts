/**
 * The registry Lambda: every `/models` route. The router parses each request with its route's
 * contract schemas; each route calls one domain function and shapes the reply; errors render as
 * `{"error":{...}}` in the router.
 */

import type { Context } from 'aws-lambda';
import { REGISTRY_ROUTES } from '../../contracts/registry-routes';
import { actorOf, created, type HttpEvent, type HttpResult, json, noContent, ok } from '../shared/http';
import { withIdempotency } from '../shared/idempotency';
import { makeRouter } from '../shared/router';
import { defaultDeps, type RegistryHandlerDeps } from './deps';
import * as aliases from './domain/aliases';
import * as approvals from './domain/approval-flow';
import * as models from './domain/models';
import * as versions from './domain/versions';

/** Builds the handler over the given ports: tests pass their own, Lambda uses `defaultDeps()`. */
export function makeHandler(deps: RegistryHandlerDeps) {
  const route = makeRouter(
    REGISTRY_ROUTES,
    {
      CreateModel: async ({ event, body }) => created(await models.createModel(deps, actorOf(event), body)),
      ListModels: async ({ query: q }) => {
        const tag = q.tag
          ? { key: q.tag, ...(q.tagValue === undefined ? {} : { value: q.tagValue }) }
          : undefined;
        return ok(
          await models.listModels(deps, {
            limit: q.limit,
            ...(q.nextToken ? { nextToken: q.nextToken } : {}),
            ...(q.prefix ? { prefix: q.prefix } : {}),
            ...(tag ? { tag } : {}),
          }),
        );
      },
      GetModel: async ({ params }) => ok(await models.getModel(deps, params.name)),
      UpdateModel: async ({ event, params, body }) =>
        ok(await models.updateModel(deps, actorOf(event), params.name, body)),
      DeleteModel: async ({ event, params }) => {
        await models.deleteModel(deps, actorOf(event), params.name);
        return noContent();
      },
      RegisterVersion: async ({ event, params, body }) =>
        created(await versions.registerVersion(deps, actorOf(event), params.name, body)),
      ListVersions: async ({ params, query }) => ok(await versions.listVersions(deps, params.name, query)),
      GetVersion: async ({ params }) => ok(await versions.getVersion(deps, params.name, params.version)),
      UpdateVersion: async ({ event, params, body }) =>
        ok(await versions.updateVersion(deps, actorOf(event), params.name, params.version, body)),
      VerifyArtifact: async ({ event, params }) =>
        ok(await versions.verifyArtifact(deps, actorOf(event), params.name, params.version)),
      GetArtifact: async ({ params }) =>
        ok(await versions.artifactDownload(deps, params.name, params.version)),
      TransitionStage: async ({ event, params, body }) => {
        const outcome = await approvals.requestOrTransition(
          deps,
          actorOf(event),
          params.name,
          params.version,
          body,
        );
        return outcome.approval ? json(202, { approval: outcome.approval }) : ok(outcome.moved);
      },
      ListApprovals: async ({ params, query }) => ok(await approvals.listApprovals(deps, params.name, query)),
      GetApproval: async ({ params }) => ok(await approvals.getApproval(deps, params.name, params.id)),
      DecideApproval: async ({ event, params, body }) =>
        ok(await approvals.decideApproval(deps, actorOf(event), params.name, params.id, body)),
      ListAliases: async ({ params }) => ok({ items: await aliases.listAliases(deps, params.name) }),
      SetAlias: async ({ event, params, body }) =>
        ok(await aliases.setAlias(deps, actorOf(event), params.name, params.alias, body.version)),
      GetAlias: async ({ params }) => ok(await aliases.getAlias(deps, params.name, params.alias)),
      DeleteAlias: async ({ event, params }) => {
        await aliases.deleteAlias(deps, actorOf(event), params.name, params.alias);
        return noContent();
      },
      // History outlives the model, so a deleted model's audit trail stays readable.
      ListAudit: async ({ params, query }) => ok(await deps.store.listAudit(params.name, query)),
    },
    (fn, route) => (deps.idempotency ? withIdempotency(fn, deps.idempotency, route.response.status) : fn),
  );
  return (event: HttpEvent, context: Context): Promise<HttpResult> => route(event, context);
}

let cached: ReturnType<typeof makeHandler> | undefined;

/** The Lambda entry point; its ports are built on first use and reused by the container. */
export const handler = (event: HttpEvent, context: Context): Promise<HttpResult> => {
  cached ??= makeHandler(defaultDeps());
  return cached(event, context);
};
