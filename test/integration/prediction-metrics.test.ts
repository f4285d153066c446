/**
 * A prediction reports its value and confidence per model and variant, as one EMF line written by
 * Powertools (and, locally, put to the CloudWatch stand-in), without holding or failing the reply.
 */
import { ENV } from '../../contracts/env';
import { PREDICTION_METRICS } from '../../contracts/serving';
import type { EndpointInvoker, EndpointRouting } from '../../lambdas/serving/domain/ports';
import { makeHandler } from '../../lambdas/serving/handler';
import { LocalCloudWatch } from '../../local/cloudwatch/server';
import { httpCaller } from '../helpers/http-call';

process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';

// The reference model's answer: one sigmoid probability per row, FP32 [N, 1].
const endpoints: EndpointInvoker = {
  invoke: async () => ({
    variant: 'challenger',
    body: {
      model_name: 'pkg',
      outputs: [{ name: 'probability', datatype: 'FP32', shape: [2, 1], data: [0.9, 0.25] }],
    },
  }),
};
const routing: EndpointRouting = { endpointName: (m) => `mlops-dev-${m}`, variants: async () => [] };
const request = { inputs: [{ name: 'features', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3, 4] }] };

describe('prediction metrics', () => {
  it('writes one EMF line of the values and confidences of the rows under model and variant, and puts them locally', async () => {
    // Prepare
    const cloudWatch = new LocalCloudWatch();
    process.env[ENV.cloudWatchEndpoint] = await cloudWatch.listen();
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
    const serving = httpCaller(makeHandler({ endpoints, routing }), { functionName: 'serving' });
    try {
      // Act
      const reply = await serving('POST', '/v2/models/churn/infer', request);
      const dims = [
        { Name: 'ModelName', Value: 'churn' },
        { Name: 'VariantName', Value: 'challenger' },
      ];
      const stored = async () => {
        for (let i = 0; i < 50; i++) {
          const found = cloudWatch.metrics.series(
            {
              Namespace: PREDICTION_METRICS.namespace,
              MetricName: PREDICTION_METRICS.confidence,
              Dimensions: dims,
            },
            'SampleCount',
            60_000,
            Date.now() + 1000,
            2,
          );
          if (found.some((v) => v !== undefined)) return found;
          await new Promise((r) => setTimeout(r, 20));
        }
        return [];
      };
      const confidences = await stored();
      write.mockRestore();

      // Assess
      expect(reply.status).toBe(200);
      const emf = lines.map((l) => JSON.parse(l)).filter((l) => l._aws);
      expect(emf).toHaveLength(1);
      expect(emf[0]).toMatchObject({
        _aws: {
          CloudWatchMetrics: [
            {
              Namespace: PREDICTION_METRICS.namespace,
              Dimensions: [['ModelName', 'VariantName']],
              Metrics: [
                { Name: PREDICTION_METRICS.value, Unit: 'None' },
                { Name: PREDICTION_METRICS.confidence, Unit: 'None' },
              ],
            },
          ],
        },
        ModelName: 'churn',
        VariantName: 'challenger',
        [PREDICTION_METRICS.value]: [0.9, 0.25],
        [PREDICTION_METRICS.confidence]: [0.9, 0.75],
      });
      expect(confidences.filter((v) => v !== undefined)).toEqual([2]);
    } finally {
      write.mockRestore();
      delete process.env[ENV.cloudWatchEndpoint];
      await cloudWatch.close();
    }
  });

  it('answers the prediction when publishing fails', async () => {
    // Prepare
    const serving = httpCaller(
      makeHandler({ endpoints, routing }, () => {
        throw new Error('no stdout');
      }),
      { functionName: 'serving' },
    );
    const rejecting = httpCaller(
      makeHandler({ endpoints, routing }, async () => Promise.reject(new Error('no CloudWatch'))),
      { functionName: 'serving' },
    );
    // Act
    const replies = [
      await serving('POST', '/v2/models/churn/infer', request),
      await rejecting('POST', '/v2/models/churn/infer', request),
    ];
    // Assess
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
  });
});
