/**
 * The subset of MLflow's model registry REST API (`model_registry.proto`) the platform serves,
 * backed by the platform's own registry: requests and replies in MLflow's terms. MLflow version
 * numbers are strings on the wire; stages are MLflow's (`None`, `Staging`, `Production`,
 * `Archived`), which the platform's registry uses too.
 * @see https://mlflow.org/docs/latest/rest-api.html#create-registeredmodel
 */
import * as z from 'zod';
import { AliasName, ModelName, Stage } from './registry';

const KeyValue = z.object({ key: z.string().min(1).max(128), value: z.string().max(256) });
/** A version number as MLflow sends it: a decimal string (or a number from older clients). */
const VersionString = z
  .union([
    z
      .string()
      .regex(/^\d{1,10}$/, 'must be a version number')
      .transform(Number),
    z.number(),
  ])
  .pipe(z.number().int().min(1).max(9_999_999_999));

export const CreateRegisteredModelRequest = z.object({
  name: ModelName,
  tags: z.array(KeyValue).max(50).optional(),
  description: z.string().max(4096).optional(),
});
export const RegisteredModelQuery = z.object({ name: ModelName });
export const CreateModelVersionRequest = z.object({
  name: ModelName,
  /** `runs:/<run_id>/<path>` or an `s3://` URI in the platform bucket: an ONNX file or a directory holding `model.onnx`. */
  source: z.string().min(1).max(2048),
  run_id: z.string().max(256).optional(),
  // The registry keeps 50 tags; one is left for `mlflow.source`.
  tags: z.array(KeyValue).max(49).optional(),
  description: z.string().max(4096).optional(),
});
export const ModelVersionQuery = z.object({ name: ModelName, version: VersionString });
export const SetRegisteredModelAliasRequest = z.object({
  name: ModelName,
  alias: AliasName,
  version: VersionString,
});
export const RegisteredModelAliasRequest = z.object({ name: ModelName, alias: AliasName });
/** MLflow accepts stage names in any case (`production`). */
const MlflowStage = z
  .string()
  .transform((s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase())
  .pipe(Stage);
export const TransitionModelVersionStageRequest = z.object({
  name: ModelName,
  version: VersionString,
  stage: MlflowStage,
  archive_existing_versions: z.boolean().default(false),
});

const Tags = z.array(z.object({ key: z.string(), value: z.string() }));
const Aliases = z.array(z.object({ alias: z.string(), version: z.string() }));

export const ModelVersionResponse = z.object({
  name: z.string(),
  version: z.string(),
  creation_timestamp: z.number().int(),
  last_updated_timestamp: z.number().int(),
  current_stage: z.string(),
  description: z.string(),
  source: z.string(),
  run_id: z.string(),
  status: z.enum(['PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY']),
  status_message: z.string().optional(),
  tags: Tags,
});
export type MlflowModelVersion = z.infer<typeof ModelVersionResponse>;

export const RegisteredModelResponse = z.object({
  name: z.string(),
  creation_timestamp: z.number().int(),
  last_updated_timestamp: z.number().int(),
  description: z.string(),
  tags: Tags,
  aliases: Aliases,
});
export type MlflowRegisteredModel = z.infer<typeof RegisteredModelResponse>;

export const RegisteredModelReply = z.object({ registered_model: RegisteredModelResponse });
export const ModelVersionReply = z.object({ model_version: ModelVersionResponse });
export const DownloadUriReply = z.object({ artifact_uri: z.string() });
