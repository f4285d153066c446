/**
 * Retraining pipeline contracts shared by the pipeline construct, its task Lambda and route, the
 * trigger rules and local mode: the per-model config (`mlops:retraining`), the trigger a run
 * starts from, the run record and its outcomes, names of training jobs and S3 keys of a run.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/how-it-works-training.html
 */
import * as z from 'zod';
import { CanarySteps } from './deployment';
import { storableNumber } from './dynamodb-number';
import { GovernanceEvidence } from './governance-evidence';
import { lazySchema } from './lazy-schema';
import { ModelName } from './model-names';
import { ProblemType } from './monitoring';

/** Why a run started. `manual` is the route; the others are EventBridge rules. */
export const RetrainingReason = lazySchema(() =>
  z.enum(['schedule', 'drift', 'quality', 'data-volume', 'manual']),
);
export type RetrainingReason = z.infer<typeof RetrainingReason>;

/**
 * How a run ended. Every run ends in exactly one, recorded on the run, in the audit trail and as a
 * `RetrainingFinished` event.
 */
export const RunOutcome = lazySchema(() =>
  z.enum([
    /** Another run held the model, the trigger was seen before, or the reason is cooling down. */
    'Suppressed',
    /** The training window failed validation (rows, nulls, ranges); nothing was trained. */
    'DataInvalid',
    /** The training job failed after its retries (or could not be evaluated). */
    'TrainingFailed',
    /** The challenger did not beat the champion by the margin; nothing was registered. */
    'NotImproved',
    /** The challenger would not pass the governance policy for Production; nothing was registered. */
    'GovernanceRefused',
    /** Registered, canaried and promoted: the challenger is the champion. */
    'Promoted',
    /** Registered and canaried, then rolled back: the champion is unchanged. */
    'RolledBack',
    /**
     * Registered, then its promotion was rejected by an approver or its approval request expired:
     * no canary ran, the champion is unchanged.
     */
    'NotApproved',
    /**
     * The execution was stopped, timed out or failed outside a `Finish` state (an uncaught task
     * error); recorded from Step Functions' status change event, the lock released.
     */
    'Stopped',
  ]),
);
export type RunOutcome = z.infer<typeof RunOutcome>;

/** The metric a challenger must improve, and which way is better. */
export const PrimaryMetric = lazySchema(() =>
  z.strictObject({
    /** A metric of the holdout evaluation: `accuracy`, `roc_auc`, `f1`, `rmse`, `mae`... */
    name: z.string().min(1).max(64),
    /** @default - `lower` for rmse and mae, else `higher` */
    direction: z.enum(['higher', 'lower']).optional(),
    /** The challenger must be better by at least this much (absolute, in the metric's unit). @default 0.005 */
    margin: storableNumber().min(0).max(1000).default(0.005),
  }),
);
export type PrimaryMetric = z.infer<typeof PrimaryMetric>;

const S3Uri = lazySchema(() =>
  z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/\S+$/, 'must be s3://bucket/key'),
);
const Schedule = lazySchema(() =>
  z
    .string()
    .regex(
      /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\([^)]+\))$/,
      'must be rate(...) or cron(...)',
    ),
);

export const RETRAINING_DEFAULTS = {
  /** One NVIDIA A10G: the smallest g5, ample for tabular models. */
  instanceType: 'ml.g5.xlarge',
  instanceCount: 1,
  volumeSizeGb: 30,
  maxRuntimeMinutes: 60,
  trainingRetries: 2,
  trainingRetryIntervalSeconds: 60,
  trainingRetryBackoffRate: 2,
  holdoutPercent: 20,
  minRows: 100,
  maxNullShare: 0.05,
  cooldownMinutes: 360,
  /** How often the data-volume check counts a model's new offline rows. */
  newRowsCheckEveryMinutes: 15,
  /** A run may take this long before its lock can be taken over (a crashed execution). */
  lockMinutes: 24 * 60,
  dedupDays: 7,
} as const;

/** One `mlops:retraining` entry: how one model is retrained. */
export const RetrainingConfig = lazySchema(() =>
  z.strictObject({
    modelName: ModelName,
    /** The training window: a training set from the feature store (Parquet) or any CSV/Parquet object. */
    trainingData: z.strictObject({
      uri: S3Uri,
      /** The label column. */
      label: z.string().min(1).max(128),
      /** Columns that are not features (ids, timestamps); dropped before training. */
      exclude: z.array(z.string().min(1).max(128)).max(100).default([]),
      /** Feature view whose min/max and required flags the window is checked against. */
      featureView: z.string().min(1).max(64).optional(),
      /** Share of rows kept out of training to compare challenger and champion on. */
      holdoutPercent: z.number().int().min(5).max(50).default(RETRAINING_DEFAULTS.holdoutPercent),
    }),
    problemType: ProblemType.default('binary-classification'),
    validation: z
      .strictObject({
        minRows: z.number().int().min(1).default(RETRAINING_DEFAULTS.minRows),
        maxNullShare: storableNumber().min(0).max(1).default(RETRAINING_DEFAULTS.maxNullShare),
        /** Inclusive bounds per column, on top of the feature view's. */
        ranges: z
          .record(
            z.string(),
            z.strictObject({ min: storableNumber().optional(), max: storableNumber().optional() }),
          )
          .default({}),
      })
      .default({
        minRows: RETRAINING_DEFAULTS.minRows,
        maxNullShare: RETRAINING_DEFAULTS.maxNullShare,
        ranges: {},
      }),
    primaryMetric: PrimaryMetric.default({ name: 'accuracy', margin: 0.005 }),
    /** EventBridge schedule of periodic retraining. @default - no schedule */
    schedule: Schedule.optional(),
    /** Reasons that start a run; drift/quality come from monitoring's events. */
    triggers: z.array(RetrainingReason).default(['schedule', 'drift', 'quality', 'data-volume', 'manual']),
    /** Minutes after a run starts during which the same reason starts no other run. */
    cooldownMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(RETRAINING_DEFAULTS.cooldownMinutes),
    /** New offline rows of `trainingData.featureView` that start a run (the data-volume rule). */
    newRowsThreshold: z.number().int().min(1).optional(),
    /** Minutes between data-volume checks of this model. @default 15 */
    newRowsCheckEveryMinutes: z.number().int().min(1).max(1440).optional(),
    training: z
      .strictObject({
        /** @default ml.g5.xlarge */
        instanceType: z
          .string()
          .regex(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an ml.* instance type')
          .optional(),
        /** A user training image (ECR URI) following the SageMaker contract. @default - the reference trainer */
        imageUri: z.string().min(1).max(255).optional(),
        /** Hyperparameters passed as strings, as SageMaker does. */
        hyperparameters: z.record(z.string(), z.union([z.string(), storableNumber()])).default({}),
        maxRuntimeMinutes: z
          .number()
          .int()
          .min(1)
          .max(5 * 24 * 60)
          .default(RETRAINING_DEFAULTS.maxRuntimeMinutes),
      })
      .default({ hyperparameters: {}, maxRuntimeMinutes: RETRAINING_DEFAULTS.maxRuntimeMinutes }),
    /** Evidence registered with every retrained version (model card, scans) for governance. */
    governance: GovernanceEvidence.default({}),
    /** Column whose groups the demographic parity difference is measured over, on the holdout. */
    sensitiveFeature: z.string().min(1).max(128).optional(),
    canary: z
      .strictObject({
        steps: CanarySteps.optional(),
        bakeMinutes: storableNumber().min(0).max(1440).optional(),
      })
      .default({}),
  }),
);
export type RetrainingConfig = z.infer<typeof RetrainingConfig>;

/** The `mlops:retraining` list; model names must be unique. */
export const RetrainingConfigs = lazySchema(() =>
  z
    .array(RetrainingConfig)
    .max(50)
    .refine((l) => new Set(l.map((c) => c.modelName)).size === l.length, 'model names must be unique'),
);

/**
 * The SSM path of an environment's retraining configs: one String parameter per model,
 * `<path>/<model>`, holding its `RetrainingConfig` as JSON (see `contracts/parameters.ts`).
 */
export const retrainingConfigsPath = (envName: string): string => `/cdk-mlops/${envName}/retraining-configs`;

/** What the data-volume check of one model watches, when it has one. */
export interface DataVolumeCheckSpec {
  readonly modelName: string;
  readonly featureView: string;
  readonly newRowsThreshold: number;
  readonly everyMinutes: number;
}

/**
 * The model's data-volume check: it needs `newRowsThreshold`, `trainingData.featureView` and the
 * `data-volume` trigger; without any of them the model has none.
 */
export function dataVolumeCheckOf(config: RetrainingConfig): DataVolumeCheckSpec | undefined {
  const { featureView } = config.trainingData;
  if (!config.newRowsThreshold || !featureView || !config.triggers.includes('data-volume')) return undefined;
  return {
    modelName: config.modelName,
    featureView,
    newRowsThreshold: config.newRowsThreshold,
    everyMinutes: config.newRowsCheckEveryMinutes ?? RETRAINING_DEFAULTS.newRowsCheckEveryMinutes,
  };
}

/** The data-volume check's input: the constant input of the model's schedule rule. */
export const DataVolumeCheckInput = lazySchema(() => z.object({ modelName: ModelName }));

/** What started a run: the model, the reason and the event behind it. */
export interface RetrainingTrigger {
  readonly modelName: string;
  readonly reason: RetrainingReason;
  /** The triggering event: its id (EventBridge's, a report id, the execution name), source and type. */
  readonly event: {
    readonly id: string;
    readonly source: string;
    readonly detailType: string;
    readonly time: string;
  };
  /** One incident, one run: triggers with the same key start one run. */
  readonly dedupKey: string;
  readonly requestedBy: string;
}

/** `POST /models/{name}/retraining-runs`: start a run now (reason `manual`). */
export const StartRunRequest = lazySchema(() =>
  z.strictObject({
    /** Why, for the audit trail. */
    note: z.string().max(1024).default(''),
  }),
);
export type StartRunRequest = z.infer<typeof StartRunRequest>;

export const RunId = lazySchema(() => z.string().regex(/^[A-Za-z0-9-]{1,80}$/, 'must be a run id'));
export const RunStatus = lazySchema(() => z.enum(['RUNNING', 'SUCCEEDED', 'FAILED']));
export type RunStatus = z.infer<typeof RunStatus>;

/** A run as the status route reports it. */
export interface RetrainingRun {
  readonly runId: string;
  readonly modelName: string;
  readonly trigger: RetrainingTrigger;
  readonly status: RunStatus;
  /** The step the run is at, e.g. `VALIDATING`, `TRAINING`, `CANARY`. */
  readonly phase: string;
  readonly outcome?: RunOutcome;
  readonly reason?: string;
  readonly executionArn?: string;
  readonly trainingJobName?: string;
  readonly metrics?: {
    readonly challenger?: Record<string, number>;
    readonly champion?: Record<string, number>;
  };
  readonly championVersion?: number;
  readonly registeredVersion?: number;
  readonly deploymentId?: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly finishedAt?: string;
}

/**
 * Step Functions' event for an execution's status change (on the default bus), and the statuses
 * the safe-stop rule records: a run that ends so without a `Finish` state is `Stopped`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';
export const STOPPED_STATUSES = ['ABORTED', 'TIMED_OUT', 'FAILED'] as const;

/**
 * An environment's training job names start with this (`mlops-<envName>-t-`), so IAM, the
 * failed-training alarm and the log streams of one environment never take in another's jobs when
 * environments share an account.
 */
export const trainingJobPrefix = (envName: string): string => `mlops-${envName}-t-`;

/** A base name's length: the state machine appends `-<8 hex>`, and SageMaker allows 63. */
const BASE_NAME_MAX = 53;
const RUN_CHARS = 12;

/**
 * A training job's base name, `mlops-<env>-t-<model>-<run>` (at most 53 characters); the state
 * machine appends `-<8 hex>` per attempt (at most 63 characters of `[a-zA-Z0-9-]` in all), since
 * each attempt is a new job and SageMaker job names are unique forever. The model's name is cut to
 * what the environment's prefix leaves (at least 14 characters with the longest environment name).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTrainingJob.html
 */
export function trainingJobBaseName(envName: string, modelName: string, runId: string): string {
  const prefix = trainingJobPrefix(envName);
  const run = runId.replace(/[^A-Za-z0-9]/g, '').slice(0, RUN_CHARS);
  const model = modelName
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .slice(0, Math.min(24, BASE_NAME_MAX - prefix.length - 1 - run.length))
    .replace(/-+$/, '');
  return `${prefix}${model}-${run}`;
}

/** Everything a run writes lives under this prefix of the platform bucket. */
export const PIPELINE_PREFIX = 'pipeline/';
export const pipelineKeys = {
  /** Training channel (CSV) of a run. */
  trainChannel: (model: string, runId: string) => `${PIPELINE_PREFIX}runs/${model}/${runId}/train/`,
  /** Holdout channel (CSV): the trainer's validation set and the comparison set. */
  holdoutChannel: (model: string, runId: string) => `${PIPELINE_PREFIX}runs/${model}/${runId}/holdout/`,
  /** Where training jobs write model.tar.gz. */
  output: (model: string, runId: string) => `${PIPELINE_PREFIX}runs/${model}/${runId}/output/`,
} as const;

/**
 * State names of the retraining state machine that code outside its definition relies on: local
 * mode overrides the training and canary Tasks by name, tests assert on the path taken.
 */
export const RetrainingState = {
  ADMIT: 'Admit',
  VALIDATE: 'ValidateData',
  TRAIN: 'TrainChallenger',
  EVALUATE: 'Evaluate',
  DECIDE: 'Decide',
  REGISTER: 'RegisterChallenger',
  AWAIT_APPROVAL: 'AwaitApproval',
  CANARY: 'CanaryRollout',
} as const;

/**
 * The `task` a retraining Task state sends the pipeline's task function, which dispatches on it:
 * the definition (lib) and the function (lambdas) share these names.
 */
export const RetrainingTask = {
  ADMIT: 'admit',
  VALIDATE_DATA: 'validateData',
  EVALUATE: 'evaluate',
  DECIDE: 'decide',
  REGISTER: 'register',
  REQUEST_APPROVAL: 'requestApproval',
  FINISH: 'finish',
} as const;
export type RetrainingTask = (typeof RetrainingTask)[keyof typeof RetrainingTask];
