/**
 * A SageMaker endpoint running the LMI container with vLLM: InvokeEndpoint with the OpenAI
 * chat-completions body, which LMI accepts on `/invocations` and answers in the same shape.
 * @see https://docs.djl.ai/master/docs/serving/serving/docs/lmi/user_guides/chat_input_output_schema.html
 */
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { ChatAnswer, ChatCall, LlmBackend } from '../domain/ports';
import { answerFromOpenAi, openAiRequest } from './openai-backend';

export class SageMakerLmiBackend implements LlmBackend {
  constructor(
    private readonly runtime: SageMakerRuntimeClient,
    private readonly endpointName: string,
  ) {}

  async chat(call: ChatCall): Promise<ChatAnswer> {
    const res = await this.runtime.send(
      new InvokeEndpointCommand({
        EndpointName: this.endpointName,
        ContentType: 'application/json',
        Accept: 'application/json',
        Body: Buffer.from(JSON.stringify(openAiRequest(call))),
      }),
    );
    return answerFromOpenAi(
      JSON.parse(Buffer.from(res.Body ?? new Uint8Array()).toString('utf8')),
      call.model,
    );
  }
}
