/**
 * MLflow's error vocabulary, for the routes MLflow clients call (`errorFormat: 'mlflow'`). MLflow
 * answers `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "..."}` with the status its
 * `ERROR_CODE_TO_HTTP_STATUS` gives the code (`mlflow/exceptions.py`), and the client raises a
 * `RestException` carrying that code. The platform keeps one catalogue (`./errors.ts`); this file
 * projects each platform code onto the MLflow code a client expects, so a condition is named once.
 * @see https://mlflow.org/docs/latest/rest-api.html
 */
import { type ErrorCode, type ErrorStatus, statusOf } from './errors';

/** The MLflow codes the platform answers with, and their statuses as MLflow's server sends them. */
export const MLFLOW_ERROR_STATUS = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  RESOURCE_CONFLICT: 409,
  REQUEST_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  TEMPORARILY_UNAVAILABLE: 503,
} as const;

export type MlflowErrorCode = keyof typeof MLFLOW_ERROR_STATUS;

/** The wire shape of an MLflow error. */
export interface MlflowErrorBody {
  readonly error_code: MlflowErrorCode;
  readonly message: string;
}

/**
 * Platform codes whose MLflow code is not the one their status gives: conditions MLflow treats as
 * a bad parameter (a param logged again with another value, a write to a deleted run), and
 * "already exists", which MLflow answers with 400.
 */
const BY_CODE: Partial<Record<ErrorCode, MlflowErrorCode>> = {
  ROUTE_NOT_FOUND: 'ENDPOINT_NOT_FOUND',
  EXPERIMENT_EXISTS: 'RESOURCE_ALREADY_EXISTS',
  MODEL_EXISTS: 'RESOURCE_ALREADY_EXISTS',
  PARAM_ALREADY_LOGGED: 'INVALID_PARAMETER_VALUE',
  RUN_NOT_ACTIVE: 'INVALID_PARAMETER_VALUE',
  EXPERIMENT_NOT_ACTIVE: 'INVALID_PARAMETER_VALUE',
};

/** The MLflow code of each platform status, for codes not listed above. */
const BY_STATUS: Readonly<Record<number, MlflowErrorCode>> = {
  400: 'INVALID_PARAMETER_VALUE',
  403: 'PERMISSION_DENIED',
  404: 'RESOURCE_DOES_NOT_EXIST',
  409: 'RESOURCE_CONFLICT',
  413: 'INVALID_PARAMETER_VALUE',
  // A rule refused a well-formed request (governance, a hash mismatch): MLflow has no 422, and
  // its clients treat 400 INVALID_PARAMETER_VALUE as "the request was refused, do not retry".
  422: 'INVALID_PARAMETER_VALUE',
  429: 'REQUEST_LIMIT_EXCEEDED',
  500: 'INTERNAL_ERROR',
  502: 'INTERNAL_ERROR',
  503: 'TEMPORARILY_UNAVAILABLE',
};

/** The MLflow code a platform code is answered with on MLflow's routes. */
export function mlflowCodeOf(code: ErrorCode): MlflowErrorCode {
  const status: ErrorStatus = statusOf(code);
  return BY_CODE[code] ?? BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'INVALID_PARAMETER_VALUE');
}
