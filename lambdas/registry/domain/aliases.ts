/** Use cases on aliases: named pointers (champion, challenger, ...) to a READY version. */
import { RegistryEvent } from '../../../contracts/events';
import type { ModelAlias, ModelVersion } from '../../../contracts/registry';
import { AliasNotFoundError } from '../../shared/errors';
import { auditRecord } from './audit';
import { requireActiveModel, requireModel } from './models';
import type { Actor, RegistryDeps } from './ports';
import { requireReady, requireVersion } from './versions';

export async function setAlias(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  alias: string,
  version: number,
): Promise<ModelAlias> {
  await requireActiveModel(deps, name);
  requireReady(await requireVersion(deps, name, version));
  const before = await deps.store.getAlias(name, alias);
  const at = deps.now().toISOString();
  const after: ModelAlias = { modelName: name, alias, version, updatedAt: at };
  const audit = auditRecord(deps, actor, at, {
    action: RegistryEvent.MODEL_ALIAS_SET,
    modelName: name,
    version,
    alias,
    ...(before ? { before: { version: before.version } } : {}),
    after: { version },
  });
  await deps.store.putAlias(after, audit);
  return after;
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
  const at = deps.now().toISOString();
  const audit = auditRecord(deps, actor, at, {
    action: RegistryEvent.MODEL_ALIAS_DELETED,
    modelName: name,
    version: before.version,
    alias,
    before: { version: before.version },
  });
  await deps.store.deleteAlias(name, alias, audit);
}
