/**
 * MLflow's model registry onto the platform's: a registered model is a platform model, a model
 * version a platform version. MLflow's `source` is read once and registered as the version's
 * artifact (content-addressed, hash-checked, ONNX-checked by the registry), its `run_id` becomes
 * the version's lineage, tags map both ways, aliases and stages are the registry's own (so a
 * Production transition passes the governance checks, and a refusal lists every failed one).
 */
import { createHash } from 'node:crypto';
import type * as z from 'zod';
import { RESERVED_TAG_PREFIX } from '../../../contracts/model-names';
import type { Model, ModelAlias, ModelVersion } from '../../../contracts/registry';
import type {
  CreateModelVersionRequest,
  CreateRegisteredModelRequest,
  MlflowModelVersion,
  MlflowRegisteredModel,
  RenameRegisteredModelRequest,
  TransitionModelVersionStageRequest,
} from '../../../contracts/tracking-registry';
import {
  BadRequestError,
  ModelNotFoundError,
  NotFoundError,
  VersionNotFoundError,
} from '../../shared/errors';
import { isUnderRoot, storageUri } from './experiments';
import { getLoggedModel } from './logged-models';
import type { Actor, ModelRegistry, TrackingDeps } from './ports';
import { getRunRecord } from './run-writes';

/** The version tag holding MLflow's `source` as the client gave it. */
export const SOURCE_TAG = 'mlflow.source';
/** The file an MLflow model directory holds for the ONNX flavor. */
const ONNX_FILE = 'model.onnx';

/** The registry, or 404 where the stack gave the function none. */
export function registryOf(deps: TrackingDeps): ModelRegistry {
  if (!deps.registry) throw new NotFoundError('ROUTE_NOT_FOUND', 'the model registry is not configured');
  return deps.registry;
}

const millis = (iso: string) => Date.parse(iso);
const pairs = (tags: Readonly<Record<string, string>>) =>
  Object.entries(tags).map(([key, value]) => ({ key, value }));

const STATUS = {
  READY: 'READY',
  PENDING_UPLOAD: 'PENDING_REGISTRATION',
  FAILED: 'FAILED_REGISTRATION',
} as const;

export function modelVersionView(v: ModelVersion): MlflowModelVersion {
  return {
    name: v.modelName,
    version: String(v.version),
    creation_timestamp: millis(v.createdAt),
    last_updated_timestamp: millis(v.updatedAt),
    current_stage: v.stage,
    description: v.description,
    source: v.tags[SOURCE_TAG] ?? `s3://${v.artifact.bucket}/${v.artifact.key}`,
    run_id: v.lineage.trainingRunId ?? '',
    status: STATUS[v.status],
    ...(v.statusReason ? { status_message: v.statusReason } : {}),
    tags: pairs(v.tags),
  };
}

export async function createRegisteredModel(
  deps: TrackingDeps,
  actor: Actor,
  req: z.output<typeof CreateRegisteredModelRequest>,
): Promise<MlflowRegisteredModel> {
  const model = await registryOf(deps).createModel(
    {
      name: req.name,
      description: req.description ?? '',
      tags: Object.fromEntries((req.tags ?? []).map((t) => [t.key, t.value])),
    },
    actor,
  );
  return registeredModelView(model, []);
}

export function registeredModelView(model: Model, aliases: readonly ModelAlias[]): MlflowRegisteredModel {
  return {
    name: model.name,
    creation_timestamp: millis(model.createdAt),
    last_updated_timestamp: millis(model.updatedAt),
    description: model.description,
    tags: pairs(model.tags),
    aliases: aliases.map((a) => ({ alias: a.alias, version: String(a.version) })),
  };
}

export async function getRegisteredModel(deps: TrackingDeps, name: string): Promise<MlflowRegisteredModel> {
  const registry = registryOf(deps);
  const model = await registry.getModel(name);
  if (!model) throw new ModelNotFoundError(name);
  return registeredModelView(model, await registry.listAliases(name));
}

/** MLflow's RenameRegisteredModel on the registry's rename: aliases need versions, so there are none. */
export async function renameRegisteredModel(
  deps: TrackingDeps,
  actor: Actor,
  req: z.output<typeof RenameRegisteredModelRequest>,
): Promise<MlflowRegisteredModel> {
  return registeredModelView(await registryOf(deps).renameModel(req.name, req.new_name, actor), []);
}

/**
 * The `s3://` URI of a source: a run's artifact (`runs:/<id>/<path>`), a logged model's files
 * (`models:/m-<id>`, as MLflow 3 registers them), or a URI under the tracking root
 * (`mlflow-artifacts:/...` or `s3://...`).
 */
async function sourceUri(deps: TrackingDeps, source: string, modelId?: string): Promise<string> {
  const run = /^runs:\/([^/]+)\/?(.*)$/.exec(source);
  const logged = /^models:\/(m-[^/]+)\/?(.*)$/.exec(source);
  const base = run
    ? (await getRunRecord(deps, run[1])).artifactUri
    : logged
      ? (await getLoggedModel(deps, logged[1])).artifactLocation
      : undefined;
  if (base !== undefined) {
    const rest = (run ?? logged)?.[2] ?? '';
    const uri = storageUri(deps, rest ? `${base}/${rest.replace(/\/+$/, '')}` : base);
    if (!isUnderRoot(deps, uri))
      throw new BadRequestError('INVALID_URI', `Invalid artifact path in '${source}'`);
    return uri;
  }
  if (modelId !== undefined) await getLoggedModel(deps, modelId);
  const uri = storageUri(deps, source.replace(/\/+$/, ''));
  if (isUnderRoot(deps, uri)) return uri;
  throw new BadRequestError(
    'INVALID_URI',
    `source must be runs:/<run_id>/<path>, models:/<model_id>, or a URI under mlflow-artifacts:/ or ${deps.artifacts.root}/, got '${source}'`,
  );
}

/**
 * Registers the ONNX model at `source` (the file, or `model.onnx` in the directory) as a new
 * version: the registry stores it content-addressed, checks its hash, and audits and publishes
 * the registration. The model must exist, as in MLflow.
 */
export async function createModelVersion(
  deps: TrackingDeps,
  actor: Actor,
  req: z.output<typeof CreateModelVersionRequest>,
): Promise<MlflowModelVersion> {
  const registry = registryOf(deps);
  if (!(await registry.getModel(req.name))) throw new ModelNotFoundError(req.name);
  const uri = await sourceUri(deps, req.source, req.model_id);
  const bytes = (await deps.artifacts.read(uri)) ?? (await deps.artifacts.read(`${uri}/${ONNX_FILE}`));
  if (!bytes) {
    throw new BadRequestError(
      'INVALID_URI',
      `no ONNX model at ${req.source} (a file, or a directory with ${ONNX_FILE})`,
    );
  }
  const tags = Object.fromEntries(
    (req.tags ?? []).filter((t) => !t.key.startsWith(RESERVED_TAG_PREFIX)).map((t) => [t.key, t.value]),
  );
  if (req.source.length <= 256) tags[SOURCE_TAG] = req.source;
  const version = await registry.registerStored(
    req.name,
    {
      description: req.description ?? '',
      metrics: {},
      params: {},
      tags,
      lineage: req.run_id ? { trainingRunId: req.run_id } : {},
      governance: {},
      artifact: {
        sha256: createHash('sha256').update(bytes).digest('hex'),
        sizeBytes: bytes.byteLength,
        fileName: ONNX_FILE,
        contentType: 'application/octet-stream',
      },
    },
    bytes,
    actor,
  );
  return modelVersionView(version);
}

export async function getModelVersion(
  deps: TrackingDeps,
  name: string,
  version: number,
): Promise<ModelVersion> {
  const registry = registryOf(deps);
  if (!(await registry.getModel(name))) throw new ModelNotFoundError(name);
  const found = await registry.getVersion(name, version);
  if (!found) throw new VersionNotFoundError(name, version);
  return found;
}

export async function getModelVersionByAlias(deps: TrackingDeps, name: string, alias: string) {
  const registry = registryOf(deps);
  if (!(await registry.getModel(name))) throw new ModelNotFoundError(name);
  const version = await registry.aliasVersion(name, alias);
  if (version === undefined) {
    throw new NotFoundError('ALIAS_NOT_FOUND', `Registered model alias ${alias} not found for model ${name}`);
  }
  return modelVersionView(await getModelVersion(deps, name, version));
}

export async function transitionStage(
  deps: TrackingDeps,
  actor: Actor,
  req: z.output<typeof TransitionModelVersionStageRequest>,
): Promise<MlflowModelVersion> {
  const version = await registryOf(deps).transitionStage(
    req.name,
    req.version,
    { stage: req.stage, archiveExistingVersions: req.archive_existing_versions },
    actor,
  );
  return modelVersionView(version);
}
