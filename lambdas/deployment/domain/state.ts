/**
 * The state a rollout execution carries from task to task (the Step Functions state document):
 * the input plus what each task found. Every task takes the whole state and returns it updated,
 * so the definition needs no path juggling and any step can be re-run from its input.
 */
import type { Deployment, RolloutInput } from '../../../contracts/deployment';
import type { AuditRecord, DeploymentEventType } from '../../../contracts/events';
import type { RolloutDeps } from './ports';
import type { BakeDecision, Progress } from './rollout';

export interface RolloutState extends RolloutInput {
  readonly lock?: { readonly acquired: boolean; readonly holder?: string };
  readonly challenger?: {
    readonly created: boolean;
    /** The rollout created the endpoint (there was none): a rollback deletes it again. */
    readonly createdEndpoint?: boolean;
    /** The challenger's SageMaker model, or (ECS) the task definition revision it runs. */
    readonly modelName?: string;
    /** ECS: the package URL the challenger's task definition loads (the champion's after promotion). */
    readonly modelDataUrl?: string;
    readonly endpointConfigName?: string;
    readonly previousEndpointConfigName?: string;
    readonly previousChampionModel?: string;
    /**
     * The SageMaker model the champion variant served before the rollout, where the rollout's
     * models are not SageMaker's (an LMI endpoint's: `modelName` and `previousChampionModel` are
     * the LLM model ids, as a Bedrock endpoint's).
     */
    readonly previousChampionSageMakerModel?: string;
    /** ECS: the challenger service's task definition before the rollout, restored by a rollback. */
    readonly previousChallengerModel?: string;
    readonly previousVersion?: number;
    readonly reason?: string;
  };
  readonly progress?: { readonly state: Progress; readonly polls: number; readonly reason?: string };
  readonly bake?: {
    readonly stepIndex: number;
    readonly checksDone: number;
    readonly decision?: BakeDecision;
    readonly alarm?: string;
    readonly reason?: string;
  };
  /** SageMaker: the promoted config; ECS: the champion's promoted task definition. */
  readonly promotion?: { readonly endpointConfigName?: string; readonly taskDefinition?: string };
  readonly rollback?: { readonly reason: string; readonly alarm?: string };
  readonly outcome?: {
    readonly status: 'PROMOTED' | 'ROLLED_BACK';
    readonly alarm?: string;
    readonly reason?: string;
  };
  /** Set by a Catch: the error of the task that failed. */
  readonly error?: { readonly Error?: string; readonly Cause?: string };
}

/**
 * What a rollout made (the challenger's resources, the promotion's), kept with its record by the
 * task that made them, so that the undo of a stopped execution, which gets no execution state,
 * knows what to remove.
 */
export type RolloutResources = Pick<RolloutState, 'challenger' | 'promotion'>;

/** Only the resource names of the state's challenger and promotion: a record of bounded size. */
export function keptResources(state: RolloutResources): RolloutResources {
  const pick = <T extends object>(from: T | undefined, keys: readonly (keyof T)[]) =>
    from && (Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]])) as T);
  const challenger = pick(state.challenger, [
    'created',
    'createdEndpoint',
    'modelName',
    'modelDataUrl',
    'endpointConfigName',
    'previousEndpointConfigName',
    'previousChampionModel',
    'previousChampionSageMakerModel',
    'previousChallengerModel',
    'previousVersion',
  ]);
  const promotion = pick(state.promotion, ['endpointConfigName', 'taskDefinition']);
  return { ...(challenger ? { challenger } : {}), ...(promotion ? { promotion } : {}) };
}

/** The audit record of a rollout step, attributed to whoever asked for the rollout. */
export function deploymentAudit(
  state: RolloutState,
  deps: { newId: () => string },
  at: string,
  action: DeploymentEventType,
  after: Record<string, unknown>,
  before?: Record<string, unknown>,
): AuditRecord {
  return {
    id: deps.newId(),
    at,
    actor: state.requestedBy,
    action,
    modelName: state.modelName,
    version: state.version,
    requestId: state.requestId ?? state.deploymentId,
    ...(before ? { before } : {}),
    after: { deploymentId: state.deploymentId, endpointName: state.endpointName, ...after },
  };
}

/**
 * Whether the rollout moves an LLM endpoint to a model id (`candidateModel`) rather than a registry
 * version: the registry has nothing to check (READY), name (champion) or promote for it.
 */
export const releasesRegistryVersion = (state: RolloutInput): boolean => state.candidateModel === undefined;

/** A fresh deployment record for a rollout. */
export function newDeployment(state: RolloutInput, at: string, executionArn?: string): Deployment {
  return {
    deploymentId: state.deploymentId,
    modelName: state.modelName,
    version: state.version,
    ...(state.candidateModel ? { candidateModel: state.candidateModel } : {}),
    endpointName: state.endpointName,
    status: 'RUNNING',
    phase: 'STARTING',
    steps: state.steps,
    ...(executionArn ? { executionArn } : {}),
    requestedBy: state.requestedBy,
    createdAt: at,
    updatedAt: at,
  };
}

/** A deployment id shortened for resource names. */
export const short = (id: string) => id.replace(/[^a-z0-9]/g, '').slice(0, 12);

/** Updates the deployment record (made if missing) and writes its audit record, atomically. */
export async function record(
  deps: Pick<RolloutDeps, 'store' | 'now' | 'newId'>,
  state: RolloutState,
  changes: Record<string, unknown>,
  audit?: Parameters<typeof deploymentAudit>[3],
  after: Record<string, unknown> = {},
  resources?: RolloutResources,
) {
  const at = deps.now().toISOString();
  const current = await deps.store.getDeployment(state.modelName, state.deploymentId);
  const base = current ?? newDeployment(state, at);
  await deps.store.updateDeployment(
    { ...base, ...changes, updatedAt: at },
    audit ? deploymentAudit(state, deps, at, audit, after) : undefined,
    resources && keptResources(resources),
  );
}

/**
 * Records the traffic split the backend now serves, for the predict path's sticky routing. Called
 * right after each weight change and before a variant is removed, so a routing key never targets
 * a variant the endpoint no longer has.
 */
export async function recordRouting(
  deps: Pick<RolloutDeps, 'store' | 'now'>,
  state: RolloutState,
  weights: { champion: number; challenger: number },
): Promise<void> {
  await deps.store.putRouting({
    modelName: state.modelName,
    endpointName: state.endpointName,
    weights,
    deploymentId: state.deploymentId,
    updatedAt: deps.now().toISOString(),
  });
}
