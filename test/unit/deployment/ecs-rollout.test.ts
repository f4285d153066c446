import {
  bothProgress,
  serviceProgress,
  steadyTaskDefinition,
} from '../../../lambdas/deployment/adapters/ecs-rollout';
import type { ServiceDeployment, ServiceState } from '../../../lambdas/deployment/adapters/ecs-services';

const OLD = 'arn:aws:ecs:us-east-1:1:task-definition/mlops-churn-challenger:1';
const NEW = 'arn:aws:ecs:us-east-1:1:task-definition/mlops-churn-challenger:2';

const deployment = (d: Partial<ServiceDeployment>): ServiceDeployment => ({
  status: 'PRIMARY',
  taskDefinition: NEW,
  rolloutState: 'COMPLETED',
  desiredCount: 1,
  runningCount: 1,
  ...d,
});
const service = (...deployments: ServiceDeployment[]): ServiceState => ({
  status: 'ACTIVE',
  desiredCount: 1,
  deployments,
});

describe('serviceProgress', () => {
  it('is READY once the PRIMARY deployment of the expected revision completed and the old one drained', () => {
    // Prepare
    const steady = service(
      deployment({}),
      deployment({ status: 'ACTIVE', taskDefinition: OLD, runningCount: 0 }),
    );
    // Act & Assess
    expect(serviceProgress(steady, NEW, 1, 10)).toEqual({ progress: 'READY' });
  });

  it.each([
    ['in progress', service(deployment({ rolloutState: 'IN_PROGRESS', runningCount: 0 }))],
    [
      'completed while old tasks still run',
      service(deployment({}), deployment({ status: 'ACTIVE', taskDefinition: OLD, runningCount: 1 })),
    ],
  ])('is WAITING while %s', (_what, state) => {
    expect(serviceProgress(state, NEW, 1, 10)).toEqual({ progress: 'WAITING' });
  });

  it('fails when the circuit breaker failed the deployment, with its reason', () => {
    // Prepare: ECS rolled back: the old revision is PRIMARY again, the new one FAILED
    const rolledBack = service(
      deployment({ taskDefinition: OLD }),
      deployment({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' }),
    );
    // Act
    const found = serviceProgress(rolledBack, NEW, 3, 10);
    // Assess
    expect(found).toEqual({
      progress: 'FAILED',
      reason: `deployment of ${NEW} failed: tasks failed to start`,
    });
  });

  it('fails when the service runs another revision (the update did not take)', () => {
    expect(serviceProgress(service(deployment({ taskDefinition: OLD })), NEW, 1, 10)).toMatchObject({
      progress: 'FAILED',
      reason: expect.stringContaining(`did not take: the service runs ${OLD}`),
    });
  });

  it('fails after the last poll, and for a missing or draining service', () => {
    expect(serviceProgress(service(deployment({ rolloutState: 'IN_PROGRESS' })), NEW, 10, 10).progress).toBe(
      'FAILED',
    );
    expect(serviceProgress(undefined, NEW, 1, 10).progress).toBe('FAILED');
    expect(
      serviceProgress({ status: 'DRAINING', desiredCount: 0, deployments: [] }, NEW, 1, 10).progress,
    ).toBe('FAILED');
  });
});

describe('steadyTaskDefinition', () => {
  it('gives the revision of a steady service and nothing while it deploys', () => {
    expect(steadyTaskDefinition(service(deployment({})))).toBe(NEW);
    expect(steadyTaskDefinition(service(deployment({ rolloutState: 'IN_PROGRESS' })))).toBeUndefined();
    expect(steadyTaskDefinition(undefined)).toBeUndefined();
  });
});

describe('bothProgress', () => {
  it.each([
    ['READY', 'READY', 'READY'],
    ['READY', 'WAITING', 'WAITING'],
    ['WAITING', 'FAILED', 'FAILED'],
  ] as const)('%s and %s is %s', (a, b, expected) => {
    expect(bothProgress({ progress: a }, { progress: b }).progress).toBe(expected);
  });
});
