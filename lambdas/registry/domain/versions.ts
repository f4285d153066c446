/**
 * Use cases on model versions: register (with a presigned, content-addressed upload), verify the
 * uploaded artifact, read, update evidence, and change stage under governance.
 */
import type { ApprovalRequest } from '../../../contracts/approvals';
import { type AuditRecord, RegistryEvent } from '../../../contracts/events';
import { MAX_TAGS } from '../../../contracts/model-names';
import type {
  Model,
  ModelVersion,
  RegisterVersionRequest,
  TagMergePatch,
  TransitionStageRequest,
  UpdateVersionRequest,
} from '../../../contracts/registry';
import { answerOnCommit } from '../../shared/effect-scope';
import {
  BadRequestError,
  ConflictError,
  type ErrorCodeOf,
  UnprocessableError,
  VersionNotFoundError,
} from '../../shared/errors';
import { artifactKey } from './artifacts';
import { auditRecord } from './audit';
import { effectivePolicy, evaluateGovernance, failedChecks } from './governance';
import { requireActiveModel, requireModel } from './models';
import type { Actor, Page, PageRequest, PresignedRequest, RegistryDeps, StageTransition } from './ports';
import { planStageTransition } from './stages';

export async function requireVersion(
  deps: RegistryDeps,
  name: string,
  version: number,
): Promise<ModelVersion> {
  const found = await deps.store.getVersion(name, version);
  if (!found) throw new VersionNotFoundError(name, version);
  return found;
}

/**
 * Registers the next version (numbers 1, 2, 3... taken in the version's own transaction, so
 * without gaps) in PENDING_UPLOAD and returns a presigned upload for its content-addressed key.
 * The version becomes READY only once `verifyArtifact` has hashed the stored object. The upload is
 * signed before the write, so the answer is whole when the write commits and a keyed retry gets
 * the same one.
 */
export async function registerVersion(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  req: RegisterVersionRequest,
): Promise<{ version: ModelVersion; upload: PresignedRequest }> {
  await requireActiveModel(deps, name);
  if (req.lineage.parentVersion !== undefined) await requireVersion(deps, name, req.lineage.parentVersion);
  const at = deps.now().toISOString();
  const key = artifactKey(req.artifact.sha256, req.artifact.fileName);
  const upload = await deps.artifacts.presignUpload({
    key,
    sha256: req.artifact.sha256,
    sizeBytes: req.artifact.sizeBytes,
    contentType: req.artifact.contentType,
  });
  const version = await deps.store.putNextVersion(name, (number) => {
    const version: ModelVersion = {
      modelName: name,
      version: number,
      description: req.description,
      status: 'PENDING_UPLOAD',
      stage: 'None',
      metrics: req.metrics,
      params: req.params,
      tags: req.tags,
      lineage: req.lineage,
      governance: req.governance,
      artifact: {
        bucket: deps.artifacts.bucket,
        key,
        sha256: req.artifact.sha256,
        sizeBytes: req.artifact.sizeBytes,
        contentType: req.artifact.contentType,
      },
      createdAt: at,
      updatedAt: at,
      createdBy: actor.principal,
    };
    answerOnCommit({ version, upload });
    const audit = auditRecord(deps, actor, at, {
      action: RegistryEvent.MODEL_VERSION_REGISTERED,
      modelName: name,
      version: number,
      after: version,
    });
    return { version, audit };
  });
  return { version, upload };
}

export const getVersion = requireVersion;

/** The version itself when it is READY; otherwise `VERSION_NOT_READY` naming its status. */
export function requireReady(version: ModelVersion): ModelVersion {
  if (version.status !== 'READY') {
    throw new UnprocessableError(
      'VERSION_NOT_READY',
      `${version.modelName} version ${version.version} is ${version.status}`,
    );
  }
  return version;
}

/**
 * Refuses a version that fails a governance check of the model's policy (the platform's, with the
 * model's overrides); the refusal lists every failed check.
 */
export function requireGovernance(
  deps: Pick<RegistryDeps, 'policy'>,
  model: Pick<Model, 'governance' | 'tags'>,
  version: ModelVersion,
): void {
  const checks = evaluateGovernance(effectivePolicy(deps.policy, model), version);
  const failed = failedChecks(checks);
  if (failed.length > 0) {
    throw new UnprocessableError(
      'GOVERNANCE_CHECKS_FAILED',
      `${version.modelName} version ${version.version} failed ${failed.length} governance check(s): ${failed.map((c) => c.check).join(', ')}`,
      { details: { failed, checks } },
    );
  }
}

/**
 * Every check a version must pass to move to Production, without moving it: the model is active,
 * the version exists, is READY and passes governance, and, where the model asks for sign-off,
 * `approved` is the version's APPROVED request. A rollout asks before its canary takes traffic, so
 * a version the registry would refuse to promote at the end never starts.
 */
export async function requirePromotable(
  deps: RegistryDeps,
  name: string,
  number: number,
  approved?: ApprovalRequest,
): Promise<ModelVersion> {
  const model = await requireActiveModel(deps, name);
  const version = requireReady(await requireVersion(deps, name, number));
  requireGovernance(deps, model, version);
  // A move the registry would refuse at the end for want of sign-off must not start.
  requireApprovalGrant(deps, model, number, approved);
  return version;
}

export async function listVersions(
  deps: RegistryDeps,
  name: string,
  page: PageRequest,
): Promise<Page<ModelVersion>> {
  await requireModel(deps, name);
  return deps.store.listVersions(name, page);
}

/**
 * Updates a version's description, governance evidence (merged) and tags (a JSON Merge Patch: a
 * `null` removes the tag, keys not given are kept), so a client's edit never drops the tags the
 * platform set, such as `mlops:referenceProfile`.
 */
export function updateVersion(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  number: number,
  req: UpdateVersionRequest,
): Promise<ModelVersion> {
  return applyVersionUpdate(deps, actor, name, number, (before) => ({
    ...(req.description !== undefined ? { description: req.description } : {}),
    ...(req.governance !== undefined ? { governance: req.governance } : {}),
    ...(req.tags !== undefined ? { tags: mergeTags(before, req.tags) } : {}),
  }));
}

/** RFC 7396 over a flat map: strings set, `null` removes; at most `MAX_TAGS` may remain. */
function mergeTags(before: ModelVersion, patch: TagMergePatch): Record<string, string> {
  const tags: Record<string, string> = { ...before.tags };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete tags[key];
    else tags[key] = value;
  }
  if (Object.keys(tags).length > MAX_TAGS) {
    throw new BadRequestError(
      'INVALID_REQUEST',
      `body.tags: ${before.modelName} version ${before.version} would hold ${Object.keys(tags).length} tags; at most ${MAX_TAGS}`,
    );
  }
  return tags;
}

/** A version's fields an update replaces: `tags` whole (already merged), `governance` merged. */
interface VersionChange {
  readonly description?: string;
  readonly tags?: Record<string, string>;
  readonly governance?: UpdateVersionRequest['governance'];
}

/**
 * Adds `tags` to a version's tags (a tag of the same key is replaced, the others are kept). The
 * merge is made on the version as read, and the write is conditioned on that read, so a
 * concurrent edit fails with a `ConflictError` instead of losing tags.
 */
export function tagVersion(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  number: number,
  tags: Readonly<Record<string, string>>,
): Promise<ModelVersion> {
  return applyVersionUpdate(deps, actor, name, number, (before) => ({ tags: { ...before.tags, ...tags } }));
}

async function applyVersionUpdate(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  number: number,
  change: (before: ModelVersion) => VersionChange,
): Promise<ModelVersion> {
  await requireActiveModel(deps, name);
  const before = await requireVersion(deps, name, number);
  const req = change(before);
  const at = deps.now().toISOString();
  const after: ModelVersion = {
    ...before,
    ...(req.description !== undefined ? { description: req.description } : {}),
    ...(req.tags !== undefined ? { tags: req.tags } : {}),
    ...(req.governance !== undefined ? { governance: { ...before.governance, ...req.governance } } : {}),
    updatedAt: at,
  };
  const pick = (v: ModelVersion) => ({ description: v.description, tags: v.tags, governance: v.governance });
  const audit = auditRecord(deps, actor, at, {
    action: RegistryEvent.MODEL_VERSION_UPDATED,
    modelName: name,
    version: number,
    before: pick(before),
    after: pick(after),
  });
  answerOnCommit(after);
  await deps.store.updateVersion(after, before.updatedAt, audit);
  return after;
}

/**
 * Deletes a version that serves nothing: in `None` or `Archived` and named by no alias (the
 * champion or any other), so a rollout, an endpoint or `models:/name@alias` never loses the
 * version it resolves to. Its number is never reused; its audit history is kept.
 */
export async function deleteVersion(deps: RegistryDeps, actor: Actor, name: string, number: number) {
  await requireActiveModel(deps, name);
  const before = await requireVersion(deps, name, number);
  if (before.stage === 'Production' || before.stage === 'Staging') {
    throw new ConflictError(
      'VERSION_IN_USE',
      `${name} version ${number} is in ${before.stage}; archive it before deleting it`,
    );
  }
  const aliases = await deps.store.listAliases(name);
  const held = aliases.filter((a) => a.version === number).map((a) => a.alias);
  if (held.length > 0) {
    throw new ConflictError(
      'VERSION_IN_USE',
      `${name} version ${number} is aliased as ${held.join(', ')}; move or delete the alias first`,
    );
  }
  const at = deps.now().toISOString();
  const audit = auditRecord(deps, actor, at, {
    action: RegistryEvent.MODEL_VERSION_DELETED,
    modelName: name,
    version: number,
    before,
  });
  answerOnCommit(undefined);
  await deps.store.deleteVersion(before, aliases, audit);
}

/**
 * Registers a version whose artifact bytes the caller holds (the retraining pipeline): stores
 * them at the content-addressed key, registers the version and verifies it, so it is READY (or
 * refused) under the same rules, audit records and events as an upload through the API.
 */
export async function registerStoredVersion(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  req: RegisterVersionRequest,
  body: Uint8Array,
): Promise<ModelVersion> {
  await deps.artifacts.putObject({
    key: artifactKey(req.artifact.sha256, req.artifact.fileName),
    body,
    sha256: req.artifact.sha256,
    contentType: req.artifact.contentType,
  });
  const { version } = await registerVersion(deps, actor, name, req);
  return verifyArtifact(deps, actor, name, version.version);
}

/**
 * Hashes the stored artifact and settles the version: READY when the sha256 and size match what
 * was declared, FAILED (for good) when they differ or nothing was uploaded. Re-verifying a READY
 * version returns it unchanged.
 */
export async function verifyArtifact(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  number: number,
): Promise<ModelVersion> {
  await requireActiveModel(deps, name);
  const before = await requireVersion(deps, name, number);
  if (before.status === 'READY') return before;
  if (before.status === 'FAILED') {
    throw new UnprocessableError(
      'VERSION_FAILED',
      `${name} version ${number} failed: ${before.statusReason}`,
    );
  }
  const stored = await deps.artifacts.hashObject(before.artifact.key);
  const expected = before.artifact;
  let failure: { code: ErrorCodeOf<422>; reason: string } | undefined;
  if (!stored) {
    failure = { code: 'ARTIFACT_MISSING', reason: `no artifact at s3://${expected.bucket}/${expected.key}` };
  } else if (stored.sha256 !== expected.sha256) {
    failure = {
      code: 'ARTIFACT_HASH_MISMATCH',
      reason: `artifact sha256 is ${stored.sha256}; ${expected.sha256} was declared`,
    };
  } else if (stored.sizeBytes !== expected.sizeBytes) {
    failure = {
      code: 'ARTIFACT_SIZE_MISMATCH',
      reason: `artifact is ${stored.sizeBytes} bytes; ${expected.sizeBytes} were declared`,
    };
  }
  const at = deps.now().toISOString();
  const after: ModelVersion = {
    ...before,
    status: failure ? 'FAILED' : 'READY',
    ...(failure ? { statusReason: failure.reason } : {}),
    updatedAt: at,
  };
  const audit = auditRecord(deps, actor, at, {
    action: failure ? RegistryEvent.MODEL_VERSION_FAILED : RegistryEvent.MODEL_VERSION_READY,
    modelName: name,
    version: number,
    before: { status: before.status },
    after: { status: after.status, ...(failure ? { statusReason: failure.reason } : {}) },
  });
  await deps.store.updateVersion(after, before.updatedAt, audit);
  if (failure) throw new UnprocessableError(failure.code, failure.reason, { details: { status: 'FAILED' } });
  return after;
}

/** A presigned download of a READY version's artifact. */
export async function artifactDownload(deps: RegistryDeps, name: string, number: number) {
  const version = requireReady(await requireVersion(deps, name, number));
  return { artifact: version.artifact, download: await deps.artifacts.presignDownload(version.artifact.key) };
}

/**
 * Refuses a move to Production of a model whose policy asks for sign-off, unless `approved` is
 * that version's APPROVED request: the one way into Production past an approval policy.
 */
export function requireApprovalGrant(
  deps: Pick<RegistryDeps, 'policy'>,
  model: Pick<Model, 'governance' | 'name'>,
  number: number,
  approved: ApprovalRequest | undefined,
): void {
  if (!effectivePolicy(deps.policy, model).approval) return;
  if (approved?.status === 'APPROVED' && approved.modelName === model.name && approved.version === number)
    return;
  throw new UnprocessableError(
    'APPROVAL_REQUIRED',
    `${model.name} version ${number} needs an approved request to reach Production; ask through POST /models/${model.name}/versions/${number}/stage`,
  );
}

/** A stage change worked out and checked, not yet written. */
export interface PlannedTransition {
  readonly plan: StageTransition;
  readonly audits: AuditRecord[];
  readonly moved: ModelVersion;
}

/**
 * Works out a move to a stage under every rule: Production first passes every governance check of
 * the model's policy and, where the policy asks for sign-off, needs the version's `approved`
 * request. A refusal lists each failed check and changes nothing.
 */
export async function planTransition(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  number: number,
  req: TransitionStageRequest,
  options: { readonly approved?: ApprovalRequest; readonly maxArchived?: number } = {},
): Promise<PlannedTransition> {
  const model = await requireActiveModel(deps, name);
  const version = await requireVersion(deps, name, number);
  if (req.stage === 'Production') {
    requireGovernance(deps, model, version);
    requireApprovalGrant(deps, model, number, options.approved);
  }
  if (model.stagingVersions === undefined) {
    // A model registered before the count: count it once. No transition touching Staging commits
    // until the count exists (they are conditioned on it), so the versions read are still there.
    const staged = await deps.store.listVersionsInStage(name, 'Staging');
    await deps.store.backfillStagingVersions(name, staged.length);
  }
  const inTargetStage = req.archiveExistingVersions
    ? await deps.store.listVersionsInStage(name, req.stage)
    : [];
  const at = deps.now().toISOString();
  const plan = planStageTransition({
    version,
    to: req.stage,
    archiveExistingVersions: req.archiveExistingVersions,
    inTargetStage,
    at,
    ...(options.maxArchived === undefined ? {} : { maxArchived: options.maxArchived }),
  });
  const stageAudit = (v: number, from: string, to: string) =>
    auditRecord(deps, actor, at, {
      action: RegistryEvent.MODEL_VERSION_STAGE_CHANGED,
      modelName: name,
      version: v,
      before: { stage: from },
      after: { stage: to },
    });
  const audits = [
    stageAudit(number, plan.from, plan.to),
    ...plan.archive.map((a) => stageAudit(a.version, a.from, 'Archived')),
  ];
  return { plan, audits, moved: { ...version, stage: req.stage, updatedAt: at } };
}

/**
 * Moves a version to a stage (see `planTransition` for the rules); `approved` is the version's
 * APPROVED request where the model's policy asks for sign-off.
 */
export async function transitionStage(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  number: number,
  req: TransitionStageRequest,
  approved?: ApprovalRequest,
): Promise<ModelVersion> {
  const { plan, audits, moved } = await planTransition(deps, actor, name, number, req, {
    ...(approved ? { approved } : {}),
  });
  answerOnCommit(moved);
  await deps.store.applyStageTransition(plan, audits);
  return moved;
}
