/**
 * An in-memory ECS and ELBv2 answering the real SDK clients (through aws-sdk-client-mock), so the
 * rollout's ECS adapter runs unchanged. Semantics the rollout depends on: RegisterTaskDefinition
 * adds a revision to the family; DescribeTaskDefinition by family gives the latest ACTIVE one;
 * UpdateService starts a PRIMARY deployment (IN_PROGRESS for a few DescribeServices, then
 * COMPLETED, the old deployment gone), or only sets the desired count; a revision whose package is
 * in `failingPackages` trips the circuit breaker (FAILED, and a rollback deployment of the last
 * completed revision becomes PRIMARY); CreateService and DeleteService (ACTIVE, then INACTIVE);
 * the listener's forward action holds the target groups' weights.
 */
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type TaskDefinition,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { ECS_MODEL_FETCH, type EcsServingTarget } from '../../contracts/deployment';

const ARN = 'arn:aws:ecs:us-east-1:123456789012';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

interface Deployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: string;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason?: string;
  pendingPolls: number;
}

/** A task definition like the stack's: the fetch sidecar with the package URL, then Triton. */
export function taskDefinitionInput(family: string, modelDataUrl: string) {
  return {
    family,
    taskRoleArn: `arn:aws:iam::123456789012:role/${family}-task`,
    executionRoleArn: `arn:aws:iam::123456789012:role/${family}-execution`,
    networkMode: 'awsvpc' as const,
    volumes: [{ name: 'model' }],
    containerDefinitions: [
      {
        name: ECS_MODEL_FETCH.containerName,
        image: 'public.ecr.aws/aws-cli/aws-cli:2.22.35',
        essential: false,
        environment: [{ name: ECS_MODEL_FETCH.modelDataUrlVariable, value: modelDataUrl }],
      },
      { name: 'Triton', image: 'triton:24.09-py3', essential: true, environment: [] },
    ],
  };
}

export class FakeEcs {
  readonly taskDefinitions = new Map<string, TaskDefinition>();
  readonly services = new Map<
    string,
    { deployments: Deployment[]; lastCompleted: string; desiredCount: number; status: string }
  >();
  /** Every CreateService and UpdateService input, in order. */
  readonly serviceCalls: Array<Record<string, unknown>> = [];
  readonly listeners = new Map<string, { TargetGroupArn: string; Weight: number }[]>();
  /** Packages whose tasks never pass the health check. */
  readonly failingPackages = new Set<string>();
  /** Called after every listener change, e.g. to send the metrics the variants produce. */
  onWeights: (listenerArn: string, weights: Record<string, number>) => Promise<void> | void = () => undefined;
  readonly ecs = new ECSClient({ region: 'us-east-1', credentials: CREDENTIALS });
  readonly elb = new ElasticLoadBalancingV2Client({ region: 'us-east-1', credentials: CREDENTIALS });
  private deploymentIds = 0;

  constructor() {
    const ecs = mockClient(this.ecs);
    ecs.on(RegisterTaskDefinitionCommand).callsFake((input) => ({ taskDefinition: this.register(input) }));
    ecs.on(DescribeTaskDefinitionCommand).callsFake(({ taskDefinition }) => ({
      taskDefinition: this.describeTaskDefinition(taskDefinition),
    }));
    ecs.on(DeregisterTaskDefinitionCommand).callsFake(({ taskDefinition }) => {
      const td = this.taskDefinitions.get(taskDefinition)!;
      td.status = 'INACTIVE';
      return { taskDefinition: td };
    });
    ecs.on(UpdateServiceCommand).callsFake((input) => {
      this.serviceCalls.push({ call: 'UpdateService', ...input });
      return this.updateService(input.service, input.taskDefinition, input.desiredCount);
    });
    ecs.on(CreateServiceCommand).callsFake((input) => {
      this.serviceCalls.push({ call: 'CreateService', ...input });
      const existing = this.services.get(input.serviceName);
      if (existing?.status === 'ACTIVE')
        throw Object.assign(new Error('Creation of service was not idempotent.'), {
          name: 'InvalidParameterException',
        });
      if (!this.taskDefinitions.has(input.taskDefinition))
        throw Object.assign(new Error('TaskDefinition not found.'), { name: 'ClientException' });
      this.services.set(input.serviceName, {
        status: 'ACTIVE',
        desiredCount: input.desiredCount,
        lastCompleted: input.taskDefinition,
        deployments: [this.deployment('PRIMARY', input.taskDefinition, 'IN_PROGRESS')],
      });
      return { service: { serviceName: input.serviceName } };
    });
    ecs.on(DeleteServiceCommand).callsFake(({ service }) => {
      const found = this.services.get(service);
      if (found?.status !== 'ACTIVE')
        throw Object.assign(new Error('Service not found.'), { name: 'ServiceNotFoundException' });
      found.status = 'INACTIVE';
      found.desiredCount = 0;
      return {};
    });
    ecs.on(DescribeServicesCommand).callsFake(({ services }) => ({
      services: services
        .filter((s: string) => this.services.has(s))
        .map((s: string) => this.describeService(s)),
    }));
    const elb = mockClient(this.elb);
    elb.on(DescribeListenersCommand).callsFake(({ ListenerArns }) => ({
      Listeners: ListenerArns.map((arn: string) => ({
        ListenerArn: arn,
        DefaultActions: [
          { Type: 'forward', ForwardConfig: { TargetGroups: structuredClone(this.listeners.get(arn)) } },
        ],
      })),
    }));
    elb.on(ModifyListenerCommand).callsFake(async ({ ListenerArn, DefaultActions }) => {
      const groups = DefaultActions[0].ForwardConfig.TargetGroups;
      this.listeners.set(ListenerArn, structuredClone(groups));
      await this.onWeights(
        ListenerArn,
        Object.fromEntries(
          groups.map((g: { TargetGroupArn: string; Weight: number }) => [g.TargetGroupArn, g.Weight]),
        ),
      );
      return {};
    });
  }

  /** An endpoint whose two services run `modelDataUrl` (champion 100, challenger 0), steady. */
  seed(endpointName: string, modelDataUrl: string): EcsServingTarget {
    const family = (v: string) => `${endpointName}-${v}`;
    const champion = this.register(taskDefinitionInput(family('champion'), modelDataUrl)).taskDefinitionArn!;
    const challenger = this.register(taskDefinitionInput(family('challenger'), modelDataUrl))
      .taskDefinitionArn!;
    for (const [name, td] of [
      [`${endpointName}-champion`, champion],
      [`${endpointName}-challenger`, challenger],
    ]) {
      this.services.set(name, {
        status: 'ACTIVE',
        // One variant at rest: the challenger service runs no task.
        desiredCount: name.endsWith('-champion') ? 1 : 0,
        lastCompleted: td,
        deployments: [this.deployment('PRIMARY', td, 'COMPLETED')],
      });
    }
    const target: EcsServingTarget = {
      cluster: `${endpointName}-cluster`,
      services: { champion: `${endpointName}-champion`, challenger: `${endpointName}-challenger` },
      listenerArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/${endpointName}/1/1`,
      targetGroupArns: {
        champion: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${endpointName}-c/1`,
        challenger: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${endpointName}-h/1`,
      },
      taskDefinitionFamilies: { champion: family('champion'), challenger: family('challenger') },
      initialTaskDefinitionArns: { champion, challenger },
    };
    this.listeners.set(target.listenerArn, [
      { TargetGroupArn: target.targetGroupArns.champion, Weight: 100 },
      { TargetGroupArn: target.targetGroupArns.challenger, Weight: 0 },
    ]);
    return target;
  }

  /** The package URL the PRIMARY deployment of each service that runs tasks serves. */
  servicePackages(target: EcsServingTarget): { champion?: string; challenger?: string } {
    const served: { champion?: string; challenger?: string } = {};
    for (const variant of ['champion', 'challenger'] as const) {
      const service = this.services.get(target.services[variant])!;
      if (service.desiredCount === 0) continue;
      served[variant] = this.modelDataUrl(
        service.deployments.find((d) => d.status === 'PRIMARY')!.taskDefinition,
      );
    }
    return served;
  }

  /** Current weights by variant. */
  weights(target: EcsServingTarget): { champion: number; challenger: number } {
    const groups = this.listeners.get(target.listenerArn)!;
    const of = (arn: string) => groups.find((g) => g.TargetGroupArn === arn)!.Weight;
    return {
      champion: of(target.targetGroupArns.champion),
      challenger: of(target.targetGroupArns.challenger),
    };
  }

  /** ACTIVE revisions of a family. */
  activeRevisions(family: string): string[] {
    return [...this.taskDefinitions.values()]
      .filter((td) => td.family === family && td.status === 'ACTIVE')
      .map((td) => td.taskDefinitionArn!);
  }

  modelDataUrl(arn: string): string {
    return this.taskDefinitions
      .get(arn)!
      .containerDefinitions!.find((c) => c.name === ECS_MODEL_FETCH.containerName)!
      .environment!.find((e) => e.name === ECS_MODEL_FETCH.modelDataUrlVariable)!.value!;
  }

  private register(input: ReturnType<typeof taskDefinitionInput>): TaskDefinition {
    const revision = this.revisionCount(input.family) + 1;
    const taskDefinitionArn = `${ARN}:task-definition/${input.family}:${revision}`;
    const td: TaskDefinition = { ...structuredClone(input), taskDefinitionArn, revision, status: 'ACTIVE' };
    this.taskDefinitions.set(taskDefinitionArn, td);
    return structuredClone(td);
  }

  private revisionCount(family: string): number {
    return [...this.taskDefinitions.values()].filter((td) => td.family === family).length;
  }

  private describeTaskDefinition(ref: string): TaskDefinition {
    const td =
      this.taskDefinitions.get(ref) ??
      [...this.taskDefinitions.values()].filter((t) => t.family === ref && t.status === 'ACTIVE').at(-1);
    if (!td)
      throw Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException' });
    return structuredClone(td);
  }

  private deployment(
    status: Deployment['status'],
    taskDefinition: string,
    rolloutState: Deployment['rolloutState'],
  ) {
    return { id: `ecs-svc/${++this.deploymentIds}`, status, taskDefinition, rolloutState, pendingPolls: 2 };
  }

  private updateService(name: string, taskDefinition?: string, desiredCount?: number) {
    const service = this.services.get(name);
    if (service?.status !== 'ACTIVE')
      throw Object.assign(new Error('Service not found.'), { name: 'ServiceNotFoundException' });
    if (desiredCount !== undefined) service.desiredCount = desiredCount;
    if (taskDefinition === undefined) return {};
    if (!this.taskDefinitions.has(taskDefinition))
      throw Object.assign(new Error('TaskDefinition not found.'), { name: 'ClientException' });
    for (const d of service.deployments) d.status = 'ACTIVE';
    service.deployments.unshift(this.deployment('PRIMARY', taskDefinition, 'IN_PROGRESS'));
    return {};
  }

  private describeService(name: string) {
    const service = this.services.get(name)!;
    const primary = service.deployments[0];
    if (primary.rolloutState === 'IN_PROGRESS' && --primary.pendingPolls <= 0) {
      if (this.failingPackages.has(this.modelDataUrl(primary.taskDefinition))) {
        // The circuit breaker fails the deployment and rolls back to the last completed one.
        primary.status = 'ACTIVE';
        primary.rolloutState = 'FAILED';
        primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
        service.deployments = [this.deployment('PRIMARY', service.lastCompleted, 'COMPLETED'), primary];
      } else {
        primary.rolloutState = 'COMPLETED';
        service.lastCompleted = primary.taskDefinition;
        service.deployments = [primary];
      }
    }
    return {
      serviceName: name,
      status: service.status,
      desiredCount: service.desiredCount,
      taskDefinition: service.deployments[0].taskDefinition,
      deployments: service.deployments.map((d) => ({
        id: d.id,
        status: d.status,
        taskDefinition: d.taskDefinition,
        rolloutState: d.rolloutState,
        ...(d.rolloutStateReason ? { rolloutStateReason: d.rolloutStateReason } : {}),
        desiredCount: service.desiredCount,
        runningCount: d.rolloutState === 'COMPLETED' && d.status === 'PRIMARY' ? service.desiredCount : 0,
      })),
    };
  }
}
