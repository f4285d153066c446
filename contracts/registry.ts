/**
 * Request and resource schemas of the model registry. The handlers parse with these, the CDK API
 * construct and local server read the routes that name them, and the README documents them.
 * Names follow MLflow's model registry (registered model, model version, alias, stage).
 * @see https://mlflow.org/docs/latest/model-registry.html
 */
import * as z from 'zod';
import { storableNumber } from './dynamodb-number';
import { GovernanceEvidence } from './governance-evidence';
import { type GovernancePolicy, GovernancePolicyOverride } from './governance-policy';
import { lazySchema } from './lazy-schema';
import { MAX_TAGS, ModelName, RESERVED_TAG_PREFIX } from './model-names';

export { CheckResult, GovernanceEvidence } from './governance-evidence';
export { GovernancePolicy, GovernancePolicyOverride } from './governance-policy';
export {
  AliasName,
  CHAMPION_ALIAS,
  MAX_TAGS,
  ModelName,
  RESERVED_TAG_PREFIX,
  VersionNumber,
} from './model-names';
export { PageQuery } from './pages';

const TagMap = lazySchema(() =>
  z
    .record(z.string().min(1).max(128), z.string().max(256))
    .refine((tags) => Object.keys(tags).length <= 50, 'at most 50 tags'),
);
const MetricMap = lazySchema(() =>
  z
    .record(z.string().min(1).max(128), storableNumber())
    .refine((m) => Object.keys(m).length <= 100, 'at most 100 metrics'),
);
const ParamMap = lazySchema(() =>
  z
    .record(z.string().min(1).max(128), z.string().max(1024))
    .refine((m) => Object.keys(m).length <= 100, 'at most 100 params'),
);
const Sha256Hex = lazySchema(() => z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'));

export const Lineage = lazySchema(() =>
  z.strictObject({
    trainingRunId: z.string().max(256).optional(),
    datasetUri: z.string().max(1024).optional(),
    datasetSha256: Sha256Hex.optional(),
    codeRevision: z.string().max(256).optional(),
    parentVersion: z.number().int().min(1).optional(),
  }),
);

export const Stage = lazySchema(() => z.enum(['None', 'Staging', 'Production', 'Archived']));
export type Stage = z.infer<typeof Stage>;
export const VersionStatus = lazySchema(() => z.enum(['PENDING_UPLOAD', 'READY', 'FAILED']));
export type VersionStatus = z.infer<typeof VersionStatus>;

export const CreateModelRequest = lazySchema(() =>
  z.strictObject({
    name: ModelName,
    description: z.string().max(4096).default(''),
    tags: TagMap.default({}),
    governance: GovernancePolicyOverride.optional(),
  }),
);
export type CreateModelRequest = z.infer<typeof CreateModelRequest>;

export const UpdateModelRequest = lazySchema(() =>
  z
    .strictObject({
      description: z.string().max(4096).optional(),
      tags: TagMap.optional(),
      governance: GovernancePolicyOverride.optional(),
    })
    .refine((r) => Object.keys(r).length > 0, 'give at least one of description, tags, governance'),
);
export type UpdateModelRequest = z.infer<typeof UpdateModelRequest>;

export const ListModelsQuery = lazySchema(() =>
  z
    .strictObject({
      prefix: z.string().max(128).optional(),
      /**
       * A tag key, whole: keys may hold colons (`mlops:kind`), so a value is never split off it. A
       * model matches when it has the tag, with `tagValue` when that is given.
       */
      tag: z.string().min(1).max(128).optional(),
      tagValue: z.string().max(256).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
      nextToken: z.string().max(2048).optional(),
    })
    .refine((q) => q.tagValue === undefined || q.tag !== undefined, {
      message: 'tagValue needs tag, the key it is the value of',
      path: ['tagValue'],
    }),
);
export type ListModelsQuery = z.infer<typeof ListModelsQuery>;

export const RegisterVersionRequest = lazySchema(() =>
  z.strictObject({
    description: z.string().max(4096).default(''),
    metrics: MetricMap.default({}),
    params: ParamMap.default({}),
    tags: TagMap.default({}),
    lineage: Lineage.default({}),
    governance: GovernanceEvidence.default({}),
    artifact: z.strictObject({
      sha256: Sha256Hex,
      sizeBytes: z
        .number()
        .int()
        .min(1)
        .max(5 * 1024 ** 4),
      /** File name inside the content-addressed prefix, e.g. `model.onnx`. */
      fileName: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,128}$/)
        .default('model.onnx'),
      contentType: z.string().max(128).default('application/octet-stream'),
    }),
  }),
);
export type RegisterVersionRequest = z.infer<typeof RegisterVersionRequest>;

/**
 * Changes to a version's tags as a JSON Merge Patch (RFC 7396): a key with a string sets that
 * tag, a key with `null` removes it, keys not given are kept. The platform's own `mlops:` tags
 * are not the client's to change here (they record what monitoring and retraining set).
 * @see https://www.rfc-editor.org/rfc/rfc7396
 */
export const TagMergePatch = lazySchema(() =>
  z.record(z.string().min(1).max(128), z.string().max(256).nullable()).superRefine((tags, ctx) => {
    const keys = Object.keys(tags);
    if (keys.length > MAX_TAGS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_TAGS} tags` });
    for (const key of keys.filter((k) => k.startsWith(RESERVED_TAG_PREFIX))) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `tags under ${RESERVED_TAG_PREFIX} are set by the platform`,
      });
    }
  }),
);
export type TagMergePatch = z.infer<typeof TagMergePatch>;

export const UpdateVersionRequest = lazySchema(() =>
  z
    .strictObject({
      description: z.string().max(4096).optional(),
      /** Merged into the version's tags (JSON Merge Patch: `null` removes a tag). */
      tags: TagMergePatch.optional(),
      governance: GovernanceEvidence.optional(),
    })
    .refine((r) => Object.keys(r).length > 0, 'give at least one of description, tags, governance'),
);
export type UpdateVersionRequest = z.infer<typeof UpdateVersionRequest>;

export const TransitionStageRequest = lazySchema(() =>
  z.strictObject({
    stage: Stage,
    /** MLflow's archive_existing_versions: archive the versions now in the target stage. */
    archiveExistingVersions: z.boolean().default(false),
  }),
);
export type TransitionStageRequest = z.infer<typeof TransitionStageRequest>;

export const SetAliasRequest = lazySchema(() => z.strictObject({ version: z.number().int().min(1) }));
export type SetAliasRequest = z.infer<typeof SetAliasRequest>;

/** A registered model as the API returns it. */
export interface Model {
  readonly name: string;
  readonly description: string;
  readonly tags: Record<string, string>;
  readonly governance?: Partial<GovernancePolicy>;
  readonly latestVersion: number;
  readonly productionVersions: number;
  /** Versions in Staging; absent on models registered before the platform counted them. */
  readonly stagingVersions?: number;
  readonly status: 'ACTIVE' | 'DELETING';
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
}

/** A model version as the API returns it. */
export interface ModelVersion {
  readonly modelName: string;
  readonly version: number;
  readonly description: string;
  readonly status: VersionStatus;
  readonly statusReason?: string;
  readonly stage: Stage;
  readonly metrics: Record<string, number>;
  readonly params: Record<string, string>;
  readonly tags: Record<string, string>;
  readonly lineage: z.infer<typeof Lineage>;
  readonly governance: GovernanceEvidence;
  readonly artifact: {
    readonly bucket: string;
    readonly key: string;
    readonly sha256: string;
    readonly sizeBytes: number;
    readonly contentType: string;
  };
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
}

export interface ModelAlias {
  readonly modelName: string;
  readonly alias: string;
  readonly version: number;
  readonly updatedAt: string;
}
