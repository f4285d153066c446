/**
 * Renders errors in MLflow's shape for the routes MLflow clients call: `{"error_code", "message"}`
 * with the status MLflow gives the code. The platform's own rendering classifies the failure first
 * (a platform error keeps its message, a dependency's transient failure is a 503 to retry,
 * anything else a 500 leaking nothing); its code is then answered with the MLflow code it maps to
 * (`contracts/mlflow-errors.ts`).
 */
import { ERROR_CATALOGUE, type ErrorCode } from '../../contracts/errors';
import { MLFLOW_ERROR_STATUS, type MlflowErrorBody, mlflowCodeOf } from '../../contracts/mlflow-errors';
import { toErrorBody } from './errors';

/** Maps any thrown value to MLflow's status and body (and `retryAfterSeconds` for a 503). */
export function toMlflowErrorBody(err: unknown): {
  status: number;
  body: MlflowErrorBody;
  retryAfterSeconds?: number;
} {
  const { body, retryAfterSeconds } = toErrorBody(err);
  const code = body.error.code;
  const error_code = code in ERROR_CATALOGUE ? mlflowCodeOf(code as ErrorCode) : 'INTERNAL_ERROR';
  return {
    status: MLFLOW_ERROR_STATUS[error_code],
    body: { error_code, message: body.error.message },
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  };
}
