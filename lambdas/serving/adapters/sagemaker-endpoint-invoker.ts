/**
 * EndpointInvoker on SageMaker Runtime's InvokeEndpoint: the data plane only (the weights a sticky
 * routing key maps through come from `DynamoDbEndpointRouting`). ModelError carries the
 * container's status: a 4xx means the model refused the input (400 to the caller), anything else
 * is a 502.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 */
import {
  InvokeEndpointCommand,
  ModelError,
  type SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { BadRequestError, EndpointNotFoundError, PlatformError } from '../../shared/errors';
import { type EndpointInvocation, type EndpointInvoker, TargetVariantGoneError } from '../domain/ports';

export interface SageMakerEndpointInvokerProps {
  readonly runtime: SageMakerRuntimeClient;
}

const isValidation = (err: unknown): err is Error =>
  err instanceof Error && (err.name === 'ValidationError' || err.name === 'ValidationException');
/** SageMaker names the variant in the message when a TargetVariant is not on the endpoint. */
const isMissingVariant = (err: unknown, variant: string | undefined) =>
  variant !== undefined &&
  isValidation(err) &&
  /variant/i.test(err.message) &&
  err.message.includes(variant) &&
  /not found|not present|does not exist/i.test(err.message);
const isMissingEndpoint = (err: unknown) =>
  err instanceof Error &&
  (err.name === 'ValidationError' || err.name === 'ValidationException') &&
  /not found|could not find/i.test(err.message);

export class SageMakerEndpointInvoker implements EndpointInvoker {
  constructor(private readonly props: SageMakerEndpointInvokerProps) {}

  async invoke(
    endpointName: string,
    body: unknown,
    options: { targetVariant?: string; inferenceId?: string },
  ): Promise<EndpointInvocation> {
    try {
      const res = await this.props.runtime.send(
        new InvokeEndpointCommand({
          EndpointName: endpointName,
          ContentType: 'application/json',
          Accept: 'application/json',
          Body: Buffer.from(JSON.stringify(body)),
          ...(options.targetVariant ? { TargetVariant: options.targetVariant } : {}),
          ...(options.inferenceId ? { InferenceId: options.inferenceId.slice(0, 64) } : {}),
        }),
      );
      return {
        variant: res.InvokedProductionVariant ?? 'unknown',
        body: JSON.parse(Buffer.from(res.Body ?? new Uint8Array()).toString('utf8')),
      };
    } catch (err) {
      if (isMissingVariant(err, options.targetVariant)) {
        throw new TargetVariantGoneError(endpointName, options.targetVariant as string, { cause: err });
      }
      if (isMissingEndpoint(err)) {
        throw new EndpointNotFoundError(endpointName, { cause: err });
      }
      if (err instanceof ModelError) {
        const status = err.OriginalStatusCode ?? 500;
        let message = err.OriginalMessage ?? err.message;
        try {
          message = JSON.parse(message).error ?? message;
        } catch {
          // not JSON: keep the text
        }
        if (status >= 400 && status < 500)
          throw new BadRequestError('MODEL_REJECTED_INPUT', String(message), { cause: err });
        throw new PlatformError('MODEL_ERROR', `the model failed (status ${status})`, { cause: err });
      }
      if (err instanceof Error && err.name === 'ServiceUnavailable') {
        throw new PlatformError('ENDPOINT_UNAVAILABLE', `endpoint ${endpointName} cannot serve right now`, {
          cause: err,
        });
      }
      throw err;
    }
  }
}
