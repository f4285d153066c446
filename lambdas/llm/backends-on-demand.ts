/**
 * The model backends on AWS (Bedrock Converse, a SageMaker LMI endpoint) and their runtime
 * clients, imported by `deps.ts` on an endpoint's first call: a chunk of their own in the bundle,
 * so the prompt, collection, usage and evaluation routes do not load them. One client of each
 * kind per container.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { ENV } from '../../contracts/env';
import { withTimeouts } from '../shared/clients';
import { traced } from '../shared/tracing';
import { BedrockConverseBackend } from './adapters/bedrock-converse-backend';
import { SageMakerLmiBackend } from './adapters/sagemaker-lmi-backend';

let bedrock: BedrockRuntimeClient | undefined;
let sageMaker: SageMakerRuntimeClient | undefined;

/** Bedrock Converse, with the endpoint's Bedrock guardrail where it names one. */
export function bedrockBackend(guardrail: ConstructorParameters<typeof BedrockConverseBackend>[1]) {
  bedrock ??= traced(new BedrockRuntimeClient({ ...withTimeouts('invoke') }));
  return new BedrockConverseBackend(bedrock, guardrail);
}

/**
 * The SageMaker endpoint `endpointName` serving an LMI container; the runtime's endpoint from env
 * (unset on AWS, the local SageMaker in local mode).
 */
export function sageMakerBackend(endpointName: string) {
  sageMaker ??= traced(
    new SageMakerRuntimeClient({
      ...withTimeouts('invoke'),
      endpoint: process.env[ENV.sageMakerRuntimeEndpoint] || undefined,
    }),
  );
  return new SageMakerLmiBackend(sageMaker, endpointName);
}
