/** The tracking conditions no other capability meets, each owning its code and message. */
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  type PlatformErrorOptions,
} from '../../shared/errors';

/** 404 `EXPERIMENT_NOT_FOUND`. */
export class ExperimentNotFoundError extends NotFoundError {
  constructor(what: string, options?: PlatformErrorOptions) {
    super('EXPERIMENT_NOT_FOUND', `No Experiment with ${what} exists`, options);
    this.name = 'ExperimentNotFoundError';
  }
}

/** 404 `RUN_NOT_FOUND`. */
/** 404 `LOGGED_MODEL_NOT_FOUND`, in MLflow's words. */
export class LoggedModelNotFoundError extends NotFoundError {
  constructor(modelId: string, options?: PlatformErrorOptions) {
    super('LOGGED_MODEL_NOT_FOUND', `Logged model with ID '${modelId}' not found.`, options);
    this.name = 'LoggedModelNotFoundError';
  }
}

export class TrackingRunNotFoundError extends NotFoundError {
  constructor(runId: string, options?: PlatformErrorOptions) {
    super('RUN_NOT_FOUND', `Run with id=${runId} not found`, options);
    this.name = 'TrackingRunNotFoundError';
  }
}

/** 409 `EXPERIMENT_EXISTS` (MLflow: 400 RESOURCE_ALREADY_EXISTS). */
export class ExperimentExistsError extends ConflictError {
  constructor(name: string, deleted: boolean, options?: PlatformErrorOptions) {
    super(
      'EXPERIMENT_EXISTS',
      deleted
        ? `Experiment '${name}' already exists in deleted state; restore it or choose another name`
        : `Experiment '${name}' already exists`,
      options,
    );
    this.name = 'ExperimentExistsError';
  }
}

/** 409 `RUN_NOT_ACTIVE` (MLflow: 400 INVALID_PARAMETER_VALUE): writes need an active run. */
export class RunNotActiveError extends ConflictError {
  constructor(runId: string, options?: PlatformErrorOptions) {
    super(
      'RUN_NOT_ACTIVE',
      `The run ${runId} must be in the 'active' state. Current state is deleted.`,
      options,
    );
    this.name = 'RunNotActiveError';
  }
}

/** 409 `EXPERIMENT_NOT_ACTIVE` (MLflow: 400 INVALID_PARAMETER_VALUE). */
export class ExperimentNotActiveError extends ConflictError {
  constructor(experimentId: string, options?: PlatformErrorOptions) {
    super(
      'EXPERIMENT_NOT_ACTIVE',
      `The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`,
      options,
    );
    this.name = 'ExperimentNotActiveError';
  }
}

/** 409 `PARAM_ALREADY_LOGGED` (MLflow: 400 INVALID_PARAMETER_VALUE): params are immutable. */
export class ParamAlreadyLoggedError extends ConflictError {
  constructor(runId: string, key: string, old: string, value: string, options?: PlatformErrorOptions) {
    super(
      'PARAM_ALREADY_LOGGED',
      `Changing param values is not allowed. Param with key='${key}' was already logged with ` +
        `value='${old}' for run ID='${runId}'. Attempted logging new value '${value}'.`,
      options,
    );
    this.name = 'ParamAlreadyLoggedError';
  }
}

/** 400 `INVALID_FILTER`: a search filter or order_by clause MLflow's grammar does not accept. */
export class InvalidFilterError extends BadRequestError {
  constructor(message: string, options?: PlatformErrorOptions) {
    super('INVALID_FILTER', message, options);
    this.name = 'InvalidFilterError';
  }
}
