/**
 * The OpenAPI 3.1 document of the platform API, generated from the route table alone: each
 * route's params, query, body and response schemas become its parameters, request body and
 * responses, so the document cannot drift from what the router parses. zod 4's own
 * `z.toJSONSchema` emits JSON Schema 2020-12, which is OpenAPI 3.1's schema dialect.
 * Every operation requires SigV4 (IAM) auth, as API Gateway enforces.
 * @see https://spec.openapis.org/oas/v3.1.0
 * @see https://zod.dev/json-schema
 */
import * as z from 'zod';
import { MLFLOW_ERROR_STATUS } from './mlflow-errors';
import { pathParams, ROUTES, type RouteDeclaration } from './routes';

type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
};

const ERROR_REF = { $ref: '#/components/schemas/Error' };
const MLFLOW_ERROR_REF = { $ref: '#/components/schemas/MlflowError' };
/** MLflow's error shape, on the routes MLflow clients call (`errorFormat: 'mlflow'`). */
const MLFLOW_ERROR_SCHEMA = {
  type: 'object',
  required: ['error_code', 'message'],
  properties: {
    error_code: { type: 'string', enum: Object.keys(MLFLOW_ERROR_STATUS) },
    message: { type: 'string' },
  },
};
const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
};

/** A schema as the client sends it (`io: 'input'`: defaults optional, coercions as strings). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `{proxy+}` is API Gateway's greedy parameter; OpenAPI templates name it `{proxy}`. */
const openApiPath = (path: string) => path.replace(/\{([^}+]+)\+\}/g, '{$1}');

function parameters(route: RouteDeclaration): unknown[] {
  const params = route.params ? jsonSchema(route.params) : undefined;
  const list: unknown[] = pathParams(route.path).map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: params?.properties?.[name] ?? { type: 'string' },
    ...(route.path.includes(`{${name}+}`) ? { description: 'the rest of the path' } : {}),
  }));
  if (route.query) {
    const q = jsonSchema(route.query);
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      list.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema });
    }
  }
  if (route.method !== 'GET' && route.idempotent !== false) {
    list.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', maxLength: 255 },
    });
  }
  return list;
}

function operation(route: RouteDeclaration) {
  const { status, schema, contentType } = route.response;
  const success =
    status === 204
      ? { description: 'No content' }
      : {
          description: 'Success',
          content: {
            [contentType ?? 'application/json']: schema ? { schema: jsonSchema(schema, 'output') } : {},
          },
        };
  return {
    operationId: route.id,
    summary: route.summary,
    parameters: parameters(route),
    ...(route.body
      ? {
          requestBody: {
            required: !route.body.safeParse(undefined).success,
            content: { 'application/json': { schema: jsonSchema(route.body) } },
          },
        }
      : {}),
    responses: {
      [String(status)]: success,
      ...(route.accepted
        ? {
            [String(route.accepted.status)]: {
              description: 'Accepted: waiting for sign-off',
              content: {
                'application/json': route.accepted.schema
                  ? { schema: jsonSchema(route.accepted.schema, 'output') }
                  : {},
              },
            },
          }
        : {}),
      '4XX': {
        description: 'Refused',
        content: {
          'application/json': { schema: route.errorFormat === 'mlflow' ? MLFLOW_ERROR_REF : ERROR_REF },
        },
      },
      '403': { description: 'Missing or bad SigV4 signature (API Gateway)' },
    },
    security: [{ sigv4: [] }],
  };
}

/** Builds the document from `routes` (the platform's table unless a test passes its own). */
export function openApiDocument(routes: readonly RouteDeclaration[] = ROUTES) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'cdk-mlops platform API', version: '1' },
    components: {
      schemas: { Error: ERROR_SCHEMA, MlflowError: MLFLOW_ERROR_SCHEMA },
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
      },
    },
    paths,
  };
}
