/**
 * Amazon Titan Text Embeddings V2 on Bedrock behind the `Embeddings` port: one InvokeModel call a
 * text (the model embeds one `inputText` per request), a few at a time, each asked for the
 * configured size and a unit-length vector (`normalize`), as S3 Vectors' cosine index expects.
 * Each answer carries the tokens Titan counted in its text (`inputTextTokenCount`); a call's usage is
 * their sum.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
 */
import { type BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { bedrockEmbeddingName, type Embedded, type Embeddings } from '../domain/embeddings';

/** Calls in flight at once: a document's 98 chunks in about 12 rounds, well inside Bedrock's rate. */
const CONCURRENCY = 8;

export class BedrockTitanEmbeddings implements Embeddings {
  readonly name: string;
  readonly provider = 'aws.bedrock';

  constructor(
    private readonly client: Pick<BedrockRuntimeClient, 'send'>,
    readonly model: string,
    readonly dimensions: number,
  ) {
    this.name = bedrockEmbeddingName(model, dimensions);
  }

  async embed(texts: readonly string[]): Promise<Embedded> {
    const vectors: Float32Array[] = new Array(texts.length);
    let inputTokens = 0;
    let next = 0;
    const worker = async () => {
      while (next < texts.length) {
        const i = next++;
        const one = await this.embedOne(texts[i]);
        vectors[i] = one.vector;
        inputTokens += one.inputTokens;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, texts.length) }, worker));
    return { vectors, inputTokens };
  }

  private async embedOne(inputText: string): Promise<{ vector: Float32Array; inputTokens: number }> {
    const res = await this.client.send(
      new InvokeModelCommand({
        modelId: this.model,
        contentType: 'application/json',
        accept: 'application/json',
        body: JSON.stringify({ inputText, dimensions: this.dimensions, normalize: true }),
      }),
    );
    const body = JSON.parse(new TextDecoder().decode(res.body)) as {
      embedding?: number[];
      inputTextTokenCount?: number;
    };
    if (!Array.isArray(body.embedding) || body.embedding.length !== this.dimensions) {
      throw new Error(
        `${this.model} answered an embedding of ${body.embedding?.length ?? 'no'} dimensions, not ${this.dimensions}`,
      );
    }
    // Titan always reports the count; an answer without one is refused rather than guessed at.
    if (!Number.isInteger(body.inputTextTokenCount) || (body.inputTextTokenCount as number) < 0) {
      throw new Error(`${this.model} answered no inputTextTokenCount`);
    }
    return { vector: Float32Array.from(body.embedding), inputTokens: body.inputTextTokenCount as number };
  }
}
