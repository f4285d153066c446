import { openApiDocument, REGISTRY_ROUTE_SCHEMAS } from '../../../contracts/openapi';
import { ROUTES } from '../../../contracts/routes';

describe('openApiDocument', () => {
  const doc = openApiDocument();

  it('documents every declared route, each requiring SigV4', () => {
    // Act
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p)) as Array<{
      operationId: string;
      security: unknown;
    }>;
    // Assess
    expect(operations.map((o) => o.operationId).sort()).toEqual(ROUTES.map((r) => r.id).sort());
    for (const op of operations) expect(op.security).toEqual([{ sigv4: [] }]);
  });

  it("gives each registry route with a body the handler's own schema", () => {
    const body = (
      doc.paths['/models'] as Record<
        string,
        { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }
      >
    ).post.requestBody!.content['application/json'].schema;
    expect(body.required).toEqual(['name']);
    for (const id of Object.keys(REGISTRY_ROUTE_SCHEMAS)) expect(ROUTES.some((r) => r.id === id)).toBe(true);
  });

  it('declares path parameters from the route template', () => {
    const op = (
      doc.paths['/models/{name}/aliases/{alias}'] as Record<
        string,
        { parameters: Array<{ name: string; in: string }> }
      >
    ).put;
    expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(['name', 'alias']);
  });
});
