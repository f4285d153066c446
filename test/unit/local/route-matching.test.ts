import * as z from 'zod';
import type { RouteDeclaration } from '../../../contracts/routes';
import { compileRoutes, matchRoute } from '../../../local/api-server';

const TABLE: RouteDeclaration[] = [
  {
    id: 'MlflowGet',
    method: 'GET',
    path: '/api/2.0/mlflow/{proxy+}',
    function: 'registry',
    summary: 'MLflow REST API, routed by the function',
    params: z.object({ proxy: z.string() }),
    response: { status: 200 },
  },
  {
    id: 'GetExperiment',
    method: 'GET',
    path: '/api/2.0/mlflow/experiments/{id}',
    function: 'registry',
    summary: 'A more specific route beside the greedy one',
    params: z.object({ id: z.string() }),
    response: { status: 200 },
  },
];

describe('matchRoute', () => {
  const compiled = compileRoutes(TABLE);

  it('gives a greedy route the rest of the path, slashes included', () => {
    // Act
    const match = matchRoute('GET', '/api/2.0/mlflow/registered-models/get/v%201', compiled);
    // Assess
    expect(match).toEqual({
      routeKey: 'GET /api/2.0/mlflow/{proxy+}',
      pathParameters: { proxy: 'registered-models/get/v 1' },
      fn: 'registry',
    });
  });

  it('prefers a more specific route over a greedy one, as API Gateway does', () => {
    expect(matchRoute('GET', '/api/2.0/mlflow/experiments/7', compiled)?.routeKey).toBe(
      'GET /api/2.0/mlflow/experiments/{id}',
    );
  });

  it('does not match a greedy route with nothing after its prefix, nor another method', () => {
    expect(matchRoute('GET', '/api/2.0/mlflow/', compiled)).toBeUndefined();
    expect(matchRoute('POST', '/api/2.0/mlflow/runs/create', compiled)).toBeUndefined();
  });

  it('keeps matching one segment per ordinary parameter on the platform table', () => {
    expect(matchRoute('GET', '/models/churn/versions/3')).toMatchObject({
      routeKey: 'GET /models/{name}/versions/{version}',
      pathParameters: { name: 'churn', version: '3' },
    });
    expect(matchRoute('GET', '/models/churn/versions/3/extra/segment')).toBeUndefined();
  });
});
