/**
 * Runs one production variant of an LMI model (a container environment with
 * `OPTION_ROLLING_BATCH`, as the stack's LLM endpoints declare): no GPU and no weights here, so the
 * stand-in LLM (local/llm) is trained from the `corpus.txt` in the model's artifact and serves the
 * LMI container's routes (`/ping`, `/invocations`). It runs in this process, not as a child: it
 * starts in a few milliseconds where a child process costs a quarter of a second and its own Node
 * heap, and every `npm start` hosts one per LMI variant.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/large-model-inference-container-docs.html
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalLlm } from '../llm/server';
import type { ModelHost } from './model-host';
import type { ModelRecord } from './state';

/** The file of an LMI model's artifact the stand-in trains on. */
export const LMI_CORPUS_FILE = 'corpus.txt';

/** Whether SageMaker would run `model` as an LMI model (the container's rolling-batch option). */
export const isLmiModel = (model: ModelRecord): boolean =>
  model.PrimaryContainer.Environment?.OPTION_ROLLING_BATCH !== undefined;

/** Starts the stand-in LLM on the extracted artifact `modelDir`; rejects when it holds no corpus. */
export async function startLmiHost(modelName: string, modelDir: string): Promise<ModelHost> {
  const file = join(modelDir, LMI_CORPUS_FILE);
  if (!existsSync(file)) {
    throw new Error(`the model artifact holds no ${LMI_CORPUS_FILE}, which the local LMI stand-in trains on`);
  }
  const llm = new LocalLlm({ corpus: readFileSync(file, 'utf8'), modelId: modelName });
  const url = await llm.listen();
  return { modelName, port: Number(new URL(url).port), pid: process.pid, stop: () => llm.close() };
}
