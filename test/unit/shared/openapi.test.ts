import Ajv2020 from 'ajv/dist/2020';
import * as z from 'zod';
import { openApiDocument } from '../../../contracts/openapi';
import { pathParams, ROUTES, type RouteDeclaration } from '../../../contracts/routes';

type Operation = {
  operationId: string;
  summary: string;
  security: unknown;
  parameters: Array<{ name: string; in: string; required: boolean; schema: unknown }>;
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>;
};
const operationsOf = (doc: ReturnType<typeof openApiDocument>) =>
  Object.values(doc.paths).flatMap((p) => Object.values(p)) as Operation[];
const TAKES_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** A route that answers JSON (anything but a 204 or another content type) must declare its schema. */
const missingResponseSchema = (route: RouteDeclaration): boolean =>
  route.response.status !== 204 &&
  (route.response.contentType ?? 'application/json') === 'application/json' &&
  route.response.schema === undefined;

/** What a route must declare for the router to parse it and the document to describe it. */
function missingSchemas(route: RouteDeclaration): string[] {
  const missing: string[] = [];
  const names = pathParams(route.path);
  const declared = route.params ? Object.keys(route.params.shape) : [];
  if (names.length > 0 && !route.params) missing.push('params');
  else if (names.join() !== declared.join()) missing.push(`params ${declared} for path ${names}`);
  if (TAKES_BODY.has(route.method) && route.body === undefined) missing.push('body (a schema, or false)');
  return missing;
}

describe('openApiDocument', () => {
  const doc = openApiDocument();
  const operations = operationsOf(doc);

  it('documents every declared route under its path, each requiring SigV4', () => {
    // Assess
    expect(Object.keys(doc.paths)).toHaveLength(new Set(ROUTES.map((r) => r.path)).size);
    expect(operations.map((o) => o.operationId).sort()).toEqual(ROUTES.map((r) => r.id).sort());
    for (const op of operations) expect(op.security).toEqual([{ sigv4: [] }]);
  });

  it.each(ROUTES.map((r) => [r.id, r] as const))('%s declares the schemas of what it takes', (_, route) => {
    expect(missingSchemas(route)).toEqual([]);
  });

  it('fails a route that takes path parameters or a body without declaring them', () => {
    // Prepare
    const bare = {
      id: 'Bare',
      method: 'POST',
      path: '/things/{id}',
      function: 'registry',
      summary: 's',
    } as const;
    const partial = { ...bare, params: z.object({ other: z.string() }), body: false } as const;
    // Act / Assess
    expect(missingSchemas({ ...bare, response: { status: 200 } })).toEqual([
      'params',
      'body (a schema, or false)',
    ]);
    expect(missingSchemas({ ...partial, response: { status: 200 } })).toEqual(['params other for path id']);
  });

  it('declares the reply schema of every route that answers JSON', () => {
    // Assess
    const undocumented = (ROUTES as readonly RouteDeclaration[]).filter(missingResponseSchema);
    expect(undocumented.map((r) => r.id)).toEqual([]);
  });

  it('fails a JSON route without a reply schema, and not a 204 or an HTML page', () => {
    // Prepare
    const route = { id: 'R', method: 'GET', path: '/r', function: 'registry', summary: 's' } as const;
    // Act / Assess
    expect(missingResponseSchema({ ...route, response: { status: 200 } })).toBe(true);
    expect(missingResponseSchema({ ...route, response: { status: 200, schema: z.object({}) } })).toBe(false);
    expect(missingResponseSchema({ ...route, response: { status: 204 } })).toBe(false);
    expect(missingResponseSchema({ ...route, response: { status: 200, contentType: 'text/html' } })).toBe(
      false,
    );
  });

  it('documents the reply schema of every JSON success response', () => {
    for (const route of ROUTES as readonly RouteDeclaration[]) {
      const op = operations.find((o) => o.operationId === route.id)!;
      const content = op.responses[String(route.response.status)].content ?? {};
      if (route.response.status === 204) expect(content).toEqual({});
      else if (route.response.schema) expect(content['application/json'].schema).toBeDefined();
      else expect(Object.keys(content)).not.toContain('application/json');
    }
  });

  it('gives every route with a body a request body with its schema', () => {
    for (const route of ROUTES as readonly RouteDeclaration[]) {
      const op = operations.find((o) => o.operationId === route.id)!;
      if (route.body) expect(op.requestBody?.content['application/json'].schema).toBeDefined();
      else expect(op.requestBody).toBeUndefined();
    }
    const create = (doc.paths['/models'] as Record<string, Operation>).post.requestBody!;
    expect([create.required, create.content['application/json'].schema.required]).toEqual([true, ['name']]);
    // A body whose schema accepts none is optional.
    const retrain = (doc.paths['/models/{name}/retraining-runs'] as Record<string, Operation>).post;
    expect(retrain.requestBody!.required).toBe(false);
  });

  it('declares path parameters from the route template and query parameters from its schema', () => {
    const put = (doc.paths['/models/{name}/aliases/{alias}'] as Record<string, Operation>).put;
    expect(put.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(['name', 'alias']);
    const version = (doc.paths['/models/{name}/versions/{version}'] as Record<string, Operation>).get;
    expect(version.parameters.find((p) => p.name === 'version')!.schema).toMatchObject({ type: 'integer' });
    const list = (doc.paths['/models'] as Record<string, Operation>).get;
    expect(list.parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'nextToken']),
    );
  });

  it('advertises Idempotency-Key on every write the router wraps, and not on a prediction or a read', () => {
    const takesKey = (method: string, path: string) =>
      (doc.paths[path] as Record<string, Operation>)[method].parameters.some(
        (p) => p.in === 'header' && p.name === 'Idempotency-Key',
      );
    expect(takesKey('put', '/models/{name}/aliases/{alias}')).toBe(true);
    expect(takesKey('post', '/v2/models/{name}/infer')).toBe(false);
    expect(takesKey('get', '/models')).toBe(false);
    for (const route of ROUTES)
      expect([route.id, takesKey(route.method.toLowerCase(), route.path.replace(/\+\}/g, '}'))]).toEqual([
        route.id,
        route.method !== 'GET' && (route as RouteDeclaration).idempotent !== false,
      ]);
  });

  it("answers with the route's success status and its error shape for 4xx (MLflow's on MLflow's routes)", () => {
    for (const route of ROUTES as readonly RouteDeclaration[]) {
      const op = operations.find((o) => o.operationId === route.id)!;
      expect(op.responses[String(route.response.status)]).toBeDefined();
      expect(op.responses['4XX'].content!['application/json'].schema).toEqual({
        $ref: `#/components/schemas/${route.errorFormat === 'mlflow' ? 'MlflowError' : 'Error'}`,
      });
    }
    expect(doc.components.schemas.MlflowError.required).toEqual(['error_code', 'message']);
    const html = (doc.paths['/monitoring/models/{name}/reports/{reportId}/html'] as Record<string, Operation>)
      .get;
    expect(Object.keys(html.responses['200'].content!)).toEqual(['text/html']);
  });

  it('names a greedy parameter as OpenAPI templates do', () => {
    // Prepare
    const proxy: RouteDeclaration = {
      id: 'Mlflow',
      method: 'GET',
      path: '/api/2.0/mlflow/{proxy+}',
      function: 'registry',
      summary: 'MLflow REST API',
      params: z.object({ proxy: z.string() }),
      response: { status: 200 },
    };
    // Act
    const paths = openApiDocument([proxy]).paths;
    // Assess
    expect(Object.keys(paths)).toEqual(['/api/2.0/mlflow/{proxy}']);
  });

  it('is a structurally valid OpenAPI 3.1 document whose schemas are JSON Schema 2020-12', () => {
    // Assess: the fields OpenAPI 3.1 requires
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toEqual(
      expect.objectContaining({ title: expect.any(String), version: expect.any(String) }),
    );
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\//);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
        expect(['get', 'put', 'post', 'delete', 'patch']).toContain(method);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const r of Object.values(op.responses)) expect(typeof r.description).toBe('string');
        const inPath = op.parameters.filter((p) => p.in === 'path');
        expect(inPath.map((p) => p.name)).toEqual(templated);
        for (const p of inPath) expect(p.required).toBe(true);
        const keys = op.parameters.map((p) => `${p.in}:${p.name}`);
        expect(new Set(keys).size).toBe(keys.length);
      }
    }
    const ids = operations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    // Assess: every schema compiles as JSON Schema 2020-12, OpenAPI 3.1's dialect
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema(doc.components.schemas.Error, '#/components/schemas/Error');
    const schemas = operations.flatMap((o) => [
      ...o.parameters.map((p) => p.schema),
      ...Object.values(o.requestBody?.content ?? {}).map((c) => c.schema),
      ...Object.values(o.responses).flatMap((r) => Object.values(r.content ?? {}).map((c) => c.schema)),
    ]);
    for (const schema of schemas.filter((s) => s && !('$ref' in (s as object)))) {
      expect(() => ajv.compile(schema as object)).not.toThrow();
    }
  });
});
