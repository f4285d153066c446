/**
 * `npm start -- -c key=value`: the same context overrides `cdk synth -c` takes, laid over
 * cdk.json's context, so local mode runs the config a deploy with those flags would.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/context.html
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
