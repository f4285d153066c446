/** Wires the deployment ports to their AWS adapters from env, once per container. */
import { randomUUID } from 'node:crypto';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { StartDeploymentRequest } from '../../contracts/deployment';
import { ENV } from '../../contracts/env';
import { registryServiceFromEnv } from '../registry';
import { documentClient, dynamoDbClient, requiredEnv, withTimeouts } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { lazyPort } from '../shared/lazy-port';
import { traced } from '../shared/tracing';
import { DynamoDbDeploymentStore } from './adapters/dynamodb-deployment-store';
import type { SageMakerRolloutNaming } from './adapters/sagemaker-variant-backend';
import { StepFunctionsExecutions } from './adapters/step-functions-executions';
import { type DeploymentApiDeps, type StartOutcome, startDeployment } from './domain/api';
import { EndpointChallenger } from './domain/endpoint-challenger';
import type { EndpointDescriber, InventoryDeps } from './domain/inventory';
import { modelRollouts } from './domain/model-rollout-start';
import type { AlarmReader, DeploymentDeps, EndpointControl, ModelPackages } from './domain/ports';
import { PromptVariantBackend } from './domain/prompt-variant-backend';
import { backendsByTarget, type DeploymentTargetSource } from './domain/targets';
import type { VariantBackend } from './domain/variant-backend';
import { winnerRollouts } from './domain/winner-rollouts';
import { deploymentTargets } from './targets-from-env';

const endpoint = (name: string) => process.env[name] || undefined;

/** S3 (packages, probes) imported on first use. */
const onDemand = () => import('./on-demand');

/**
 * The control planes (SageMaker, ECS and ELB, Application Auto Scaling, CloudWatch) imported on
 * the first call that drives or reads an endpoint: a route that reads the deployments table, or
 * an experiment that only routes keys, never loads their clients.
 */
const controlPlanes = () => import('./control-planes');

function deploymentStore() {
  return new DynamoDbDeploymentStore({
    client: documentClient(),
    deploymentsTable: requiredEnv(ENV.deploymentsTable),
    auditTable: requiredEnv(ENV.auditTable),
  });
}

/**
 * The backend serving each model, from the stack's targets (not from the execution input: the
 * stack decides which resources a rollout may drive). Its control plane is imported on first use.
 */
function variantBackends(targets: DeploymentTargetSource): (modelName: string) => Promise<VariantBackend> {
  let prompts: PromptVariantBackend | undefined;
  return backendsByTarget(targets, {
    prompt: () => {
      prompts ??= new PromptVariantBackend(registryServiceFromEnv());
      return prompts;
    },
    // The LLM table's records, written through the LLM capability's adapter (imported on first use).
    'llm-model': async (subject, target) => (await import('../llm')).endpointModelBackend(subject, target),
    sagemaker: async () => (await controlPlanes()).sageMakerVariantBackend(),
    ecs: async (modelName, target) => {
      if (!target?.ecs)
        throw new Error(`${modelName} is served by ECS but its deployment target names no services`);
      return (await controlPlanes()).ecsVariantBackend(target.ecs);
    },
  });
}

/**
 * The SageMaker backend under `naming` (an LMI endpoint's variants) on `endpoints`, else SageMaker's
 * control plane (the local SageMaker's where `MLOPS_SAGEMAKER_ENDPOINT` is set), imported on the
 * first step: a function that imports this capability for its starts loads no control plane.
 */
export const sageMakerVariantsOnDemand = (
  naming: SageMakerRolloutNaming,
  endpoints?: EndpointControl,
): VariantBackend =>
  lazyPort<VariantBackend>(async () => (await controlPlanes()).sageMakerVariantsNamed(naming, endpoints), {});

const alarmReader = () => lazyPort<AlarmReader>(async () => (await controlPlanes()).alarmReader(), {});

const modelPackages = (bucket: string) =>
  lazyPort<ModelPackages>(async () => (await onDemand()).modelPackages(bucket), {});

/** Ports of the state machine's tasks. */
export function taskDeps(): DeploymentDeps {
  const bucket = requiredEnv(ENV.artifactsBucket);
  return {
    backends: variantBackends(deploymentTargets()),
    alarms: alarmReader(),
    store: deploymentStore(),
    registry: registryServiceFromEnv(),
    packages: modelPackages(bucket),
    now: () => new Date(),
    newId: randomUUID,
  };
}

export interface DeploymentHandlerDeps extends DeploymentApiDeps, InventoryDeps {
  /** Idempotency-Key support; without it the header is ignored. */
  readonly idempotency?: IdempotencyOptions;
}

/** Reads an endpoint from the backend its target names, its control plane imported on first use. */
const endpointDescriber = (): EndpointDescriber => async (_modelName, target) =>
  (await controlPlanes()).describeEndpoint(target);

/**
 * The endpoint's challenger as an experiment holds it, on the backends, alarms and packages the
 * rollout's tasks use.
 */
export function endpointChallengerFromEnv(): EndpointChallenger {
  const targets = deploymentTargets();
  return new EndpointChallenger({
    targets,
    backends: variantBackends(targets),
    packages: modelPackages(requiredEnv(ENV.artifactsBucket)),
    registry: registryServiceFromEnv(),
    alarms: alarmReader(),
  });
}

/** What starting a rollout needs, from the function's environment. */
function startDeps(): DeploymentApiDeps {
  return {
    targets: deploymentTargets(),
    store: deploymentStore(),
    registry: registryServiceFromEnv(),
    executions: new StepFunctionsExecutions(
      traced(new SFNClient({ ...withTimeouts(), endpoint: endpoint(ENV.stepFunctionsEndpoint) })),
      requiredEnv(ENV.deploymentStateMachineArn),
    ),
    now: () => new Date(),
    newId: randomUUID,
  };
}

/** Starts rollouts as the route does (same checks, lock and execution), for an experiment's winner. */
export function rolloutStarterFromEnv() {
  return winnerRollouts(startDeps());
}

/**
 * Starts a prompt's rollout as the deployment route starts a model's (checks, sign-off, lock,
 * execution), for the prompt rollout route, which has checked the evaluation score floors.
 */
export function promptRolloutStarterFromEnv() {
  const deps = startDeps();
  return (
    actor: { principal: string; requestId?: string },
    prompt: string,
    req: StartDeploymentRequest,
  ): Promise<StartOutcome> => startDeployment(deps, actor, prompt, req, { promptReleaseChecked: true });
}

/**
 * Starts and reads the model rollouts of LLM endpoints, for the LLM route function (which has
 * checked the candidate): the same lock, records and execution as every rollout.
 */
export function modelRolloutsFromEnv() {
  return modelRollouts(startDeps());
}

/** Ports of the rollout routes. */
export function apiDeps(): DeploymentHandlerDeps {
  return {
    ...startDeps(),
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
    describeEndpoint: endpointDescriber(),
  };
}
