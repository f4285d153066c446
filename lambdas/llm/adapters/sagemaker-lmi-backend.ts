/**
 * A SageMaker endpoint running the LMI container with vLLM: InvokeEndpointWithResponseStream with
 * the OpenAI chat-completions body and `stream: true`, which LMI answers with the chunks vLLM
 * streams, so the time to the first token is measured where the model produced it; usage is the
 * last chunk's. The answer says which production variant SageMaker routed the call to (a model
 * rollout's champion or challenger), and so does a stream that fails once that is known.
 * @see https://docs.djl.ai/master/docs/serving/serving/docs/lmi/user_guides/chat_input_output_schema.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointWithResponseStream.html
 */
import {
  InvokeEndpointWithResponseStreamCommand,
  type SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { PlatformError } from '../../shared/errors';
import { type ChatAnswer, type ChatCall, type LlmBackend, VariantCallFailure } from '../domain/ports';
import { openAiStreamRequest, readOpenAiStream } from './openai-backend';

export class SageMakerLmiBackend implements LlmBackend {
  constructor(
    private readonly runtime: SageMakerRuntimeClient,
    private readonly endpointName: string,
  ) {}

  async chat(call: ChatCall): Promise<ChatAnswer> {
    const started = performance.now();
    const res = await this.runtime.send(
      new InvokeEndpointWithResponseStreamCommand({
        EndpointName: this.endpointName,
        ContentType: 'application/json',
        Body: Buffer.from(JSON.stringify(openAiStreamRequest(call))),
      }),
    );
    const stream = res.Body;
    if (!stream) throw new PlatformError('MODEL_ERROR', 'the model answered without a stream');
    async function* parts() {
      for await (const event of stream ?? []) {
        if (event.PayloadPart?.Bytes) yield event.PayloadPart.Bytes;
        const error = event.ModelStreamError ?? event.InternalStreamFailure;
        if (error) throw new PlatformError('MODEL_ERROR', `the model's stream failed: ${error.message}`);
      }
    }
    const variant = res.InvokedProductionVariant;
    try {
      const answer = await readOpenAiStream(parts(), call.model, started);
      return variant ? { ...answer, invokedProductionVariant: variant } : answer;
    } catch (err) {
      throw variant ? new VariantCallFailure(variant, err) : err;
    }
  }
}
