/**
 * The error catalogue: every code the platform's API answers with, and its one HTTP status. The
 * error classes (`lambdas/shared/errors.ts`) take their status from here, and their constructors
 * accept only the codes of their status, so a code cannot be a 404 in one capability and a 422 in
 * another: `tsc` refuses it. Clients (the CLI, the console, the OpenAPI document) may branch on
 * these codes; renaming one is a breaking change.
 */
export const ERROR_CATALOGUE = {
  // 400: the request is malformed (bad JSON, schema violation, a value outside what is accepted).
  INVALID_REQUEST: 400,
  INVALID_JSON: 400,
  INVALID_PAGE_TOKEN: 400,
  INVALID_TENSOR: 400,
  INVALID_VALUE: 400,
  INVALID_URI: 400,
  INVALID_WINDOW: 400,
  INVALID_DATA: 400,
  INVALID_DRIFT_TEST: 400,
  INVALID_THRESHOLD: 400,
  INVALID_TRIGGER: 400,
  INVALID_PREDICTION: 400,
  INVALID_SAMPLE: 400,
  INCOMPATIBLE_SUMMARIES: 400,
  BUCKET_NOT_ALLOWED: 400,
  EMPTY_FEATURE: 400,
  ENRICHMENT_UNAVAILABLE: 400,
  MODEL_REJECTED_INPUT: 400,
  NOT_MONITORED: 400,
  NO_FEATURES: 400,
  NO_LABELLED_PREDICTIONS: 400,
  TOO_MANY_OBJECTS: 400,
  TOO_MANY_ROWS: 400,
  UNKNOWN_FEATURE: 400,
  UNKNOWN_FORMAT: 400,
  UNKNOWN_METRIC: 400,
  INVALID_FILTER: 400,
  INVALID_VARIABLES: 400,
  INVALID_DOCUMENT: 400,
  INVALID_DATASET: 400,
  TOO_MANY_ENTITIES: 400,
  // 403: authentication or authorization failed.
  FORBIDDEN: 403,
  NOT_AN_APPROVER: 403,
  SELF_APPROVAL_REFUSED: 403,
  // 404: the named resource (or the configuration it needs) does not exist.
  ROUTE_NOT_FOUND: 404,
  MODEL_NOT_FOUND: 404,
  VERSION_NOT_FOUND: 404,
  ALIAS_NOT_FOUND: 404,
  DEPLOYMENT_NOT_FOUND: 404,
  ENDPOINT_NOT_FOUND: 404,
  ENDPOINT_NOT_CONFIGURED: 404,
  RETRAINING_NOT_CONFIGURED: 404,
  DATA_VOLUME_CHECK_NOT_CONFIGURED: 404,
  RUN_NOT_FOUND: 404,
  REPORT_NOT_FOUND: 404,
  OBJECT_NOT_FOUND: 404,
  DATA_NOT_FOUND: 404,
  FEATURE_VIEW_NOT_FOUND: 404,
  FEATURE_NOT_FOUND: 404,
  TRAINING_SET_NOT_FOUND: 404,
  ERASURE_NOT_FOUND: 404,
  EXPERIMENT_NOT_FOUND: 404,
  ARTIFACT_NOT_FOUND: 404,
  APPROVAL_NOT_FOUND: 404,
  BATCH_PREDICTION_NOT_FOUND: 404,
  PROMPT_NOT_FOUND: 404,
  LLM_ENDPOINT_NOT_FOUND: 404,
  COLLECTION_NOT_FOUND: 404,
  DATASET_NOT_FOUND: 404,
  // 409: the request conflicts with the current state (exists already, changed concurrently, busy).
  CONCURRENT_MODIFICATION: 409,
  MODEL_EXISTS: 409,
  MODEL_DELETING: 409,
  MODEL_IN_PRODUCTION: 409,
  VERSION_CONFLICT: 409,
  STAGE_UNCHANGED: 409,
  DEPLOYMENT_EXISTS: 409,
  DEPLOYMENT_IN_PROGRESS: 409,
  CHECK_IN_PROGRESS: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  FEATURE_VIEW_ALREADY_EXISTS: 409,
  FEATURE_VIEW_VERSION_CONFLICT: 409,
  INCOMPATIBLE_SCHEMA_CHANGE: 409,
  ENTITY_ERASED: 409,
  EXPERIMENT_EXISTS: 409,
  EXPERIMENT_NOT_ACTIVE: 409,
  EXPERIMENT_IN_PROGRESS: 409,
  CHALLENGER_REFUSED: 409,
  RUN_NOT_ACTIVE: 409,
  PARAM_ALREADY_LOGGED: 409,
  APPROVAL_CLOSED: 409,
  APPROVAL_ALREADY_DECIDED: 409,
  APPROVAL_PENDING: 409,
  BATCH_PREDICTION_FINISHED: 409,
  BATCH_PREDICTION_NOT_RESUMABLE: 409,
  COLLECTION_EXISTS: 409,
  DOCUMENT_EXISTS: 409,
  // 422: well-formed but refused by a rule (governance, hash mismatch, a missing prerequisite).
  GOVERNANCE_CHECKS_FAILED: 422,
  VERSION_NOT_READY: 422,
  BATCH_ENGINE_UNAVAILABLE: 422,
  VERSION_FAILED: 422,
  TOO_MANY_TO_ARCHIVE: 422,
  ARTIFACT_MISSING: 422,
  ARTIFACT_SIZE_MISMATCH: 422,
  ARTIFACT_HASH_MISMATCH: 422,
  ARTIFACT_NOT_ONNX: 422,
  INVALID_ONNX_MODEL: 422,
  UNSUPPORTED_ONNX_OPERATOR: 422,
  NO_ONNX_MODEL: 422,
  NO_CHAMPION: 422,
  NO_REFERENCE_PROFILE: 422,
  FEATURES_MISSING: 422,
  FEATURE_NAME_COLLISION: 422,
  VALIDATION_FAILED: 422,
  NOT_SUPPORTED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  INVALID_IDEMPOTENCY_KEY: 422,
  RESPONSE_TOO_LARGE: 422,
  APPROVAL_REQUIRED: 422,
  PROMPT_RELEASE_GATED: 422,
  GUARDRAIL_BLOCKED: 422,
  // 429: the caller is over its rate limit for the route's group; `Retry-After` says when to retry.
  RATE_LIMITED: 429,
  // 5xx: the platform or a dependency failed; INTERNAL never says more than that.
  INTERNAL: 500,
  MODEL_ERROR: 502,
  ENDPOINT_UNAVAILABLE: 503,
  DEPENDENCY_UNAVAILABLE: 503,
} as const satisfies Record<string, 400 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 502 | 503>;

/** A code of the catalogue. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An HTTP status some code of the catalogue has. */
export type ErrorStatus = (typeof ERROR_CATALOGUE)[ErrorCode];

/** The codes whose status is `S`, e.g. `ErrorCodeOf<404>` is every not-found code. */
export type ErrorCodeOf<S extends ErrorStatus> = {
  [K in ErrorCode]: (typeof ERROR_CATALOGUE)[K] extends S ? K : never;
}[ErrorCode];

/** The status of a code. */
export const statusOf = (code: ErrorCode): ErrorStatus => ERROR_CATALOGUE[code];
