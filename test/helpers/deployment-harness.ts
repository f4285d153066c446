/**
 * Runs the deployment state machine FROM THE SYNTHESIZED TEMPLATE with the local executor: the
 * task Lambda in process over DynamoDB Local (registry, deployments, audit), the local CloudWatch
 * (the template's alarms, evaluated over the metrics a test sends), a SageMaker port and, for
 * models served by ECS, their services.
 */
import { randomUUID } from 'node:crypto';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Template } from 'aws-cdk-lib/assertions';
import {
  type DeploymentTarget,
  type EcsServingTarget,
  type ModelEndpointConfig,
  type RolloutInput,
  watchedAlarmNames,
} from '../../contracts/deployment';
import type { AuditRecord } from '../../contracts/events';
import { EXECUTION_STATUS_CHANGE } from '../../contracts/pipeline';
import { CHAMPION_ALIAS } from '../../contracts/registry';
import {
  ENDPOINT_METRICS_NAMESPACE,
  endpointMetricDimensions,
  endpointName,
  modelPackageKey,
} from '../../contracts/serving';
import { CloudWatchAlarmReader } from '../../lambdas/deployment/adapters/cloudwatch-alarms';
import { DynamoDbDeploymentStore } from '../../lambdas/deployment/adapters/dynamodb-deployment-store';
import { EcsServiceControl } from '../../lambdas/deployment/adapters/ecs-services';
import { EcsVariantBackend } from '../../lambdas/deployment/adapters/ecs-variant-backend';
import { SageMakerVariantBackend } from '../../lambdas/deployment/adapters/sagemaker-variant-backend';
import type {
  DeploymentDeps,
  EndpointControl,
  EndpointScaling,
  ModelPackages,
} from '../../lambdas/deployment/domain/ports';
import { planRollout } from '../../lambdas/deployment/domain/rollout';
import type { RolloutState } from '../../lambdas/deployment/domain/state';
import { backendsByTarget } from '../../lambdas/deployment/domain/targets';
import { makeTaskHandler } from '../../lambdas/deployment/tasks';
import { type CfnTemplate, functionEntries, resourcesOfType } from '../../local/cdk-template';
import { alarmsFromTemplate, LocalCloudWatch } from '../../local/cloudwatch/server';
import { type EventPattern, matchesPattern } from '../../local/event-pattern';
import { ensureBuckets } from '../../local/stand-ins';
import { LocalStateMachine, stateMachineDefinitions } from '../../local/state-machines/executor';
import type { EndedExecution } from '../../local/state-machines/server';
import { ALICE, type TestRegistry, testRegistry } from './registry-harness';
import { buildServingStack } from './serving-stack';

export const PERMISSIVE_GOVERNANCE = {
  metricFloors: {},
  requireModelCard: false,
  requireSecurityScan: false,
  requireLoadTest: false,
};

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** What a promotion leaves in the model's audit trail: the rollout's steps, then the registry's changes. */
export const PROMOTION_ACTIONS = [
  'DeploymentStarted',
  'DeploymentChallengerReady',
  'DeploymentTrafficShifted',
  'DeploymentStepPassed',
  'DeploymentPromoted',
  'ModelVersionStageChanged',
  'ModelAliasSet',
];

export interface DeploymentHarness {
  readonly template: CfnTemplate;
  readonly machine: LocalStateMachine;
  readonly cloudWatch: LocalCloudWatch;
  readonly cloudWatchUrl: string;
  readonly deps: DeploymentDeps;
  /** The registry the task Lambda is given, with what a test seeds and reads through it. */
  readonly registry: TestRegistry;
  /** Runs a template function by logical id (only the deployment task function is wired). */
  readonly invoke: (logicalId: string, payload: unknown) => Promise<unknown>;
  /**
   * Delivers an execution's end as Step Functions reports it on the default bus, through the
   * template's rules whose pattern matches it and whose target is the task function (the rollout
   * of a stopped, timed-out or failed execution is finished there). The answers of those targets.
   */
  executionEnded(execution: EndedExecution): Promise<unknown[]>;
  /** Sends per-variant metrics as SageMaker would (latency in microseconds). */
  sendMetrics(
    endpoint: string,
    variant: string,
    m: { invocations: number; errors5xx?: number; latencyMicros?: number },
  ): Promise<void>;
  /**
   * A model with v1 in Production as `champion` and v2..`versions` READY, each registered with
   * `artifact(n)` as its bytes (by default a few distinct bytes per version).
   */
  seedModel(name: string, versions?: number, artifact?: (version: number) => Uint8Array): Promise<void>;
  /** The route's execution input for a rollout of `version` (default 2) to the model's target. */
  plan(modelName: string, deploymentId: string, version?: number): RolloutInput;
  /**
   * Plans a rollout of `version` (default 2) to the model's target as the stack configures it
   * (backend, canary steps, bake, the watched alarms, an ECS model's services) and runs the
   * synthesized state machine to its end, no Wait state waiting.
   */
  runRollout(
    modelName: string,
    deploymentId: string,
    options?: {
      readonly version?: number;
      /** Fields the execution input carries besides the plan (e.g. `initialEndpointConfigName`). */
      readonly extra?: Readonly<Record<string, unknown>>;
    },
  ): Promise<RolloutState>;
  /** The model's audit trail, newest first. */
  audit(modelName: string): Promise<AuditRecord[]>;
  /** The model's audit actions, oldest first, from its first rollout on (seeding left out). */
  rolloutActions(modelName: string): Promise<string[]>;
  /** The weights of each traffic shift the model's rollouts recorded, oldest first. */
  trafficShifts(modelName: string): Promise<unknown[]>;
  close(): Promise<void>;
}

/**
 * The backend of each model chosen as the task Lambda chooses it (`backendsByTarget`), over targets
 * that say only what the choice reads: ECS with its services, or SageMaker.
 */
function harnessBackends(input: {
  endpoints: EndpointControl;
  ecs?: {
    clients: { ecs: ECSClient; elb: ElasticLoadBalancingV2Client };
    target: (m: string) => EcsServingTarget | undefined;
  };
  scaling?: EndpointScaling;
}): DeploymentDeps['backends'] {
  const sageMaker = new SageMakerVariantBackend(input.endpoints, input.scaling);
  const targets = {
    get: async (modelName: string) => {
      const ecs = input.ecs?.target(modelName);
      return ecs ? ({ backend: 'ecs', ecs } as DeploymentTarget) : undefined;
    },
  };
  return backendsByTarget(targets, {
    sagemaker: () => sageMaker,
    ecs: (_model, target) =>
      new EcsVariantBackend(
        new EcsServiceControl(input.ecs!.clients.ecs, input.ecs!.clients.elb, target!.ecs!),
      ),
  });
}

/** Synthesizes a serving stack for `models` and wires the executor over the given SageMaker port. */
export async function startDeploymentHarness(input: {
  models: ReadonlyArray<Partial<ModelEndpointConfig> & { modelName: string }>;
  dynamoDb: DynamoDBClient;
  s3: S3Client;
  endpoints: EndpointControl;
  /** The artifacts bucket (created when missing): the registry's artifacts and the packages. */
  bucket: string;
  /** @default - package URLs only (nothing is packaged) */
  packages?: ModelPackages;
  /**
   * Models served by ECS: the clients the ECS adapter calls and each such model's services.
   * @default - none (every model on SageMaker)
   */
  ecs?: {
    readonly clients: { readonly ecs: ECSClient; readonly elb: ElasticLoadBalancingV2Client };
    readonly target: (modelName: string) => EcsServingTarget | undefined;
  };
  /** SageMaker variant autoscaling, registered when a promotion ends. @default - none */
  scaling?: EndpointScaling;
}): Promise<DeploymentHarness> {
  // One-minute alarms on a single datapoint: a test's metrics decide the next alarm read.
  const { stack } = buildServingStack(input.models, { alarmEvaluationPeriods: 1, alarmDatapointsToAlarm: 1 });
  const template = Template.fromStack(stack).toJSON() as CfnTemplate;
  const cloudWatch = new LocalCloudWatch({ alarms: alarmsFromTemplate(template) });
  const cloudWatchUrl = await cloudWatch.listen();
  const cw = new CloudWatchClient({
    endpoint: cloudWatchUrl,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  const document = DynamoDBDocumentClient.from(input.dynamoDb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  await ensureBuckets(input.s3, [input.bucket]);
  const registry = testRegistry({ ...input, policy: PERMISSIVE_GOVERNANCE });
  const deps: DeploymentDeps = {
    backends: harnessBackends(input),
    alarms: new CloudWatchAlarmReader(cw),
    store: new DynamoDbDeploymentStore({
      client: document,
      deploymentsTable: 'Deployments',
      auditTable: 'Audit',
    }),
    registry,
    packages: input.packages ?? {
      ensurePackage: async ({ modelName, version }) =>
        `s3://${input.bucket}/${modelPackageKey(modelName, version)}`,
    },
    now: () => new Date(),
    newId: randomUUID,
  };
  const tasks = makeTaskHandler(deps);
  const tasksId = [...functionEntries(template)].find(
    ([, entry]) => entry === 'lambdas/deployment/tasks.ts',
  )?.[0];
  // Not the endpoint provider framework's waiter, the stack's other state machine.
  const machineId = [...stateMachineDefinitions(template).keys()].find((id) => id.startsWith('Deployment'))!;
  const invoke = async (id: string, payload: unknown) => {
    if (id !== tasksId) throw new Error(`unexpected function ${id}`);
    return tasks(payload as never);
  };
  const machine = new LocalStateMachine(template, machineId, invoke);
  /** The route's execution input for a rollout of `version` to the model's target as the stack configures it. */
  const plan = (modelName: string, deploymentId: string, version = 2) => {
    const model = input.models.find((m) => m.modelName === modelName);
    if (!model) throw new Error(`${modelName} is not a model of the harness's stack`);
    const backend = model.backend ?? 'sagemaker';
    const ecs = backend === 'ecs' ? input.ecs?.target(modelName) : undefined;
    return planRollout({
      deploymentId,
      modelName,
      version,
      target: {
        endpointName: endpointName('dev', modelName),
        backend,
        canarySteps: model.canarySteps ?? [5, 100],
        bakeMinutes: model.bakeMinutes ?? 2,
        alarmCheckSeconds: 60,
        alarmNames: watchedAlarmNames(endpointName('dev', modelName)),
        ...(ecs ? { ecs } : {}),
      },
      requestedBy: ALICE,
    });
  };
  // The rules on status changes that deliver to the task function, their pattern's machine
  // reference resolved to its ARN.
  const statusRules = resourcesOfType(template, 'AWS::Events::Rule')
    .map(([, rule]) => rule.Properties as { EventPattern: EventPattern; Targets: { Arn: unknown }[] })
    .filter((rule) =>
      rule.Targets.some((t) => JSON.stringify(t.Arn) === JSON.stringify({ 'Fn::GetAtt': [tasksId, 'Arn'] })),
    )
    .map(
      (rule) =>
        JSON.parse(
          JSON.stringify(rule.EventPattern).replaceAll(
            JSON.stringify({ Ref: machineId }),
            JSON.stringify(machine.arn),
          ),
        ) as EventPattern,
    );

  return {
    template,
    machine,
    cloudWatch,
    cloudWatchUrl,
    deps,
    registry,
    invoke,
    async executionEnded(execution) {
      const event = { source: 'aws.states', 'detail-type': EXECUTION_STATUS_CHANGE, detail: execution };
      return Promise.all(
        statusRules.filter((p) => matchesPattern(event, p)).map(() => tasks(event as never)),
      );
    },
    async sendMetrics(endpoint, variant, m) {
      const Dimensions = endpointMetricDimensions(endpoint, variant);
      await cw.send(
        new PutMetricDataCommand({
          Namespace: ENDPOINT_METRICS_NAMESPACE,
          MetricData: [
            { MetricName: 'Invocations', Dimensions, Value: m.invocations },
            { MetricName: 'Invocation5XXErrors', Dimensions, Value: m.errors5xx ?? 0 },
            ...(m.latencyMicros !== undefined
              ? [
                  {
                    MetricName: 'ModelLatency',
                    Dimensions,
                    Values: [m.latencyMicros],
                    Counts: [m.invocations],
                  },
                ]
              : []),
          ],
        }),
      );
    },
    async seedModel(name, versions = 2, artifact = (n) => new TextEncoder().encode(`${name} v${n}`)) {
      await registry.seedModel(name);
      for (let n = 1; n <= versions; n++) {
        await registry.registerArtifact(name, artifact(n), { metrics: { accuracy: 0.9 } });
      }
      await registry.seedStage(name, 1, 'Production');
      await registry.setAlias(name, CHAMPION_ALIAS, 1, { principal: ALICE });
    },
    plan,
    async runRollout(modelName, deploymentId, { version = 2, extra = {} } = {}) {
      const rollout = plan(modelName, deploymentId, version);
      return (await machine.run({ ...rollout, ...extra }, { waitMs: 0 })) as RolloutState;
    },
    audit: (modelName) => registry.audit(modelName),
    async trafficShifts(modelName) {
      const shifts = (await registry.audit(modelName)).filter((a) => a.action === 'DeploymentTrafficShifted');
      return shifts.map((a) => (a.after as { weights: unknown }).weights).reverse();
    },
    async rolloutActions(modelName) {
      const actions = await registry.auditActions(modelName);
      const first = actions.findIndex((a) => a.startsWith('Deployment'));
      return first < 0 ? [] : actions.slice(first);
    },
    close: async () => {
      cw.destroy();
      await cloudWatch.close();
    },
  };
}
