/**
 * The registry Lambda: every `/models` route. Each route parses with a contract schema, calls one
 * domain function and shapes the reply; errors render as `{"error":{...}}` in the router.
 */
import type { Context } from 'aws-lambda';
import {
  AliasName,
  CreateModelRequest,
  ListModelsQuery,
  ModelName,
  PageQuery,
  RegisterVersionRequest,
  SetAliasRequest,
  TransitionStageRequest,
  UpdateModelRequest,
  UpdateVersionRequest,
  VersionNumber,
} from '../../contracts/registry';
import {
  actorOf,
  created,
  type HttpEvent,
  type HttpResult,
  jsonBody,
  noContent,
  ok,
  parseWith,
} from '../shared/http';
import { withIdempotency } from '../shared/idempotency';
import { makeRouter } from '../shared/router';
import { defaultDeps, type RegistryHandlerDeps } from './deps';
import * as aliases from './domain/aliases';
import * as models from './domain/models';
import * as versions from './domain/versions';

const nameOf = (e: HttpEvent) => parseWith(ModelName, e.pathParameters?.name, 'path.name');
const versionOf = (e: HttpEvent) => parseWith(VersionNumber, e.pathParameters?.version, 'path.version');
const aliasOf = (e: HttpEvent) => parseWith(AliasName, e.pathParameters?.alias, 'path.alias');
const query = (e: HttpEvent) => e.queryStringParameters ?? {};

/** Builds the handler over the given ports: tests pass their own, Lambda uses `defaultDeps()`. */
export function makeHandler(deps: RegistryHandlerDeps) {
  const route = makeRouter(
    {
      CreateModel: async (e) =>
        created(
          await models.createModel(deps, actorOf(e), parseWith(CreateModelRequest, jsonBody(e), 'body')),
        ),
      ListModels: async (e) => {
        const q = parseWith(ListModelsQuery, query(e), 'query');
        const [key, ...rest] = (q.tag ?? '').split(':');
        const tag = q.tag ? { key, ...(rest.length ? { value: rest.join(':') } : {}) } : undefined;
        return ok(
          await models.listModels(deps, {
            limit: q.limit,
            ...(q.nextToken ? { nextToken: q.nextToken } : {}),
            ...(q.prefix ? { prefix: q.prefix } : {}),
            ...(tag ? { tag } : {}),
          }),
        );
      },
      GetModel: async (e) => ok(await models.getModel(deps, nameOf(e))),
      UpdateModel: async (e) =>
        ok(
          await models.updateModel(
            deps,
            actorOf(e),
            nameOf(e),
            parseWith(UpdateModelRequest, jsonBody(e), 'body'),
          ),
        ),
      DeleteModel: async (e) => {
        await models.deleteModel(deps, actorOf(e), nameOf(e));
        return noContent();
      },
      RegisterVersion: async (e) =>
        created(
          await versions.registerVersion(
            deps,
            actorOf(e),
            nameOf(e),
            parseWith(RegisterVersionRequest, jsonBody(e), 'body'),
          ),
        ),
      ListVersions: async (e) =>
        ok(await versions.listVersions(deps, nameOf(e), parseWith(PageQuery, query(e), 'query'))),
      GetVersion: async (e) => ok(await versions.getVersion(deps, nameOf(e), versionOf(e))),
      UpdateVersion: async (e) =>
        ok(
          await versions.updateVersion(
            deps,
            actorOf(e),
            nameOf(e),
            versionOf(e),
            parseWith(UpdateVersionRequest, jsonBody(e), 'body'),
          ),
        ),
      VerifyArtifact: async (e) =>
        ok(await versions.verifyArtifact(deps, actorOf(e), nameOf(e), versionOf(e))),
      GetArtifact: async (e) => ok(await versions.artifactDownload(deps, nameOf(e), versionOf(e))),
      TransitionStage: async (e) =>
        ok(
          await versions.transitionStage(
            deps,
            actorOf(e),
            nameOf(e),
            versionOf(e),
            parseWith(TransitionStageRequest, jsonBody(e), 'body'),
          ),
        ),
      ListAliases: async (e) => ok({ items: await aliases.listAliases(deps, nameOf(e)) }),
      SetAlias: async (e) => {
        const { version } = parseWith(SetAliasRequest, jsonBody(e), 'body');
        return ok(await aliases.setAlias(deps, actorOf(e), nameOf(e), aliasOf(e), version));
      },
      GetAlias: async (e) => ok(await aliases.getAlias(deps, nameOf(e), aliasOf(e))),
      DeleteAlias: async (e) => {
        await aliases.deleteAlias(deps, actorOf(e), nameOf(e), aliasOf(e));
        return noContent();
      },
      // History outlives the model, so a deleted model's audit trail stays readable.
      ListAudit: async (e) =>
        ok(await deps.store.listAudit(nameOf(e), parseWith(PageQuery, query(e), 'query'))),
    },
    (fn) => (deps.idempotency ? withIdempotency(fn, deps.idempotency) : fn),
  );
  return (event: HttpEvent, context: Context): Promise<HttpResult> => route(event, context);
}

let cached: ReturnType<typeof makeHandler> | undefined;

/** The Lambda entry point; its ports are built on first use and reused by the container. */
export const handler = (event: HttpEvent, context: Context): Promise<HttpResult> => {
  cached ??= makeHandler(defaultDeps());
  return cached(event, context);
};
