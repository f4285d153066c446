/** `mlops models ...` and `mlops aliases ...`: the registry's models and their aliases. */
import type { Command } from 'commander';
import { expectOk } from '../../client';
import { action } from '../context';
import { allPages } from '../pages';
import { modelGovernanceCommand } from './model-governance';
import { parseKeyValues } from './parse';

export function modelCommands(program: Command): void {
  const models = program.command('models').description('registered models');
  models
    .command('list')
    .description('list models')
    .action(
      action(async ({ api, out }) => {
        const items = await allPages((nextToken) =>
          expectOk(api.GET('/models', { params: { query: { nextToken } } })),
        );
        out.result(items, ['name', 'latestVersion', 'description', 'updatedAt']);
      }),
    );
  models
    .command('get <name>')
    .description('show a model')
    .action(
      action(async ({ api, out }, name: string) => {
        out.result(await expectOk(api.GET('/models/{name}', { params: { path: { name } } })));
      }),
    );
  models
    .command('create <name>')
    .description('create a model')
    .option('-d, --description <text>', 'what the model is for')
    .option('-t, --tag <key=value...>', 'tags')
    .action(
      action(async ({ api, out }, name: string, opts: { description?: string; tag?: string[] }) => {
        const body = { name, description: opts.description, tags: parseKeyValues(opts.tag, '--tag') };
        out.result(await expectOk(api.POST('/models', { body })));
      }),
    );
  modelGovernanceCommand(models);

  const aliases = program.command('aliases').description("a model's aliases (champion, staging, ...)");
  aliases.command('list <model>').action(
    action(async ({ api, out }, model: string) => {
      const page = await expectOk(api.GET('/models/{name}/aliases', { params: { path: { name: model } } }));
      out.result(page.items, ['alias', 'version', 'updatedAt']);
    }),
  );
  aliases
    .command('set <model> <alias> <version>')
    .description('point an alias at a version')
    .action(
      action(async ({ api, out }, model: string, alias: string, version: string) => {
        out.result(
          await expectOk(
            api.PUT('/models/{name}/aliases/{alias}', {
              params: { path: { name: model, alias } },
              body: { version: Number(version) },
            }),
          ),
        );
      }),
    );
  aliases.command('delete <model> <alias>').action(
    action(async ({ api, out }, model: string, alias: string) => {
      await expectOk(
        api.DELETE('/models/{name}/aliases/{alias}', { params: { path: { name: model, alias } } }),
      );
      out.note(`deleted alias ${alias} of ${model}`);
    }),
  );
}
