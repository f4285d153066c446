/**
 * `mlops prompts ...`: prompts in the registry. A version is an immutable template whose
 * `{{variables}}` are found in the text; `production` moves only past the evaluation's floors.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { expectOk } from '../../client';
import { VARIABLE_PATTERN } from '../../contracts/llm';
import { action } from '../context';
import { type RequestBody, readJsonFile } from '../json-file';
import { parseKeyValues, parseVersion } from './parse';

type VersionBody = RequestBody<'/llm/prompts/{name}/versions', 'post'>;

export function promptCommands(program: Command): void {
  const prompts = program.command('prompts').description('prompt templates, versions and aliases');
  prompts
    .command('create <name>')
    .option('-d, --description <text>', 'what the prompt is for')
    .option('-t, --tag <key=value...>', 'tags')
    .action(
      action(async ({ api, out }, name: string, opts: { description?: string; tag?: string[] }) => {
        const body = { name, description: opts.description ?? '', tags: parseKeyValues(opts.tag, '--tag') };
        out.result(await expectOk(api.POST('/llm/prompts', { body })));
      }),
    );
  prompts.command('get <name>').action(
    action(async ({ api, out }, name: string) => {
      out.result(await expectOk(api.GET('/llm/prompts/{name}', { params: { path: { name } } })));
    }),
  );
  prompts
    .command('register <name>')
    .description('register a new version from --template text or a file (.json: the whole version)')
    .option('--template <text>', 'the template, e.g. "What is the capital of {{country}}?"')
    .option(
      '-f, --file <path>',
      'a text template, or a .json version (template, variables, modelParameters, ...)',
    )
    .option('-m, --message <text>', 'the commit message')
    .action(
      action(
        async ({ api, out }, name: string, opts: { template?: string; file?: string; message?: string }) => {
          out.result(
            await expectOk(
              api.POST('/llm/prompts/{name}/versions', {
                params: { path: { name } },
                body: versionBody(opts),
              }),
            ),
          );
        },
      ),
    );
  prompts
    .command('version <name>')
    .argument('<version>', 'version number', parseVersion)
    .description('a prompt version: template, variables, evaluation scores')
    .action(
      action(async ({ api, out }, name: string, version: number) => {
        out.result(
          await expectOk(
            api.GET('/llm/prompts/{name}/versions/{version}', { params: { path: { name, version } } }),
          ),
        );
      }),
    );
  prompts
    .command('alias <name> <alias>')
    .argument('<version>', 'version number', parseVersion)
    .description('point an alias at a version (production requires the evaluation score floors)')
    .action(
      action(async ({ api, out }, name: string, alias: string, version: number) => {
        out.result(
          await expectOk(
            api.PUT('/llm/prompts/{name}/aliases/{alias}', {
              params: { path: { name, alias } },
              body: { version },
            }),
          ),
        );
      }),
    );
  prompts
    .command('render <ref>')
    .description('render name@alias or name/version with --var values')
    .option('--var <name=value...>', 'template variables')
    .action(
      action(async ({ api, out }, ref: string, opts: { var?: string[] }) => {
        out.result(
          await expectOk(
            api.POST('/llm/prompts/render', {
              body: { prompt: ref, variables: parseKeyValues(opts.var, '--var') },
            }),
          ),
        );
      }),
    );
}

/** A .json file as the whole version; otherwise the template text, its variables found in it. */
function versionBody(opts: { template?: string; file?: string; message?: string }): VersionBody {
  if (opts.file?.endsWith('.json')) return readJsonFile<VersionBody>(opts.file);
  const template = opts.template ?? (opts.file ? readFileSync(opts.file, 'utf8') : '');
  const variables = [...new Set([...template.matchAll(VARIABLE_PATTERN)].map((m) => m[1]))];
  return { template, variables, commitMessage: opts.message ?? '' } as VersionBody;
}
