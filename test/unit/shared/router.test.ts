import type { Context } from 'aws-lambda';
import * as z from 'zod';
import type { RouteDeclaration } from '../../../contracts/routes';
import { type HttpEvent, type HttpResult, ok } from '../../../lambdas/shared/http';
import { logger } from '../../../lambdas/shared/logger';
import { type HttpHandler, makeRouter } from '../../../lambdas/shared/router';

const TABLE = [
  {
    id: 'PutThing',
    method: 'PUT',
    path: '/things/{name}/versions/{version}',
    function: 'registry',
    summary: 'Replace a thing',
    params: z.object({
      name: z.string().regex(/^[a-z]+$/, 'must be lowercase'),
      version: z.coerce.number().int().min(1),
    }),
    query: z.strictObject({ limit: z.coerce.number().int().max(10).default(5) }),
    body: z.strictObject({ size: z.number(), note: z.string().default('') }),
    response: { status: 200 },
  },
  {
    id: 'StartThing',
    method: 'POST',
    path: '/things/{name}/runs',
    function: 'registry',
    summary: 'Start; the body is optional',
    params: z.object({ name: z.string() }),
    body: z.strictObject({ note: z.string().default('') }).prefault({}),
    response: { status: 202 },
  },
  {
    id: 'PokeThing',
    method: 'POST',
    path: '/things/{name}/poke',
    function: 'registry',
    summary: 'Takes no body',
    params: z.object({ name: z.string() }),
    body: false,
    response: { status: 200 },
  },
  {
    id: 'InferThing',
    method: 'POST',
    path: '/things/{name}/infer',
    function: 'serving',
    summary: 'The handler checks the body itself',
    params: z.object({ name: z.string() }),
    body: z.object({ inputs: z.array(z.number()) }),
    rawBody: true,
    response: { status: 200 },
  },
  {
    id: 'Mlflow',
    method: 'GET',
    path: '/api/2.0/mlflow/{proxy+}',
    function: 'registry',
    summary: 'Served by one function that routes itself',
    params: z.object({ proxy: z.string() }),
    response: { status: 200 },
  },
] as const satisfies readonly RouteDeclaration[];

const context = {} as Context;
const event = (
  routeKey: string,
  parts: { pathParameters?: Record<string, string>; query?: Record<string, string>; body?: string } = {},
): HttpEvent =>
  ({
    routeKey,
    rawPath: '/',
    pathParameters: parts.pathParameters,
    queryStringParameters: parts.query,
    body: parts.body,
    isBase64Encoded: false,
    headers: {},
    requestContext: { requestId: 'r-1' },
  }) as unknown as HttpEvent;
const PUT = 'PUT /things/{name}/versions/{version}';
const parse = (result: HttpResult) => ({ status: result.statusCode, body: JSON.parse(result.body ?? '') });

describe('makeRouter', () => {
  const seen: unknown[] = [];
  const router = makeRouter(
    TABLE,
    {
      // The handlers' inputs are typed from the schemas: these compile only if they are.
      PutThing: async ({ params, query, body }) => {
        const typed: { name: string; version: number; limit: number; size: number; note: string } = {
          ...params,
          ...query,
          ...body,
        };
        seen.push(typed);
        return ok(typed);
      },
      StartThing: async ({ body }) => ok({ note: body.note }),
      PokeThing: async ({ params, body }) => ok({ name: params.name, body: body ?? null }),
      InferThing: async ({ body }) => ok({ raw: body }),
      Mlflow: async ({ params }) => ok({ rest: params.proxy }),
    },
    (fn: HttpHandler): HttpHandler =>
      async (e, c) => ({ ...(await fn(e, c)), headers: { wrapped: 'yes' } }),
  );

  it('hands the function its params, query and body parsed, coerced and defaulted', async () => {
    // Act
    const res = await router(
      event(PUT, { pathParameters: { name: 'churn', version: '7' }, query: {}, body: '{"size":3}' }),
      context,
    );
    // Assess
    expect(parse(res)).toEqual({
      status: 200,
      body: { name: 'churn', version: 7, limit: 5, size: 3, note: '' },
    });
  });

  it.each([
    ['path', { name: 'Churn', version: '7' }, {}, '{"size":3}', 'path.name', 'path.name: must be lowercase'],
    ['path number', { name: 'churn', version: 'x' }, {}, '{"size":3}', 'path.version', undefined],
    ['query', { name: 'churn', version: '7' }, { limit: '50' }, '{"size":3}', 'query.limit', undefined],
    [
      'query field not declared',
      { name: 'churn', version: '7' },
      { other: '1' },
      '{"size":3}',
      'query',
      undefined,
    ],
    ['body', { name: 'churn', version: '7' }, {}, '{"size":"big"}', 'body.size', undefined],
  ])(
    'refuses a bad %s with a 400 INVALID_REQUEST naming the field',
    async (_, path, query, body, field, message) => {
      // Act
      const res = parse(await router(event(PUT, { pathParameters: path, query, body }), context));
      // Assess
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
      expect(res.body.error.details[0].field).toBe(field);
      expect(res.body.error.message.startsWith(`${field}: `)).toBe(true);
      if (message) expect(res.body.error.message).toBe(message);
    },
  );

  it('refuses a missing body and malformed JSON as today', async () => {
    const params = { pathParameters: { name: 'churn', version: '7' } };
    expect(parse(await router(event(PUT, params), context))).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_REQUEST', message: 'request body is required (JSON)' } },
    });
    expect(parse(await router(event(PUT, { ...params, body: '{' }), context))).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_JSON', message: 'request body is not valid JSON' } },
    });
  });

  it.each([
    ['a schema-checked body', PUT, { name: 'churn', version: '7' }],
    [
      'a raw body, which reaches the function unchecked otherwise',
      'POST /things/{name}/infer',
      { name: 'a' },
    ],
  ])(
    'refuses %s nested 10,000 deep with a 400 before the function sees it',
    async (_, key, pathParameters) => {
      // Prepare: brackets inside a string do not count towards the depth
      const deep = `{"inputs":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
      const quoted = JSON.stringify({ size: 1, note: '['.repeat(10_000) });
      // Act
      const res = parse(await router(event(key, { pathParameters, body: deep }), context));
      // Assess
      expect(res).toEqual({
        status: 400,
        body: {
          error: {
            code: 'INVALID_REQUEST',
            message: 'body: nests deeper than 64 levels',
            details: [{ field: 'body', message: 'nests deeper than 64 levels' }],
          },
        },
      });
      const fine = await router(
        event(PUT, { pathParameters: { name: 'a', version: '1' }, body: quoted }),
        context,
      );
      expect(fine.statusCode).toBe(200);
    },
  );

  it('answers 422 RESPONSE_TOO_LARGE instead of an answer Lambda could not return', async () => {
    // Prepare: a function answering 7 MB, over Lambda's 6 MB response quota
    const big = makeRouter(TABLE, { PokeThing: async () => ok({ blob: 'x'.repeat(7 * 1024 * 1024) }) });
    // Act
    const res = parse(
      await big(event('POST /things/{name}/poke', { pathParameters: { name: 'a' } }), context),
    );
    // Assess
    expect(res).toEqual({
      status: 422,
      body: {
        error: {
          code: 'RESPONSE_TOO_LARGE',
          message:
            'the answer would be 7.0 MB, over the 6.0 MB a function can return: ask for less (fewer rows, features or items)',
        },
      },
    });
  });

  it('reads a base64-encoded body', async () => {
    const e = event(PUT, {
      pathParameters: { name: 'a', version: '1' },
      body: Buffer.from('{"size":1}').toString('base64'),
    });
    const res = await router({ ...e, isBase64Encoded: true }, context);
    expect(parse(res).body.size).toBe(1);
  });

  it('parses no body as the schema says when the schema accepts none', async () => {
    const key = 'POST /things/{name}/runs';
    expect(parse(await router(event(key, { pathParameters: { name: 'a' } }), context)).body).toEqual({
      note: '',
    });
    expect(
      parse(await router(event(key, { pathParameters: { name: 'a' }, body: '{"note":"n"}' }), context)).body,
    ).toEqual({
      note: 'n',
    });
  });

  it('ignores a body sent to a route that takes none', async () => {
    const res = await router(
      event('POST /things/{name}/poke', { pathParameters: { name: 'a' }, body: '{not json' }),
      context,
    );
    expect(parse(res).body).toEqual({ name: 'a', body: null });
  });

  it('hands a raw-body route the JSON unchecked, but still refuses bad JSON', async () => {
    const key = 'POST /things/{name}/infer';
    const ok1 = await router(
      event(key, { pathParameters: { name: 'a' }, body: '{"inputs":"nope"}' }),
      context,
    );
    expect(parse(ok1).body).toEqual({ raw: { inputs: 'nope' } });
    const bad = await router(event(key, { pathParameters: { name: 'a' }, body: 'x' }), context);
    expect(parse(bad).body.error.code).toBe('INVALID_JSON');
  });

  it('hands a greedy route the rest of the path as its parameter', async () => {
    const res = await router(
      event('GET /api/2.0/mlflow/{proxy+}', { pathParameters: { proxy: 'registered-models/get' } }),
      context,
    );
    expect(parse(res).body).toEqual({ rest: 'registered-models/get' });
  });

  it('wraps mutating routes only, and answers an unknown route key with 404 ROUTE_NOT_FOUND', async () => {
    const put = await router(
      event(PUT, { pathParameters: { name: 'a', version: '1' }, body: '{"size":1}' }),
      context,
    );
    const get = await router(
      event('GET /api/2.0/mlflow/{proxy+}', { pathParameters: { proxy: 'x' } }),
      context,
    );
    expect([put.headers?.wrapped, get.headers?.wrapped]).toEqual(['yes', undefined]);
    const unknown = parse(await router(event('GET /nowhere'), context));
    expect(unknown).toEqual({
      status: 404,
      body: { error: { code: 'ROUTE_NOT_FOUND', message: 'no route for GET /nowhere' } },
    });
  });
});

describe('makeRouter with MLflow-shaped errors', () => {
  const table = [
    {
      id: 'MlflowThing',
      method: 'POST',
      path: '/api/2.0/mlflow/things/create',
      function: 'tracking',
      summary: 'An MLflow route',
      errorFormat: 'mlflow',
      body: z.object({ name: z.string() }),
      response: { status: 200 },
    },
    {
      id: 'PlatformThing',
      method: 'POST',
      path: '/things',
      function: 'registry',
      summary: 'A platform route',
      body: z.object({ name: z.string() }),
      response: { status: 200 },
    },
  ] as const satisfies readonly RouteDeclaration[];
  const router = makeRouter(table, {
    MlflowThing: async () => {
      throw new Error('secret table name');
    },
    PlatformThing: async () => ok({}),
  });

  it("renders a bad body on an MLflow route as MLflow's 400 INVALID_PARAMETER_VALUE", async () => {
    // Act
    const res = parse(
      await router(event('POST /api/2.0/mlflow/things/create', { body: '{"name":1}' }), context),
    );
    // Assess
    expect(res).toEqual({
      status: 400,
      body: { error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('body.name') },
    });
  });

  it("renders an unknown failure as MLflow's 500 INTERNAL_ERROR, leaking nothing", async () => {
    // Act
    const res = parse(
      await router(event('POST /api/2.0/mlflow/things/create', { body: '{"name":"a"}' }), context),
    );
    // Assess
    expect(res).toEqual({ status: 500, body: { error_code: 'INTERNAL_ERROR', message: 'Internal error' } });
  });

  it("keeps the platform's shape on the platform's routes", async () => {
    // Act
    const res = parse(await router(event('POST /things', { body: '{"name":1}' }), context));
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
  });
});

describe('makeRouter correlation ids', () => {
  const poke = [TABLE[2]] as const;
  const router = makeRouter(poke, {
    PokeThing: async ({ params }) => {
      logger.warn('poked', { name: params.name });
      return ok({});
    },
  });
  const request = (requestId: string) => ({
    ...event('POST /things/{name}/poke', { pathParameters: { name: 'a' } }),
    requestContext: { requestId },
  });

  it("puts the API request id in every line a request logs, and only that request's", async () => {
    // Prepare
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    // Powertools writes warnings and errors to stderr, the rest to stdout.
    const writes = [process.stdout, process.stderr].map((s) =>
      jest.spyOn(s, 'write').mockImplementation(capture),
    );
    // Act
    try {
      await router(request('r-1') as HttpEvent, context);
      await router(request('r-2') as HttpEvent, context);
    } finally {
      for (const w of writes) w.mockRestore();
    }
    // Assess
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.message === 'poked');
    expect(logged.map((l) => l.correlation_id)).toEqual(['r-1', 'r-2']);
  });
});
