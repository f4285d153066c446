/**
 * `npm start -- -c key=value`: the same context overrides `cdk synth -c` takes, laid over
 * cdk.json's context, so local mode runs the config a deploy with those flags would. Local mode
 * also declares the demo model of `local/demo.context.json` (`npm run demo`), next to whatever
 * the context declares; `cdk synth`/`cdk deploy` never see it.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/context.html
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMBEDDING_NAME } from '../lambdas/llm/domain/embeddings';

/** Parses `-c key=value` / `--context key=value` pairs; anything else is an error. */
export function parseContextArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag !== '-c' && flag !== '--context') throw new Error(`unknown argument ${flag}; use -c key=value`);
    const pair = argv[++i];
    const eq = pair?.indexOf('=') ?? -1;
    if (!pair || eq <= 0) throw new Error(`${flag} needs key=value, got ${pair ?? 'nothing'}`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** cdk.json's context with the overrides on top (values stay strings, as the CDK CLI gives them). */
export function localContext(argv: readonly string[], root = join(__dirname, '..')): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return { ...(cdkJson.context ?? {}), ...parseContextArgs(argv) };
}

type Named = { modelName: string };

/** A context value as the config reads it: `-c` gives JSON text, cdk.json gives JSON. */
function parsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    // Not JSON: the config parser rejects it with the field's name.
    return value;
  }
}

/**
 * The context's own `mlops:llm` with the demo's price of the local stand-in embedding added when it
 * prices none: collections embed with the stand-in locally, and an unpriced call is refused.
 */
function withLocalEmbeddingPrice(mine: unknown, demo: { prices: ReadonlyArray<{ model: string }> }): unknown {
  const llm = parsed(mine) as { prices?: unknown } | undefined;
  // Not an object with a price list: leave it for the config parser (or its defaults).
  if (!llm || typeof llm !== 'object' || Array.isArray(llm)) return mine;
  const prices = llm.prices ?? [];
  if (!Array.isArray(prices) || prices.some((p: { model?: unknown }) => p?.model === EMBEDDING_NAME))
    return mine;
  return { ...llm, prices: [...prices, ...demo.prices.filter((p) => p.model === EMBEDDING_NAME)] };
}

/** `mine` followed by the entries of `extra` whose model `mine` does not declare. */
function appendModels(mine: unknown, extra: readonly Named[]): unknown {
  if (mine === undefined) return extra;
  const list = parsed(mine);
  // Not a list: leave it for the config parser to reject with its own message.
  if (!Array.isArray(list)) return mine;
  const taken = new Set(list.map((e: Partial<Named>) => e?.modelName));
  return [...list, ...extra.filter((e) => !taken.has(e.modelName))];
}

/**
 * The context with the demo model added to its endpoint, monitoring and retraining lists. A model
 * the context declares under the same name wins.
 */
export function withDemoModel(
  context: Record<string, unknown>,
  root = join(__dirname, '..'),
): Record<string, unknown> {
  const demo = JSON.parse(readFileSync(join(root, 'local', 'demo.context.json'), 'utf8')) as {
    'mlops:endpoints': Named[];
    'mlops:monitoring': { models: Named[] };
    'mlops:retraining': Named[];
    'mlops:llm': { prices: Array<{ model: string }> };
  };
  const out = { ...context };
  // The demo LLM endpoint and its prices, unless the context configures LLMOps itself.
  out['mlops:llm'] =
    context['mlops:llm'] === undefined
      ? demo['mlops:llm']
      : withLocalEmbeddingPrice(context['mlops:llm'], demo['mlops:llm']);
  out['mlops:endpoints'] = appendModels(context['mlops:endpoints'], demo['mlops:endpoints']);
  out['mlops:retraining'] = appendModels(context['mlops:retraining'], demo['mlops:retraining']);
  const monitoring = parsed(context['mlops:monitoring'] ?? {}) as Record<string, unknown>;
  out['mlops:monitoring'] =
    monitoring && typeof monitoring === 'object' && !Array.isArray(monitoring)
      ? { ...monitoring, models: appendModels(monitoring.models, demo['mlops:monitoring'].models) }
      : context['mlops:monitoring'];
  return out;
}
