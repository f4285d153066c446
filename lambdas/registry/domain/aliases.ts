/** Use cases on aliases: named pointers (champion, challenger, ...) to a READY version. */
import { RegistryEvent } from '../../../contracts/events';
import { PRODUCTION_ALIAS, PROMPT_KIND, PROMPT_TAGS } from '../../../contracts/llm-names';
import type { ModelAlias, ModelVersion } from '../../../contracts/registry';
import { answerOnCommit } from '../../shared/effect-scope';
import { AliasNotFoundError, ConflictError, UnprocessableError } from '../../shared/errors';
import { auditRecord } from './audit';
import { requireActiveModel, requireModel } from './models';
import type { Actor, RegistryDeps } from './ports';
import { requireReady, requireVersion } from './versions';

/** Attempts of an alias move that keeps losing races before it answers 409. */
export const ALIAS_MOVE_ATTEMPTS = 8;

/**
 * Points an alias at a READY version. The write is conditioned on the alias as read (its version
 * and `updatedAt`, or its absence), so the audit record's `before` is the version the alias really
 * held. A move that lost a race is retried on a fresh read: setting an alias is what the client
 * asked whatever it held before, so the retry means the same; after `ALIAS_MOVE_ATTEMPTS` losses
 * it answers 409 CONCURRENT_MODIFICATION.
 */
export async function setAlias(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  alias: string,
  version: number,
  options: AliasOptions = {},
): Promise<ModelAlias> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await moveAlias(deps, actor, name, alias, version, options);
    } catch (err) {
      const lost = err instanceof ConflictError && err.code === 'CONCURRENT_MODIFICATION';
      if (!lost || attempt >= ALIAS_MOVE_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(500, 10 * 2 ** attempt)));
    }
  }
}

/** How an alias move was reached. */
export interface AliasOptions {
  /** The LLM release gate passed (the evaluation score floors): a prompt's `production` may move. */
  readonly promptReleaseChecked?: boolean;
}

async function moveAlias(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  alias: string,
  version: number,
  options: AliasOptions,
): Promise<ModelAlias> {
  const model = await requireActiveModel(deps, name);
  // A prompt's production alias serves every chat completion naming the prompt: it moves only
  // through the release gate, which this path (the registry's and MLflow's alias routes) is not.
  if (
    model.tags[PROMPT_TAGS.kind] === PROMPT_KIND &&
    alias === PRODUCTION_ALIAS &&
    !options.promptReleaseChecked
  ) {
    throw new UnprocessableError(
      'PROMPT_RELEASE_GATED',
      `${name} is a prompt: its ${PRODUCTION_ALIAS} alias moves through PUT /llm/prompts/${name}/aliases/${PRODUCTION_ALIAS}, which checks the evaluation score floors`,
    );
  }
  requireReady(await requireVersion(deps, name, version));
  const before = await deps.store.getAlias(name, alias);
  const at = laterThan(deps.now(), before?.updatedAt);
  const after: ModelAlias = { modelName: name, alias, version, updatedAt: at };
  const audit = auditRecord(deps, actor, at, {
    action: RegistryEvent.MODEL_ALIAS_SET,
    modelName: name,
    version,
    alias,
    ...(before ? { before: { version: before.version } } : {}),
    after: { version },
  });
  answerOnCommit(after);
  await deps.store.putAlias(after, before, audit);
  return after;
}

/**
 * `now`, or 1 ms past the alias's last change when the clock has not moved past it (two moves in
 * one millisecond, or clocks of two containers apart): an alias's audit records then sort in the
 * order its moves committed.
 */
function laterThan(now: Date, previous: string | undefined): string {
  const floor = previous === undefined ? Number.NEGATIVE_INFINITY : Date.parse(previous) + 1;
  return new Date(Math.max(now.getTime(), floor)).toISOString();
}

async function requireAlias(deps: RegistryDeps, name: string, alias: string): Promise<ModelAlias> {
  await requireModel(deps, name);
  const found = await deps.store.getAlias(name, alias);
  if (!found) throw new AliasNotFoundError(name, alias);
  return found;
}

/** Resolves an alias to the version it points at. */
export async function getAlias(
  deps: RegistryDeps,
  name: string,
  alias: string,
): Promise<ModelAlias & { modelVersion: ModelVersion }> {
  const found = await requireAlias(deps, name, alias);
  return { ...found, modelVersion: await requireVersion(deps, name, found.version) };
}

export async function listAliases(deps: RegistryDeps, name: string): Promise<ModelAlias[]> {
  await requireModel(deps, name);
  return deps.store.listAliases(name);
}

export async function deleteAlias(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  alias: string,
): Promise<void> {
  await requireActiveModel(deps, name);
  const before = await requireAlias(deps, name, alias);
  const at = laterThan(deps.now(), before.updatedAt);
  const audit = auditRecord(deps, actor, at, {
    action: RegistryEvent.MODEL_ALIAS_DELETED,
    modelName: name,
    version: before.version,
    alias,
    before: { version: before.version },
  });
  answerOnCommit(undefined);
  await deps.store.deleteAlias(before, audit);
}
