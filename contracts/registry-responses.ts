/**
 * The registry's replies as schemas, for the routes' `response` and so the API document. Each
 * schema is checked at compile time against the interface the domain returns (`Model`,
 * `ModelVersion`, `ModelAlias`), so the document cannot drift from what the handlers send.
 */
import * as z from 'zod';
import {
  type AuditRecord,
  BatchPredictionEvent,
  DeploymentEvent,
  ExperimentEvent,
  MonitoringEvent,
  PipelineEvent,
  RegistryEvent,
} from './events';
import { GovernanceEvidence } from './governance-evidence';
import { lazySchema } from './lazy-schema';
import {
  GovernancePolicyOverride,
  Lineage,
  type Model,
  type ModelAlias,
  type ModelVersion,
  Stage,
  VersionStatus,
} from './registry';
import { type Same, sameShape } from './same-shape';

export { type Page, page } from './pages';

const StringMap = lazySchema(() => z.record(z.string(), z.string()));

export const ModelResponse = lazySchema(() =>
  z.object({
    name: z.string(),
    description: z.string(),
    tags: StringMap,
    governance: GovernancePolicyOverride.optional(),
    latestVersion: z.number().int(),
    productionVersions: z.number().int(),
    stagingVersions: z.number().int().optional(),
    status: z.enum(['ACTIVE', 'DELETING']),
    createdAt: z.string(),
    updatedAt: z.string(),
    createdBy: z.string(),
  }),
);

export const ModelVersionResponse = lazySchema(() =>
  z.object({
    modelName: z.string(),
    version: z.number().int(),
    description: z.string(),
    status: VersionStatus,
    statusReason: z.string().optional(),
    stage: Stage,
    metrics: z.record(z.string(), z.number()),
    params: StringMap,
    tags: StringMap,
    lineage: Lineage,
    governance: GovernanceEvidence,
    artifact: z.object({
      bucket: z.string(),
      key: z.string(),
      sha256: z.string(),
      sizeBytes: z.number().int(),
      contentType: z.string(),
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
    createdBy: z.string(),
  }),
);

export const ModelAliasResponse = lazySchema(() =>
  z.object({
    modelName: z.string(),
    alias: z.string(),
    version: z.number().int(),
    updatedAt: z.string(),
  }),
);

/** A request the client performs itself (upload or download of the artifact). */
const PresignedRequest = lazySchema(() =>
  z.object({
    method: z.enum(['PUT', 'GET']),
    url: z.string(),
    headers: StringMap,
    expiresAt: z.string(),
  }),
);

export const RegisterVersionResponse = lazySchema(() =>
  z.object({ version: ModelVersionResponse, upload: PresignedRequest }),
);
export const ArtifactDownloadResponse = lazySchema(() =>
  z.object({
    artifact: ModelVersionResponse.shape.artifact,
    download: PresignedRequest,
  }),
);
export const AliasWithVersionResponse = lazySchema(() =>
  ModelAliasResponse.extend({ modelVersion: ModelVersionResponse }),
);

/** One state change of a model: who did what, with the state before and after. */
export const AuditRecordResponse = lazySchema(() =>
  z.object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    action: z.enum([
      ...Object.values(RegistryEvent),
      ...Object.values(DeploymentEvent),
      ...Object.values(PipelineEvent),
      ...Object.values(ExperimentEvent),
      ...Object.values(BatchPredictionEvent),
      ...Object.values(MonitoringEvent),
    ]),
    modelName: z.string(),
    version: z.number().int().optional(),
    alias: z.string().optional(),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
    /** The request id that made the change, for tracing. */
    requestId: z.string().optional(),
  }),
);

// Compile-time checks: each schema's output and the domain's interface are the same shape.
sameShape<Same<z.output<typeof ModelResponse>, Model>>(true);
sameShape<Same<z.output<typeof ModelVersionResponse>, ModelVersion>>(true);
sameShape<Same<z.output<typeof ModelAliasResponse>, ModelAlias>>(true);
sameShape<Same<z.output<typeof AuditRecordResponse>, AuditRecord>>(true);
