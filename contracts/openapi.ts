/**
 * The OpenAPI 3.1 document of the platform API, generated from the route table and the request
 * schemas the handlers parse with, so the document cannot drift from what the API accepts.
 * Every operation requires SigV4 (IAM) auth, as API Gateway enforces.
 * @see https://spec.openapis.org/oas/v3.1.0
 */
import { z } from 'zod';
import {
  CreateModelRequest,
  ListModelsQuery,
  PageQuery,
  RegisterVersionRequest,
  SetAliasRequest,
  TransitionStageRequest,
  UpdateModelRequest,
  UpdateVersionRequest,
} from './registry';
import { ROUTES } from './routes';

/** Request schemas by route id: `body` parsed from JSON, `query` from the query string. */
export interface RouteSchemas {
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
}

export const REGISTRY_ROUTE_SCHEMAS: Record<string, RouteSchemas> = {
  CreateModel: { body: CreateModelRequest },
  ListModels: { query: ListModelsQuery },
  UpdateModel: { body: UpdateModelRequest },
  RegisterVersion: { body: RegisterVersionRequest },
  ListVersions: { query: PageQuery },
  UpdateVersion: { body: UpdateVersionRequest },
  TransitionStage: { body: TransitionStageRequest },
  SetAlias: { body: SetAliasRequest },
  ListAudit: { query: PageQuery },
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

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** Builds the document; `schemas` adds request schemas of further capabilities. */
export function openApiDocument(schemas: Record<string, RouteSchemas> = REGISTRY_ROUTE_SCHEMAS) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES as ReadonlyArray<{
    id: string;
    method: string;
    path: string;
    summary: string;
  }>) {
    const s = schemas[route.id] ?? {};
    const parameters: unknown[] = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (s.query) {
      const q = jsonSchema(s.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema });
      }
    }
    if (route.method !== 'GET') {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string', maxLength: 255 },
      });
    }
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = {
      operationId: route.id,
      summary: route.summary,
      parameters,
      ...(s.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(s.body) } } } }
        : {}),
      responses: {
        '2XX': { description: 'Success' },
        '4XX': { description: 'Refused', content: { 'application/json': { schema: ERROR_SCHEMA } } },
        '403': { description: 'Missing or bad SigV4 signature (API Gateway)' },
      },
      security: [{ sigv4: [] }],
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'cdk-mlops platform API', version: '1' },
    components: {
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
