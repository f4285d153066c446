/**
 * Amazon Titan Text Embeddings V2 on Bedrock behind the `Embeddings` port: one InvokeModel call a
 * text (the model embeds one `inputText` per request), a few at a time, each asked for the
 * configured size and a unit-length vector (`normalize`), as S3 Vectors' cosine index expects.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
 */
import { type BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { bedrockEmbeddingName, type Embeddings } from '../domain/embeddings';

/** Calls in flight at once: a document's 98 chunks in about 12 rounds, well inside Bedrock's rate. */
const CONCURRENCY = 8;

export class BedrockTitanEmbeddings implements Embeddings {
  readonly name: string;

  constructor(
    private readonly client: Pick<BedrockRuntimeClient, 'send'>,
    private readonly model: string,
    readonly dimensions: number,
  ) {
    this.name = bedrockEmbeddingName(model, dimensions);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = new Array(texts.length);
    let next = 0;
    const worker = async () => {
      while (next < texts.length) {
        const i = next++;
        out[i] = await this.embedOne(texts[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, texts.length) }, worker));
    return out;
  }

  private async embedOne(inputText: string): Promise<Float32Array> {
    const res = await this.client.send(
      new InvokeModelCommand({
        modelId: this.model,
        contentType: 'application/json',
        accept: 'application/json',
        body: JSON.stringify({ inputText, dimensions: this.dimensions, normalize: true }),
      }),
    );
    const body = JSON.parse(new TextDecoder().decode(res.body)) as { embedding?: number[] };
    if (!Array.isArray(body.embedding) || body.embedding.length !== this.dimensions) {
      throw new Error(
        `${this.model} answered an embedding of ${body.embedding?.length ?? 'no'} dimensions, not ${this.dimensions}`,
      );
    }
    return Float32Array.from(body.embedding);
  }
}
