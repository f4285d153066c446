/** Wires the LLM ports to their adapters from env, once per container. */
import { randomUUID } from 'node:crypto';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { encode } from 'gpt-tokenizer';
import { ENV } from '../../contracts/env';
import { LlmConfig, type LlmEndpointConfig } from '../../contracts/llm';
import { endpointName } from '../../contracts/serving';
import { registryServiceFromEnv } from '../registry';
import { documentClient, dynamoDbClient, requiredEnv, s3Client, withTimeouts } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { logger } from '../shared/logger';
import { BedrockConverseBackend } from './adapters/bedrock-converse-backend';
import { DynamoDbLlmStore } from './adapters/dynamodb-llm-store';
import { OpenAiHttpBackend } from './adapters/openai-backend';
import { S3PromptBodies } from './adapters/s3-prompt-bodies';
import { SageMakerLmiBackend } from './adapters/sagemaker-lmi-backend';
import type { ChatDeps } from './domain/completions';
import type { LlmBackend } from './domain/ports';
import { genAiAttributes } from './domain/usage';

export interface LlmHandlerDeps extends ChatDeps {
  readonly scoreFloors: Readonly<Record<string, number>>;
  readonly idempotency?: IdempotencyOptions;
}

/** One backend per endpoint: the local stand-in when `MLOPS_LLM_LOCAL_URL` is set (local mode). */
function backends(): (e: LlmEndpointConfig) => LlmBackend {
  const made = new Map<string, LlmBackend>();
  const local = process.env[ENV.llmLocalUrl];
  let sageMaker: SageMakerRuntimeClient | undefined;
  let bedrock: BedrockRuntimeClient | undefined;
  return (e) => {
    let backend = made.get(e.name);
    if (!backend) {
      if (local) backend = new OpenAiHttpBackend(local);
      else if (e.backend === 'bedrock') {
        bedrock ??= new BedrockRuntimeClient({ ...withTimeouts('invoke') });
        backend = new BedrockConverseBackend(bedrock, e.guardrail);
      } else {
        sageMaker ??= new SageMakerRuntimeClient({ ...withTimeouts('invoke') });
        backend = new SageMakerLmiBackend(sageMaker, endpointName(requiredEnv(ENV.envName), `llm-${e.name}`));
      }
      made.set(e.name, backend);
    }
    return backend;
  };
}

export function defaultDeps(): LlmHandlerDeps {
  const config = LlmConfig.parse(JSON.parse(process.env[ENV.llmConfig] ?? '{}'));
  const store = new DynamoDbLlmStore(documentClient(), requiredEnv(ENV.llmTable));
  return {
    registry: registryServiceFromEnv(),
    bodies: new S3PromptBodies(s3Client()),
    endpoints: config.endpoints,
    backendFor: backends(),
    prices: config.prices,
    guardrails: config.guardrails,
    scoreFloors: config.scoreFloors,
    cacheTtlSeconds: config.cacheTtlSeconds,
    cache: store,
    usage: store,
    countTokens: (text) => encode(text).length,
    observe: (record, extra) =>
      logger.info('gen_ai.client.operation', { ...genAiAttributes(record), ...extra }),
    now: () => new Date(),
    newId: randomUUID,
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}
