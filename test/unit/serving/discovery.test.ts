import type { Context } from 'aws-lambda';
import { exportLogisticRegressionOnnx } from '../../../containers/reference-trainer/src/onnx-export';
import type { ModelCatalog } from '../../../lambdas/serving/domain/discovery';
import { describeOnnx } from '../../../lambdas/serving/domain/model-package';
import type { EndpointInvoker, EndpointRouting } from '../../../lambdas/serving/domain/ports';
import { makeHandler } from '../../../lambdas/serving/handler';
import type { HttpEvent } from '../../../lambdas/shared/http';
import { expectReplyMatchesRoute } from '../../helpers/route-replies';

const onnx = exportLogisticRegressionOnnx({ weights: [0.5, -0.25, 1], bias: 0.1 });

/** `churn` is served and promoted (v3), `fresh` is configured but has no version deployed yet. */
const catalog: ModelCatalog = {
  endpointOf: async (m) => ({ churn: 'mlops-dev-churn', fresh: 'mlops-dev-fresh' })[m],
  championVersion: async (m) => (m === 'churn' ? 3 : undefined),
  signature: async () => describeOnnx(onnx),
};
const unused = async () => {
  throw new Error('discovery calls no endpoint');
};
const endpoints: EndpointInvoker = { invoke: unused };
const routing: EndpointRouting = { endpointName: (m) => `mlops-dev-${m}`, variants: unused };

async function get(
  handler: ReturnType<typeof makeHandler>,
  routeKey: string,
  name?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const event = {
    routeKey,
    rawPath: routeKey.split(' ')[1].replace('{name}', name ?? ''),
    ...(name ? { pathParameters: { name } } : {}),
    headers: {},
    isBase64Encoded: false,
    requestContext: { requestId: 'r', http: { method: 'GET' } },
  } as unknown as HttpEvent;
  const res = await handler(event, {} as Context);
  return { status: res.statusCode, body: JSON.parse(res.body as string) };
}

describe('Open Inference Protocol discovery routes', () => {
  const handler = makeHandler({ endpoints, routing, catalog });

  it('answers live and ready', async () => {
    // Act
    const live = await get(handler, 'GET /v2/health/live');
    const ready = await get(handler, 'GET /v2/health/ready');

    // Assess
    expect(live).toEqual({ status: 200, body: { live: true } });
    expect(ready).toEqual({ status: 200, body: { ready: true } });
    expectReplyMatchesRoute('ServerLive', live);
    expectReplyMatchesRoute('ServerReady', ready);
  });

  it("describes a served model: its champion version, the platform, the ONNX graph's inputs and outputs", async () => {
    // Act
    const metadata = await get(handler, 'GET /v2/models/{name}', 'churn');

    // Assess
    expect(metadata).toEqual({
      status: 200,
      body: {
        name: 'churn',
        versions: ['3'],
        platform: 'onnxruntime_onnx',
        inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 3] }],
        outputs: [{ name: 'probability', datatype: 'FP32', shape: [-1, 1] }],
      },
    });
    expectReplyMatchesRoute('ModelMetadata', metadata);
  });

  it('says a model is ready once a version is promoted onto its endpoint', async () => {
    // Act
    const churn = await get(handler, 'GET /v2/models/{name}/ready', 'churn');
    const fresh = await get(handler, 'GET /v2/models/{name}/ready', 'fresh');

    // Assess
    expect(churn).toEqual({ status: 200, body: { name: 'churn', ready: true } });
    expect(fresh).toEqual({ status: 200, body: { name: 'fresh', ready: false } });
    expectReplyMatchesRoute('ModelReady', churn);
  });

  it.each([
    ['metadata of a model not served here', 'GET /v2/models/{name}', 'nope', 'MODEL_NOT_FOUND'],
    ['readiness of a model not served here', 'GET /v2/models/{name}/ready', 'nope', 'MODEL_NOT_FOUND'],
    ['metadata of a model with no version deployed', 'GET /v2/models/{name}', 'fresh', 'ENDPOINT_NOT_FOUND'],
  ])('fails with 404 for %s', async (_what, routeKey, name, code) => {
    // Act
    const res = await get(handler, routeKey, name);

    // Assess
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code, message: expect.stringContaining(name) } });
  });

  it('serves no model on a platform without endpoints', async () => {
    // Act
    const res = await get(makeHandler({ endpoints, routing }), 'GET /v2/models/{name}', 'churn');

    // Assess
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'MODEL_NOT_FOUND' } } });
  });
});
