/**
 * The registry as other capabilities use it: reads, the checks a version must pass to reach
 * Production, promotion, tagging and registration of stored artifacts, all through the registry's
 * own domain rules, so a change made by a rollout, a monitor or a retraining run is validated,
 * audited and published exactly as through the registry API.
 *
 * Capabilities declare the narrow port they need in their own `domain/ports.ts`; these classes
 * satisfy those ports structurally.
 */
import type {
  ApprovalAction,
  ApprovalPolicy,
  ApprovalRequest,
  ApprovalRequestView,
} from '../../contracts/approvals';
import { CHAMPION_ALIAS, MAX_TAGS } from '../../contracts/model-names';
import type {
  CreateModelRequest,
  GovernancePolicy,
  Model,
  ModelAlias,
  ModelVersion,
  RegisterVersionRequest,
  TransitionStageRequest,
  UpdateModelRequest,
  UpdateVersionRequest,
} from '../../contracts/registry';
import { BadRequestError, ConflictError } from '../shared/errors';
import * as aliases from './domain/aliases';
import { openApproval, recordStartFailure } from './domain/approval-flow';
import { effectivePolicy } from './domain/governance';
import * as models from './domain/models';
import type { Actor, Page, PageRequest, RegistryDeps } from './domain/ports';
import * as versions from './domain/versions';

/** What a caller with read access to the registry table may do: reads, never writes. */
export class RegistryReader {
  constructor(protected readonly deps: Pick<RegistryDeps, 'store'>) {}

  /** The model, whatever its status; `undefined` when there is none. */
  getModel(modelName: string): Promise<Model | undefined> {
    return this.deps.store.getModel(modelName);
  }

  /** `undefined` when the model has no such version. */
  getVersion(modelName: string, version: number): Promise<ModelVersion | undefined> {
    return this.deps.store.getVersion(modelName, version);
  }

  /** The version number an alias points at; `undefined` when the alias is not set. */
  async aliasVersion(modelName: string, alias: string): Promise<number | undefined> {
    return (await this.deps.store.getAlias(modelName, alias))?.version;
  }

  /** Every model's name, page by page (an erasure maps capture endpoints back to models). */
  async modelNames(): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.deps.store.listModels({ limit: 100, ...(nextToken ? { nextToken } : {}) });
      names.push(...page.items.map((m) => m.name));
      nextToken = page.nextToken;
    } while (nextToken);
    return names;
  }

  /** Every version of every model whose `lineage` meets `test` (an erasure flags what it trained on). */
  async versionsWhere(test: (lineage: ModelVersion['lineage']) => boolean): Promise<ModelVersion[]> {
    const found: ModelVersion[] = [];
    for (const name of await this.modelNames()) {
      let nextToken: string | undefined;
      do {
        const page = await this.deps.store.listVersions(name, {
          limit: 100,
          ...(nextToken ? { nextToken } : {}),
        });
        found.push(...page.items.filter((v) => test(v.lineage ?? {})));
        nextToken = page.nextToken;
      } while (nextToken);
    }
    return found;
  }

  /** A page of models, by name. */
  listModels(page: PageRequest): Promise<Page<Model>> {
    return this.deps.store.listModels(page);
  }

  /** A page of the model's versions, by number. */
  listVersions(modelName: string, page: PageRequest): Promise<Page<ModelVersion>> {
    return this.deps.store.listVersions(modelName, page);
  }

  /** Every alias of the model and the version it points at. */
  listAliases(modelName: string): Promise<ModelAlias[]> {
    return this.deps.store.listAliases(modelName);
  }

  /** The version the `champion` alias points at, if any. */
  async champion(modelName: string): Promise<ModelVersion | undefined> {
    const version = await this.aliasVersion(modelName, CHAMPION_ALIAS);
    return version === undefined ? undefined : this.getVersion(modelName, version);
  }
}

/** The registry's public operations, over its store, artifact store and configured policy. */
export class RegistryService extends RegistryReader {
  constructor(protected readonly deps: RegistryDeps) {
    super(deps);
  }

  /** The platform's governance policy as configured (a model's own overrides apply on top). */
  get policy(): GovernancePolicy {
    return this.deps.policy;
  }

  /**
   * Every check a version must pass to move to Production, without moving it: the model exists
   * and is active, the version exists, is READY and passes governance, and the model asks for no
   * sign-off or `approvalId` is the version's APPROVED request (a move the approval workflow has
   * not granted would be refused at the end). Throws the
   * registry's own errors (`MODEL_NOT_FOUND`, `MODEL_DELETING`, `VERSION_NOT_FOUND`,
   * `VERSION_NOT_READY`, `GOVERNANCE_CHECKS_FAILED`, `APPROVAL_REQUIRED`); returns the version.
   */
  async requirePromotable(modelName: string, version: number, approvalId?: string): Promise<ModelVersion> {
    return versions.requirePromotable(
      this.deps,
      modelName,
      version,
      await this.approved(modelName, approvalId),
    );
  }

  /**
   * Where the model's policy asks for sign-off, passes every automatic check (as
   * `requirePromotable`) and opens an approval request for `action` as `actor`, audited and
   * published as ApprovalRequested; `undefined` when the model asks for none. APPROVAL_PENDING
   * while another request of the version is open.
   */
  async requestApproval(
    modelName: string,
    version: number,
    action: ApprovalAction,
    actor: Actor,
  ): Promise<ApprovalRequestView | undefined> {
    if (!(await this.requiresApproval(modelName))) return undefined;
    return openApproval(this.deps, actor, modelName, version, action);
  }

  /** Whether a move of the model to Production waits for sign-off (its policy or the platform's). */
  async requiresApproval(modelName: string): Promise<boolean> {
    return (await this.approvalPolicy(modelName)) !== undefined;
  }

  /** The sign-off a move of the model to Production waits for; `undefined` when none. */
  async approvalPolicy(modelName: string): Promise<ApprovalPolicy | undefined> {
    const model = await this.getModel(modelName);
    return model ? effectivePolicy(this.deps.policy, model).approval : undefined;
  }

  /**
   * The approval request as stored, a waiting run's task token included (for the relay that
   * answers it; never for a reply); `undefined` when the model has none of that id.
   */
  getApproval(modelName: string, id: string): Promise<ApprovalRequest | undefined> {
    return this.deps.approvals.getRequest(modelName, id);
  }

  /**
   * Records that the rollout the APPROVED request `approvalId` stood for was refused when it tried
   * to start: the request becomes START_FAILED with the refusal, published as ApprovalStartFailed.
   */
  recordStartFailure(
    modelName: string,
    approvalId: string,
    refusal: { readonly code: string; readonly message: string },
    actor: Actor,
  ): Promise<ApprovalRequestView> {
    return recordStartFailure(this.deps, actor, modelName, approvalId, refusal);
  }

  private async approved(modelName: string, approvalId: string | undefined) {
    return approvalId ? this.deps.approvals.getRequest(modelName, approvalId) : undefined;
  }

  /**
   * Moves the version to Production (archiving the one there) and points `champion` at it; a
   * model that asks for sign-off needs `approvalId`, the version's APPROVED request. Idempotent: a retry finds the stage moved and the alias set, and changes nothing.
   */
  async promote(modelName: string, version: number, actor: Actor, approvalId?: string): Promise<void> {
    const current = await this.getVersion(modelName, version);
    // A retried task finds the stage already moved: that is success, not a conflict.
    if (current?.stage !== 'Production') {
      try {
        const approved = await this.approved(modelName, approvalId);
        await versions.transitionStage(
          this.deps,
          actor,
          modelName,
          version,
          { stage: 'Production', archiveExistingVersions: true },
          approved,
        );
      } catch (err) {
        if (!(err instanceof ConflictError && err.code === 'STAGE_UNCHANGED')) throw err;
      }
    }
    if ((await this.aliasVersion(modelName, CHAMPION_ALIAS)) !== version) {
      await aliases.setAlias(this.deps, actor, modelName, CHAMPION_ALIAS, version);
    }
  }

  /**
   * Adds tags to a version: the given keys are set, every other tag is kept (audited and
   * published as ModelVersionUpdated). To replace all tags, use the registry API's update.
   */
  async tagVersion(
    modelName: string,
    version: number,
    tags: Readonly<Record<string, string>>,
    actor: Actor,
  ): Promise<void> {
    await versions.tagVersion(this.deps, actor, modelName, version, tags);
  }

  /**
   * Registers a version whose artifact bytes the caller holds: stores them at the
   * content-addressed key, registers and verifies the version; returns it READY.
   */
  registerStored(
    modelName: string,
    req: RegisterVersionRequest,
    artifact: Uint8Array,
    actor: Actor,
  ): Promise<ModelVersion> {
    return versions.registerStoredVersion(this.deps, actor, modelName, req, artifact);
  }

  /** Creates a model (audited, published as ModelCreated); MODEL_EXISTS when the name is taken. */
  createModel(req: CreateModelRequest, actor: Actor): Promise<Model> {
    return models.createModel(this.deps, actor, req);
  }

  /** Replaces a model's description, tags or governance (audited, published as ModelUpdated). */
  updateModel(modelName: string, req: UpdateModelRequest, actor: Actor): Promise<Model> {
    return models.updateModel(this.deps, actor, modelName, req);
  }

  /** Sets (a string) or removes (`null`) a model's tags, keeping the others. */
  patchModelTags(
    modelName: string,
    patch: Readonly<Record<string, string | null>>,
    actor: Actor,
  ): Promise<Model> {
    return models.updateModel(this.deps, actor, modelName, (before) => {
      const tags: Record<string, string> = { ...before.tags };
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete tags[key];
        else tags[key] = value;
      }
      if (Object.keys(tags).length > MAX_TAGS) {
        throw new BadRequestError(
          'INVALID_REQUEST',
          `model ${modelName} would hold more than ${MAX_TAGS} tags`,
        );
      }
      return { tags };
    });
  }

  /** Renames a model that never held a version (audited, published as ModelRenamed); see `models.renameModel`. */
  renameModel(modelName: string, newName: string, actor: Actor): Promise<Model> {
    return models.renameModel(this.deps, actor, modelName, newName);
  }

  /** Deletes a model with its versions and aliases; MODEL_IN_PRODUCTION while one serves. */
  deleteModel(modelName: string, actor: Actor): Promise<void> {
    return models.deleteModel(this.deps, actor, modelName);
  }

  /** Updates a version's description and tags (a merge patch: `null` removes a tag). */
  updateVersion(
    modelName: string,
    version: number,
    req: UpdateVersionRequest,
    actor: Actor,
  ): Promise<ModelVersion> {
    return versions.updateVersion(this.deps, actor, modelName, version, req);
  }

  /** Deletes a version in no stage and without an alias; VERSION_IN_USE otherwise. */
  deleteVersion(modelName: string, version: number, actor: Actor): Promise<void> {
    return versions.deleteVersion(this.deps, actor, modelName, version);
  }

  /**
   * Points an alias at a READY version of an active model, retried when a move races. A prompt's
   * `production` alias needs `promptReleaseChecked` (the LLM release gate passed), else 422.
   */
  async setAlias(
    modelName: string,
    alias: string,
    version: number,
    actor: Actor,
    options: aliases.AliasOptions = {},
  ): Promise<void> {
    await aliases.setAlias(this.deps, actor, modelName, alias, version, options);
  }

  /** Removes an alias; ALIAS_NOT_FOUND when it is not set. */
  deleteAlias(modelName: string, alias: string, actor: Actor): Promise<void> {
    return aliases.deleteAlias(this.deps, actor, modelName, alias);
  }

  /**
   * Moves a version to a stage; Production first passes every governance check of the model's
   * policy, and a refusal (`GOVERNANCE_CHECKS_FAILED`) lists each failed check and changes nothing.
   */
  transitionStage(
    modelName: string,
    version: number,
    req: TransitionStageRequest,
    actor: Actor,
  ): Promise<ModelVersion> {
    return versions.transitionStage(this.deps, actor, modelName, version, req);
  }
}
