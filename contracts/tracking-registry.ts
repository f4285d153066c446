/**
 * The subset of MLflow's model registry REST API (`model_registry.proto`) the platform serves,
 * backed by the platform's own registry: requests and replies in MLflow's terms. MLflow version
 * numbers are strings on the wire; stages are MLflow's (`None`, `Staging`, `Production`,
 * `Archived`), which the platform's registry uses too.
 * @see https://mlflow.org/docs/latest/rest-api.html#create-registeredmodel
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';
import { AliasName, ModelName, RESERVED_TAG_PREFIX } from './model-names';
import { Stage } from './registry';

const KeyValue = lazySchema(() => z.object({ key: z.string().min(1).max(128), value: z.string().max(256) }));
/** A version number as MLflow sends it: a decimal string (or a number from older clients). */
const VersionString = lazySchema(() =>
  z
    .union([
      z
        .string()
        .regex(/^\d{1,10}$/, 'must be a version number')
        .transform(Number),
      z.number(),
    ])
    .pipe(z.number().int().min(1).max(9_999_999_999)),
);

export const CreateRegisteredModelRequest = lazySchema(() =>
  z.object({
    name: ModelName,
    tags: z.array(KeyValue).max(50).optional(),
    description: z.string().max(4096).optional(),
  }),
);
export const RegisteredModelQuery = lazySchema(() => z.object({ name: ModelName }));
export const CreateModelVersionRequest = lazySchema(() =>
  z.object({
    name: ModelName,
    /** `runs:/<run_id>/<path>` or an `s3://` URI in the platform bucket: an ONNX file or a directory holding `model.onnx`. */
    source: z.string().min(1).max(2048),
    run_id: z.string().max(256).optional(),
    /** MLflow 3: the logged model the version is registered from. */
    model_id: z
      .string()
      .regex(/^m-[a-zA-Z0-9]{1,64}$/, 'is not a logged model id')
      .optional(),
    // The registry keeps 50 tags; one is left for `mlflow.source`.
    tags: z.array(KeyValue).max(49).optional(),
    description: z.string().max(4096).optional(),
  }),
);
export const ModelVersionQuery = lazySchema(() => z.object({ name: ModelName, version: VersionString }));
export const SetRegisteredModelAliasRequest = lazySchema(() =>
  z.object({
    name: ModelName,
    alias: AliasName,
    version: VersionString,
  }),
);
export const RegisteredModelAliasRequest = lazySchema(() => z.object({ name: ModelName, alias: AliasName }));
/** MLflow accepts stage names in any case (`production`). */
const MlflowStage = lazySchema(() =>
  z
    .string()
    .transform((s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase())
    .pipe(Stage),
);
export const TransitionModelVersionStageRequest = lazySchema(() =>
  z.object({
    name: ModelName,
    version: VersionString,
    stage: MlflowStage,
    archive_existing_versions: z.boolean().default(false),
  }),
);

/** A tag key MLflow may set: the platform's own `mlops:` tags are set by the platform alone. */
const SettableTagKey = lazySchema(() =>
  z
    .string()
    .min(1)
    .max(128)
    .refine(
      (k) => !k.startsWith(RESERVED_TAG_PREFIX),
      `tags under ${RESERVED_TAG_PREFIX} are set by the platform`,
    ),
);

/**
 * MLflow's RenameRegisteredModel. The platform renames only a model that has never held a version
 * (see the README's MLflow mapping); an invalid `new_name` is MLflow's INVALID_PARAMETER_VALUE.
 */
export const RenameRegisteredModelRequest = lazySchema(() =>
  z.object({ name: ModelName, new_name: ModelName }),
);
export const UpdateRegisteredModelRequest = lazySchema(() =>
  z.object({ name: ModelName, description: z.string().max(4096) }),
);
export const SetRegisteredModelTagRequest = lazySchema(() =>
  z.object({
    name: ModelName,
    key: SettableTagKey,
    value: z.string().max(256),
  }),
);
export const RegisteredModelTagRequest = lazySchema(() => z.object({ name: ModelName, key: SettableTagKey }));
export const UpdateModelVersionRequest = lazySchema(() =>
  z.object({
    name: ModelName,
    version: VersionString,
    description: z.string().max(4096),
  }),
);
export const SetModelVersionTagRequest = lazySchema(() =>
  z.object({
    name: ModelName,
    version: VersionString,
    key: SettableTagKey,
    value: z.string().max(256),
  }),
);
export const ModelVersionTagRequest = lazySchema(() =>
  z.object({
    name: ModelName,
    version: VersionString,
    key: SettableTagKey,
  }),
);

/** A number as a query string or a JSON body carries it. */
const Count = (max: number) => z.coerce.number().int().min(1).max(max);
/** `order_by`: repeated in a body, one comma-joined value in a query string (API Gateway joins them). */
const OrderBy = lazySchema(() =>
  z
    .union([
      z.array(z.string().max(256)).max(10),
      z
        .string()
        .max(2560)
        .transform((s) => s.split(',')),
    ])
    .optional(),
);

/** MLflow's default and largest page of a registered-model search (`SEARCH_REGISTERED_MODEL_MAX_RESULTS_*`). */
export const REGISTERED_MODEL_SEARCH_LIMITS = { default: 100, max: 1000 } as const;
/** A model-version search pages like a run search; a page also ends before 5 MB. */
export const MODEL_VERSION_SEARCH_LIMITS = { default: 10_000, max: 10_000 } as const;

export const SearchRegisteredModelsRequest = lazySchema(() =>
  z.object({
    filter: z.string().max(4096).optional(),
    max_results: Count(REGISTERED_MODEL_SEARCH_LIMITS.max).optional(),
    order_by: OrderBy,
    page_token: z.string().max(2048).optional(),
  }),
);
export const SearchModelVersionsRequest = lazySchema(() =>
  z.object({
    filter: z.string().max(4096).optional(),
    max_results: Count(MODEL_VERSION_SEARCH_LIMITS.max).optional(),
    order_by: OrderBy,
    page_token: z.string().max(2048).optional(),
  }),
);
export const GetLatestVersionsRequest = lazySchema(() =>
  z.object({
    name: ModelName,
    /** A query string carries the stages comma-joined. */
    stages: z
      .union([z.array(MlflowStage).max(4), z.string().transform((s) => s.split(',').filter(Boolean))])
      .pipe(z.array(MlflowStage).max(4))
      .optional(),
  }),
);

const Tags = lazySchema(() => z.array(z.object({ key: z.string(), value: z.string() })));
const Aliases = lazySchema(() => z.array(z.object({ alias: z.string(), version: z.string() })));

export const ModelVersionResponse = lazySchema(() =>
  z.object({
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
  }),
);
export type MlflowModelVersion = z.infer<typeof ModelVersionResponse>;

export const RegisteredModelResponse = lazySchema(() =>
  z.object({
    name: z.string(),
    creation_timestamp: z.number().int(),
    last_updated_timestamp: z.number().int(),
    description: z.string(),
    tags: Tags,
    aliases: Aliases,
  }),
);
export type MlflowRegisteredModel = z.infer<typeof RegisteredModelResponse>;

export const RegisteredModelReply = lazySchema(() => z.object({ registered_model: RegisteredModelResponse }));
export const ModelVersionReply = lazySchema(() => z.object({ model_version: ModelVersionResponse }));
export const DownloadUriReply = lazySchema(() => z.object({ artifact_uri: z.string() }));

export const SearchRegisteredModelsReply = lazySchema(() =>
  z.object({
    registered_models: z.array(RegisteredModelResponse),
    next_page_token: z.string().optional(),
  }),
);
export const SearchModelVersionsReply = lazySchema(() =>
  z.object({
    model_versions: z.array(ModelVersionResponse),
    next_page_token: z.string().optional(),
  }),
);
export const ModelVersionsReply = lazySchema(() =>
  z.object({ model_versions: z.array(ModelVersionResponse) }),
);
