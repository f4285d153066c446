/** Use cases on registered models: create, read, list, update, delete. */
import { RegistryEvent } from '../../../contracts/events';
import type { CreateModelRequest, Model, UpdateModelRequest } from '../../../contracts/registry';
import { answerOnCommit } from '../../shared/effect-scope';
import {
  ConflictError,
  ModelDeletingError,
  ModelNotFoundError,
  UnprocessableError,
} from '../../shared/errors';
import { auditRecord } from './audit';
import type { Actor, ModelQuery, Page, RegistryDeps } from './ports';

export async function requireModel(deps: RegistryDeps, name: string): Promise<Model> {
  const model = await deps.store.getModel(name);
  if (!model) throw new ModelNotFoundError(name);
  return model;
}

/** Like `requireModel`, but a model being deleted takes no changes. */
export async function requireActiveModel(deps: RegistryDeps, name: string): Promise<Model> {
  const model = await requireModel(deps, name);
  if (model.status !== 'ACTIVE') throw new ModelDeletingError(name);
  return model;
}

export async function createModel(deps: RegistryDeps, actor: Actor, req: CreateModelRequest): Promise<Model> {
  const at = deps.now().toISOString();
  const model: Model = {
    name: req.name,
    description: req.description,
    tags: req.tags,
    ...(req.governance ? { governance: req.governance } : {}),
    latestVersion: 0,
    productionVersions: 0,
    stagingVersions: 0,
    status: 'ACTIVE',
    createdAt: at,
    updatedAt: at,
    createdBy: actor.principal,
  };
  const audit = auditRecord(deps, actor, at, {
    action: RegistryEvent.MODEL_CREATED,
    modelName: model.name,
    after: model,
  });
  answerOnCommit(model);
  await deps.store.createModel(model, audit);
  return model;
}

export const getModel = requireModel;

export const listModels = (deps: RegistryDeps, query: ModelQuery): Promise<Page<Model>> =>
  deps.store.listModels(query);

export async function updateModel(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  change: UpdateModelRequest | ((before: Model) => UpdateModelRequest),
): Promise<Model> {
  const before = await requireActiveModel(deps, name);
  // A change computed from the model as read here is conditioned on that read, so two racing tag
  // edits never drop each other's tag: the later one fails with CONCURRENT_MODIFICATION.
  const req = typeof change === 'function' ? change(before) : change;
  const at = deps.now().toISOString();
  const after: Model = {
    ...before,
    ...(req.description !== undefined ? { description: req.description } : {}),
    ...(req.tags !== undefined ? { tags: req.tags } : {}),
    ...(req.governance !== undefined ? { governance: req.governance } : {}),
    updatedAt: at,
  };
  const audit = auditRecord(deps, actor, at, {
    action: RegistryEvent.MODEL_UPDATED,
    modelName: name,
    before: pickMutable(before),
    after: pickMutable(after),
  });
  answerOnCommit(after);
  await deps.store.updateModel(after, before.updatedAt, audit);
  return after;
}

/**
 * Renames a model that has never held a version. A model's name is its identity across the
 * platform: versions, aliases, approvals and audit history are keyed by it here, and so are its
 * deployments, endpoints, alarms, monitoring and retraining runs in the other capabilities and in
 * the stack's configuration. Moving all of that atomically is not possible (DynamoDB transactions
 * stop at 100 items, and endpoints and alarms are resources of the deployed stack), and a rename
 * half done would serve or audit a model under two names. So a model with any version, even a
 * deleted one, keeps its name (`MODEL_HAS_VERSIONS`); a new model takes its next versions.
 *
 * Without versions the model is one item: the rename removes it (conditioned on the model as read)
 * and creates it under the new name (conditioned on the name being free) in one transaction with
 * its `ModelRenamed` audit record, which the new name's history starts from. A client's retry of
 * a rename that committed finds that record and gets the same answer.
 */
export async function renameModel(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  newName: string,
): Promise<Model> {
  const before = await deps.store.getModel(name);
  if (!before) {
    const renamed = await renamedFrom(deps, newName, name);
    if (renamed) return renamed;
    throw new ModelNotFoundError(name);
  }
  if (before.status !== 'ACTIVE') throw new ModelDeletingError(name);
  if (await deps.store.getModel(newName))
    throw new ConflictError('MODEL_EXISTS', `model ${newName} already exists`);
  if (before.latestVersion > 0) {
    throw new UnprocessableError(
      'MODEL_HAS_VERSIONS',
      `model ${name} has held ${before.latestVersion} version(s) and cannot be renamed: its name keys its ` +
        `versions, deployments, monitoring and audit history; register new versions under ${newName} instead`,
    );
  }
  const at = deps.now().toISOString();
  const after: Model = { ...before, name: newName, updatedAt: at };
  const audit = auditRecord(deps, actor, at, {
    action: RegistryEvent.MODEL_RENAMED,
    modelName: newName,
    before,
    after,
  });
  answerOnCommit(after);
  await deps.store.renameModel(before, after, audit);
  return after;
}

/** The model `newName` if its newest audit record is its rename from `oldName`. */
async function renamedFrom(deps: RegistryDeps, newName: string, oldName: string): Promise<Model | undefined> {
  const model = await deps.store.getModel(newName);
  if (!model) return undefined;
  const [last] = (await deps.store.listAudit(newName, { limit: 1 })).items;
  const was = last?.before as { name?: unknown } | undefined;
  return last?.action === RegistryEvent.MODEL_RENAMED && was?.name === oldName ? model : undefined;
}

const pickMutable = (m: Model) => ({ description: m.description, tags: m.tags, governance: m.governance });

/**
 * Deletes a model with its versions and aliases; refused while a version is in Production.
 * Marking the model DELETING first makes the delete resumable: a retry after a fault picks up
 * where the purge stopped, and nothing can be added meanwhile. Its audit history is kept.
 */
export async function deleteModel(deps: RegistryDeps, actor: Actor, name: string): Promise<void> {
  const model = await requireModel(deps, name);
  if (model.status === 'ACTIVE') {
    if (model.productionVersions > 0) {
      throw new ConflictError(
        'MODEL_IN_PRODUCTION',
        `model ${name} has ${model.productionVersions} version(s) in Production; archive them first`,
      );
    }
    const at = deps.now().toISOString();
    const audit = auditRecord(deps, actor, at, {
      action: RegistryEvent.MODEL_DELETED,
      modelName: name,
      before: model,
    });
    await deps.store.markModelDeleting(name, at, audit);
  }
  // The delete's answer commits with the model item's removal, the purge's last write: a keyed
  // retry after a crash mid-purge finds no answer, and finishes the purge.
  answerOnCommit(undefined);
  await deps.store.purgeModel(name);
}
