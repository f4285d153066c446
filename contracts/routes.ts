/**
 * The HTTP route table: read by the CDK API construct (one API Gateway route each, IAM auth), by
 * the local server (same matching, same handler), and by the README. A route's `id` is also its
 * CDK construct id, so renaming one replaces the route.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The Lambda functions that serve routes; each is one handler module under `lambdas/`. */
export type RouteFunction = 'registry';

export interface RouteDeclaration {
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path template, `{param}` for a path parameter. */
  readonly path: string;
  readonly function: RouteFunction;
  readonly summary: string;
}

/** `METHOD /path` exactly as API Gateway puts it in `event.routeKey`. */
export const routeKey = (r: Pick<RouteDeclaration, 'method' | 'path'>): string => `${r.method} ${r.path}`;

export const ROUTES = [
  { id: 'CreateModel', method: 'POST', path: '/models', function: 'registry', summary: 'Create a model' },
  { id: 'ListModels', method: 'GET', path: '/models', function: 'registry', summary: 'List models' },
  { id: 'GetModel', method: 'GET', path: '/models/{name}', function: 'registry', summary: 'Get a model' },
  {
    id: 'UpdateModel',
    method: 'PATCH',
    path: '/models/{name}',
    function: 'registry',
    summary: 'Update a model',
  },
  {
    id: 'DeleteModel',
    method: 'DELETE',
    path: '/models/{name}',
    function: 'registry',
    summary: 'Delete a model',
  },
  {
    id: 'RegisterVersion',
    method: 'POST',
    path: '/models/{name}/versions',
    function: 'registry',
    summary: 'Register a version; returns a presigned artifact upload',
  },
  {
    id: 'ListVersions',
    method: 'GET',
    path: '/models/{name}/versions',
    function: 'registry',
    summary: 'List versions',
  },
  {
    id: 'GetVersion',
    method: 'GET',
    path: '/models/{name}/versions/{version}',
    function: 'registry',
    summary: 'Get a version',
  },
  {
    id: 'UpdateVersion',
    method: 'PATCH',
    path: '/models/{name}/versions/{version}',
    function: 'registry',
    summary: 'Update description, tags or governance evidence',
  },
  {
    id: 'VerifyArtifact',
    method: 'POST',
    path: '/models/{name}/versions/{version}/verify',
    function: 'registry',
    summary: 'Hash the uploaded artifact; READY if it matches the declared sha256, else FAILED',
  },
  {
    id: 'GetArtifact',
    method: 'GET',
    path: '/models/{name}/versions/{version}/artifact',
    function: 'registry',
    summary: 'Presigned download of a READY version',
  },
  {
    id: 'TransitionStage',
    method: 'POST',
    path: '/models/{name}/versions/{version}/stage',
    function: 'registry',
    summary: 'Move a version to None, Staging, Production (governed) or Archived',
  },
  {
    id: 'ListAliases',
    method: 'GET',
    path: '/models/{name}/aliases',
    function: 'registry',
    summary: 'List aliases',
  },
  {
    id: 'SetAlias',
    method: 'PUT',
    path: '/models/{name}/aliases/{alias}',
    function: 'registry',
    summary: 'Point an alias at a version',
  },
  {
    id: 'GetAlias',
    method: 'GET',
    path: '/models/{name}/aliases/{alias}',
    function: 'registry',
    summary: 'Resolve an alias to its version',
  },
  {
    id: 'DeleteAlias',
    method: 'DELETE',
    path: '/models/{name}/aliases/{alias}',
    function: 'registry',
    summary: 'Delete an alias',
  },
  {
    id: 'ListAudit',
    method: 'GET',
    path: '/models/{name}/audit',
    function: 'registry',
    summary: "A model's history, newest first",
  },
] as const satisfies readonly RouteDeclaration[];

export type RouteId = (typeof ROUTES)[number]['id'];
