/**
 * `mlops privacy ...`: erasing an entity everywhere the platform holds it (online and offline
 * features, captured inferences, ground truth), with a receipt once COMPLETED.
 */
import type { Command } from 'commander';
import { expectOk, type PlatformClient } from '../../client';
import { action, CliFailure } from '../context';
import { EXIT } from '../exit-codes';
import type { Output } from '../output';
import { type WatchOptions, watchOptions, watchUntil } from '../watch';
import { parseKeyValueList } from './parse';

export function privacyCommands(program: Command): void {
  const privacy = program.command('privacy').description('erasure of entities (right to be forgotten)');
  watchOptions(
    privacy
      .command('erase')
      .description('erase entities everywhere and tombstone them, e.g. -e customer_id=1001')
      .requiredOption('-e, --entity <key=values...>', 'join key and its values (repeatable, comma-separated)')
      .option('--inference-id <ids...>', "the entity's predictions: their capture records and labels go too")
      .option('--reason <text>', "why, for the receipt (a ticket number, never the person's data)"),
    'the erasure',
  ).action(
    action(async ({ api, out }, opts: EraseOptions) => {
      const entities = Object.fromEntries(
        Object.entries(parseKeyValueList(opts.entity, '--entity')).map(([key, values]) => [
          key,
          // A number-looking key is sent as a number: int64 join keys are stored as numbers.
          values.map((v) => (/^-?\d{1,15}$/.test(v) ? Number(v) : v)),
        ]),
      );
      const erasure = await expectOk(
        api.POST('/privacy/erasures', {
          body: { entities, inferenceIds: opts.inferenceId ?? [], reason: opts.reason ?? '' },
        }),
      );
      await follow(api, out, erasure.erasureId, opts);
    }),
  );
  watchOptions(
    privacy.command('status <erasureId>').description('an erasure and, once COMPLETED, its receipt'),
    'the erasure',
  ).action(
    action(async ({ api, out }, erasureId: string, opts: WatchOptions) => {
      await follow(api, out, erasureId, opts);
    }),
  );
}

interface EraseOptions extends WatchOptions {
  readonly entity: string[];
  readonly inferenceId?: string[];
  readonly reason?: string;
}

async function follow(
  api: PlatformClient,
  out: Output,
  erasureId: string,
  opts: WatchOptions,
): Promise<void> {
  const read = () => expectOk(api.GET('/privacy/erasures/{erasureId}', { params: { path: { erasureId } } }));
  const erasure = opts.watch
    ? await watchUntil(
        out,
        read,
        (e) => e.status,
        (e) => e.status === 'COMPLETED' || e.status === 'FAILED',
        opts.interval * 1000,
      )
    : await read();
  out.result(erasure);
  if (erasure.status === 'FAILED') throw new CliFailure(`erasure ${erasureId} FAILED`, EXIT.OPERATION_FAILED);
}
