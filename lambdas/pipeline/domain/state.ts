/**
 * The document a retraining execution carries from state to state. Each task Lambda gets the whole
 * state and returns it with its own key set (`validation`, `evaluation`, ...); the SageMaker task
 * writes `training`, the nested rollout `canary.result`, a Catch `error`. So the definition needs
 * no path juggling, and any step can be re-run from its input.
 */
import type { RolloutInput } from '../../../contracts/deployment';
import type { RetrainingRun, RetrainingTrigger, RunOutcome } from '../../../contracts/pipeline';
import type { Comparison } from './champion';
import type { ValidationProblem } from './data-validation';
import type { GovernanceVerdict } from './governance-gate';

/** What the SageMaker training task needs, decided at admission from the model's config. */
export interface TrainingSpec {
  readonly jobName: string;
  readonly image: string;
  readonly instanceType: string;
  readonly hyperparameters: Record<string, string>;
  readonly maxRuntimeSeconds: number;
  readonly trainChannelUri: string;
  readonly holdoutChannelUri: string;
  readonly outputUri: string;
}

export interface RunState {
  /** The execution input as it arrived (event, schedule input or route input). */
  readonly input?: unknown;
  readonly execution: { readonly name: string; readonly startTime: string };
  readonly run?: {
    readonly runId: string;
    readonly modelName: string;
    readonly startedAt: string;
    readonly trigger: RetrainingTrigger;
    readonly training: TrainingSpec;
  };
  readonly gate?: { readonly admitted: boolean; readonly reason?: string };
  readonly validation?: {
    readonly valid: boolean;
    readonly rowCount: number;
    readonly problems: readonly ValidationProblem[];
    readonly datasetUri: string;
    readonly datasetSha256: string;
    readonly features: readonly string[];
    readonly trainRows?: number;
    readonly holdoutRows?: number;
  };
  /** The SageMaker task's result (ResultSelector of DescribeTrainingJob). */
  readonly training?: {
    readonly jobName?: string;
    readonly modelArtifactsUri: string;
    readonly status?: string;
  };
  readonly evaluation?: {
    readonly challenger: Record<string, number>;
    readonly champion?: Record<string, number>;
    readonly championVersion?: number;
    readonly championNote?: string;
    readonly modelSha256: string;
    readonly demographicParityDifference?: number;
    readonly holdoutRows: number;
  };
  readonly decision?: {
    readonly register: boolean;
    readonly outcome?: Extract<RunOutcome, 'NotImproved' | 'GovernanceRefused'>;
    readonly reason: string;
    readonly comparison: Comparison;
    readonly governance: GovernanceVerdict;
  };
  readonly registration?: {
    readonly version: number;
    readonly profileUri: string;
    readonly packageUri: string;
  };
  /**
   * Set by `register`: whether the promotion waits for sign-off (the model's approval policy) and,
   * if so, how long the wait may last (`AwaitApproval`'s TimeoutSecondsPath): past the request's
   * expiry by `APPROVAL_WAIT_GRACE_SECONDS`, so the expiry sweep normally answers the wait
   * (ApprovalExpired) and the timeout only ends one that no answer reached.
   */
  readonly approval?: { readonly required: boolean; readonly timeoutSeconds?: number };
  readonly canary?: {
    readonly input: RolloutInput;
    /** The nested rollout's final outcome (ResultSelector over its output). */
    readonly result?: {
      readonly status?: string;
      readonly outcome?: { readonly status?: string; readonly alarm?: string; readonly reason?: string };
    };
  };
  /** Set by a Catch: the error of the state that failed. */
  readonly error?: { readonly Error?: string; readonly Cause?: string };
  readonly outcome?: { readonly outcome: RunOutcome; readonly reason: string };
}

/** The run record of an admitted state, for the store. */
export function runRecord(state: RunState, at: string, changes: Partial<RetrainingRun> = {}): RetrainingRun {
  const run = state.run;
  if (!run) throw new Error('the run has not been admitted');
  return {
    runId: run.runId,
    modelName: run.modelName,
    trigger: run.trigger,
    status: 'RUNNING',
    phase: 'VALIDATING',
    trainingJobName: run.training.jobName,
    startedAt: run.startedAt,
    updatedAt: at,
    ...(state.evaluation
      ? {
          metrics: {
            challenger: state.evaluation.challenger,
            ...(state.evaluation.champion ? { champion: state.evaluation.champion } : {}),
          },
          ...(state.evaluation.championVersion ? { championVersion: state.evaluation.championVersion } : {}),
        }
      : {}),
    ...(state.registration ? { registeredVersion: state.registration.version } : {}),
    ...(state.canary ? { deploymentId: state.canary.input.deploymentId } : {}),
    ...changes,
  };
}
