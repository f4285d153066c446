/**
 * One line of data capture for `mlops-dev-churn` as the local endpoint writes it (`captureRecord`,
 * SageMaker's format): `input` as the JSON request, a fixed answer, the given inference id.
 */
import { captureRecord } from '../../local/sagemaker/data-capture';

export function capturedPrediction(bucket: string, inferenceId: string, input: unknown, at: Date): string {
  return JSON.stringify(
    captureRecord({
      endpoint: 'mlops-dev-churn',
      variant: 'AllTraffic',
      config: {
        DestinationS3Uri: `s3://${bucket}/serving/data-capture/`,
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        CaptureContentTypeHeader: { JsonContentTypes: ['application/json'] },
        InitialSamplingPercentage: 100,
        EnableCapture: true,
      } as never,
      request: { contentType: 'application/json', body: Buffer.from(JSON.stringify(input)) },
      response: {
        contentType: 'application/json',
        body: Buffer.from('{"outputs":[{"name":"p","data":[0.5]}]}'),
      },
      inferenceId,
      at,
    }),
  );
}
