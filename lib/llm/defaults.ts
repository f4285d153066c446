/** Defaults of `LlmOps`, in one place so the props' `@default` docs and the code agree. */
import { Duration } from 'aws-cdk-lib';
import { EmbeddingConfig, type ModelPrice } from '../../contracts/llm';

export const LLM_DEFAULTS = {
  /** A chat completion waits for the model: generation of a long answer takes tens of seconds. */
  timeout: Duration.seconds(60),
  /** Lambda's longest: a worker scores rows until a few minutes are left, then hands over. */
  evaluationWorkerTimeout: Duration.minutes(15),
  /** The BPE tokenizer's ranks are held in memory for the prompt-length rule. */
  memorySize: 1024,
  /** Retrieval's embedding model on AWS when `mlops:llm` names none: the schema's defaults. */
  embeddings: EmbeddingConfig.parse({}),
  /**
   * The default embedding model's list price (Titan Text Embeddings V2, on-demand: $0.02 per
   * million input tokens, its only token type), priced when `mlops:llm` prices lists no row of it.
   * @see https://aws.amazon.com/bedrock/pricing/
   */
  embeddingPrice: {
    model: 'amazon.titan-embed-text-v2:0',
    effectiveFrom: '2024-04-30',
    tiers: [{ aboveInputTokens: 0, input: 20_000, output: 0 }],
  } satisfies ModelPrice,
  /**
   * The LMI container with vLLM (DJL Serving). The account is the AWS Deep Learning Containers
   * account of us-east-1; set `imageUri` per endpoint for another Region or release.
   * @see https://github.com/aws/deep-learning-containers/blob/master/available_images.md
   */
  lmiImageUri: '763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.33.0-lmi15.0.0-cu128',
} as const;
