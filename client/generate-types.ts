/** The source of `client/api-types.ts`: openapi-typescript over the platform's OpenAPI document. */
import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from '../contracts/openapi';

const HEADER = `/**
 * The platform API's paths, operations and schemas as TypeScript types. Generated from the OpenAPI
 * document by \`npm run client-types\`: do not edit by hand.
 */
`;

export async function clientTypesSource(): Promise<string> {
  const document = openApiDocument();
  // biome-ignore lint/suspicious/noExplicitAny: openapi-typescript types its input as its own OpenAPI3
  const ast = await openapiTS(document as any, { exportType: true });
  return `${HEADER}${astToString(ast)}\n${idempotentOperations(document)}`;
}

/**
 * `METHOD /path` of every operation that takes an Idempotency-Key: the writes the client may
 * retry, since the platform answers a retry with the first attempt's result.
 */
function idempotentOperations(document: ReturnType<typeof openApiDocument>): string {
  const found: string[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Operation>>)) {
    for (const [method, operation] of Object.entries(item)) {
      const parameters = operation.parameters ?? [];
      if (parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key'))
        found.push(`${method.toUpperCase()} ${path}`);
    }
  }
  const lines = found.sort().map((key) => `  ${JSON.stringify(key)},`);
  return `/** Operations that take an Idempotency-Key (and so may be retried). */\nexport const IDEMPOTENT_OPERATIONS: ReadonlySet<string> = new Set([\n${lines.join('\n')}\n]);\n`;
}

interface Operation {
  readonly parameters?: ReadonlyArray<{ readonly in: string; readonly name: string }>;
}
