/**
 * `mlops llm ...`: calls to an LLM endpoint in OpenAI's shape (messages, or a registered prompt
 * with its variables), evaluations of a prompt version, canary rollouts of an LLM endpoint (Bedrock or
 * SageMaker LMI) to a candidate model, document collections for retrieval, and token usage with its cost.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { expectOk } from '../../client';
import { action, CliFailure } from '../context';
import { EXIT } from '../exit-codes';
import { type RequestBody, readJsonFile } from '../json-file';
import { allPages } from '../pages';
import { type DeployOptions, requirePromoted, rolloutOptions, watchRollout } from './deploy';
import { parseKeyValues } from './parse';

const USAGE_COLUMNS = ['key', 'calls', 'cacheHits', 'inputTokens', 'outputTokens', 'costMicroUsd'];

export function llmCommands(program: Command): void {
  const llm = program.command('llm').description('LLM calls, evaluations, collections and usage');
  llm
    .command('chat <endpoint>')
    .description('a chat completion from --message text or a registered --prompt with --var values')
    .option('-m, --message <text>', 'the user message')
    .option('-p, --prompt <ref>', 'a prompt, name@alias or name/version')
    .option('--var <name=value...>', "the prompt's variables")
    .option('--max-tokens <n>', 'the most tokens to generate', Number)
    .option('--temperature <t>', 'sampling temperature, 0..2', Number)
    .action(
      action(async ({ api, out }, endpoint: string, opts: ChatOptions) => {
        if ((opts.message === undefined) === (opts.prompt === undefined))
          throw new CliFailure('give exactly one of --message and --prompt', EXIT.USAGE);
        const completion = await expectOk(
          api.POST('/llm/chat/completions', {
            body: {
              model: endpoint,
              ...(opts.prompt
                ? { prompt: { ref: opts.prompt, variables: parseKeyValues(opts.var, '--var') } }
                : { messages: [{ role: 'user' as const, content: opts.message! }] }),
              max_tokens: opts.maxTokens,
              temperature: opts.temperature,
            },
          }),
        );
        // A person wants the answer; a script gets the whole completion (usage and cost included).
        out.result(out.format === 'json' ? completion : (completion.choices[0]?.message.content ?? ''));
      }),
    );
  llm
    .command('evaluate')
    .description("score a prompt version's answers on a dataset; the scores are set on the version")
    .requiredOption(
      '-f, --file <path>',
      'the evaluation as JSON: prompt (name/version), endpoint, rows, scorers',
    )
    .option('--background', 'run a dataset of up to 10,000 rows in the background; prints the run')
    .action(
      action(async ({ api, out }, opts: { file: string; background?: boolean }) => {
        if (opts.background) {
          const body = readJsonFile<RequestBody<'/llm/evaluation-runs', 'post'>>(opts.file);
          out.result(await expectOk(api.POST('/llm/evaluation-runs', { body })));
          return;
        }
        const body = readJsonFile<RequestBody<'/llm/evaluations', 'post'>>(opts.file);
        out.result(await expectOk(api.POST('/llm/evaluations', { body })));
      }),
    );
  llm
    .command('evaluation <runId>')
    .description("a background evaluation run's status and aggregate, or with --rows its scored rows")
    .option('--rows', 'every row scored so far, in dataset order')
    .action(
      action(async ({ api, out }, runId: string, opts: { rows?: boolean }) => {
        const path = { runId };
        if (!opts.rows) {
          out.result(await expectOk(api.GET('/llm/evaluation-runs/{runId}', { params: { path } })));
          return;
        }
        const rows = await allPages((nextToken) =>
          expectOk(
            api.GET('/llm/evaluation-runs/{runId}/rows', {
              params: { path, query: { limit: 100, ...(nextToken ? { nextToken } : {}) } },
            }),
          ),
        );
        out.result(rows, ['index', 'answer', 'expected', 'scores', 'failures', 'costMicroUsd']);
      }),
    );
  rolloutOptions(
    llm
      .command('rollout <endpoint> <candidate>')
      .description(
        'canary-roll an LLM endpoint (Bedrock or SageMaker LMI) out to one of its candidate models',
      ),
  ).action(
    action(async ({ api, out }, endpoint: string, candidate: string, opts: DeployOptions) => {
      const path = { name: endpoint };
      const started = await expectOk(
        api.POST('/llm/endpoints/{name}/rollouts', {
          params: { path },
          body: { candidate, canarySteps: opts.steps, bakeMinutes: opts.bakeMinutes },
        }),
      );
      if (!opts.watch) {
        out.result(started);
        return;
      }
      const read = () =>
        expectOk(
          api.GET('/llm/endpoints/{name}/rollouts/{deploymentId}', {
            params: { path: { ...path, deploymentId: started.deploymentId } },
          }),
        );
      const ended = await watchRollout(out, read, opts.interval * 1000);
      out.result(ended);
      requirePromoted(ended);
    }),
  );
  llm
    .command('endpoints [name]')
    .description('the LLM endpoints, or one, with the model each serves now and a running rollout')
    .action(
      action(async ({ api, out }, name: string | undefined) => {
        if (name) {
          out.result(await expectOk(api.GET('/llm/endpoints/{name}', { params: { path: { name } } })));
          return;
        }
        const { items } = await expectOk(api.GET('/llm/endpoints'));
        out.result(
          items.map((e) => ({
            ...e,
            rollout: e.rollout ? `${e.rollout.candidate} ${e.rollout.challengerPercent}%` : '',
          })),
          ['name', 'backend', 'servedModel', 'configuredModel', 'candidates', 'rollout'],
        );
      }),
    );
  llm
    .command('rollout-status <endpoint> <deploymentId>')
    .description('a model rollout of an LLM endpoint: its phase, weights and outcome')
    .action(
      action(async ({ api, out }, endpoint: string, deploymentId: string) => {
        out.result(
          await expectOk(
            api.GET('/llm/endpoints/{name}/rollouts/{deploymentId}', {
              params: { path: { name: endpoint, deploymentId } },
            }),
          ),
        );
      }),
    );
  llm
    .command('usage')
    .description('token usage and cost, grouped (model, promptVersion, principal, day, endpoint, operation)')
    .option('--from <date>', 'first day, YYYY-MM-DD (default: today)')
    .option('--to <date>', 'last day, inclusive (default: --from)')
    .option('--group-by <dimensions>', 'comma-separated, e.g. model,day', 'model')
    .action(
      action(async ({ api, out }, opts: { from?: string; to?: string; groupBy: string }) => {
        const from = opts.from ?? new Date().toISOString().slice(0, 10);
        const usage = await expectOk(
          api.GET('/llm/usage', { params: { query: { from, to: opts.to ?? from, groupBy: opts.groupBy } } }),
        );
        if (out.format === 'json') out.result(usage);
        else out.result([...usage.groups, { ...usage.total, key: 'total' }], USAGE_COLUMNS);
      }),
    );

  const collections = llm.command('collections').description('document collections for retrieval');
  collections
    .command('create <name>')
    .option('-d, --description <text>', 'what the documents are')
    .option('--max-words <n>', 'words per chunk', Number)
    .option('--overlap-words <n>', 'words each chunk repeats from the previous one', Number)
    .action(
      action(async ({ api, out }, name: string, opts: CollectionOptions) => {
        const chunking =
          opts.maxWords === undefined && opts.overlapWords === undefined
            ? undefined
            : { maxWords: opts.maxWords ?? 200, overlapWords: opts.overlapWords ?? 40 };
        out.result(
          await expectOk(
            api.POST('/llm/collections', { body: { name, description: opts.description ?? '', chunking } }),
          ),
        );
      }),
    );
  collections
    .command('ingest <name>')
    .description('chunk, embed and index one document')
    .requiredOption('--id <id>', "the document's id, given back as its chunks' source")
    .requiredOption('-f, --file <path>', 'the text')
    .action(
      action(async ({ api, out }, name: string, opts: { id: string; file: string }) => {
        out.result(
          await expectOk(
            api.POST('/llm/collections/{name}/documents', {
              params: { path: { name } },
              body: { id: opts.id, text: readFileSync(opts.file, 'utf8') },
            }),
          ),
        );
      }),
    );
  collections
    .command('import <name>')
    .description('ingest the text objects under an S3 prefix of the platform bucket, page after page')
    .requiredOption('--prefix <prefix>', 'a prefix under artifacts/llm-documents/')
    .action(
      action(async ({ api, out }, name: string, opts: { prefix: string }) => {
        const documents = [];
        let startAfter: string | undefined;
        do {
          const page = await expectOk(
            api.POST('/llm/collections/{name}/imports', {
              params: { path: { name } },
              body: { prefix: opts.prefix, maxObjects: 100, ...(startAfter ? { startAfter } : {}) },
            }),
          );
          documents.push(...page.documents);
          startAfter = page.nextStartAfter;
        } while (startAfter);
        out.result(documents, ['status', 'source', 'chunks', 'reason']);
      }),
    );
  collections
    .command('retrieve <name> <query>')
    .description('the k chunks closest to a query, with scores and sources')
    .option('-k <n>', 'how many', Number, 4)
    .action(
      action(async ({ api, out }, name: string, query: string, opts: { k: number }) => {
        const found = await expectOk(
          api.POST('/llm/collections/{name}/retrieve', {
            params: { path: { name } },
            body: { query, k: opts.k },
          }),
        );
        out.result(out.format === 'json' ? found : found.chunks, ['score', 'source', 'chunk', 'text']);
      }),
    );
}

interface ChatOptions {
  readonly message?: string;
  readonly prompt?: string;
  readonly var?: string[];
  readonly maxTokens?: number;
  readonly temperature?: number;
}

interface CollectionOptions {
  readonly description?: string;
  readonly maxWords?: number;
  readonly overlapWords?: number;
}
