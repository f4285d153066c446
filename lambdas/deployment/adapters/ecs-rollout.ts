/**
 * Pure rollout decisions for endpoints served by ECS: whether a service deployment finished, and
 * what a service runs when it is steady. No I/O: the ECS backend feeds these with what the services
 * port reads.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html
 */
import type { Progress } from '../domain/rollout';
import type { ServiceDeployment, ServiceState } from './ecs-services';

const primaryOf = (service: ServiceState): ServiceDeployment | undefined =>
  service.deployments.find((d) => d.status === 'PRIMARY');

/**
 * Steady: the PRIMARY deployment reached its desired count (`rolloutState` COMPLETED with the
 * circuit breaker on) and no older deployment still runs tasks.
 */
function isSteady(service: ServiceState, primary: ServiceDeployment): boolean {
  const completed =
    primary.rolloutState === undefined
      ? primary.runningCount === primary.desiredCount
      : primary.rolloutState === 'COMPLETED';
  return completed && service.deployments.every((d) => d === primary || d.runningCount === 0);
}

/** The task definition a steady service runs; `undefined` while it deploys (or is gone). */
export function steadyTaskDefinition(service: ServiceState | undefined): string | undefined {
  if (service?.status !== 'ACTIVE') return undefined;
  const primary = primaryOf(service);
  return primary && isSteady(service, primary) ? primary.taskDefinition : undefined;
}

/** The task definition a service is deploying or runs (its PRIMARY deployment's). */
export const primaryTaskDefinition = (service: ServiceState | undefined): string | undefined =>
  service ? primaryOf(service)?.taskDefinition : undefined;

/**
 * Whether a service deployment of `expected` finished. With the deployment circuit breaker and
 * rollback on, a failed deployment goes FAILED and ECS starts a new PRIMARY deployment of the last
 * completed task definition, so "PRIMARY is steady" alone is not success: it must run `expected`.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
 */
export function serviceProgress(
  service: ServiceState | undefined,
  expected: string,
  polls: number,
  maxPolls: number,
): { progress: Progress; reason?: string } {
  if (!service) return { progress: 'FAILED', reason: 'the service does not exist' };
  if (service.status !== 'ACTIVE') return { progress: 'FAILED', reason: `the service is ${service.status}` };
  const failed = service.deployments.find(
    (d) => d.taskDefinition === expected && d.rolloutState === 'FAILED',
  );
  if (failed) {
    return {
      progress: 'FAILED',
      reason: `deployment of ${expected} failed: ${failed.rolloutStateReason ?? 'no reason given'}`,
    };
  }
  const primary = primaryOf(service);
  if (!primary || primary.taskDefinition !== expected) {
    return {
      progress: 'FAILED',
      reason: `update to ${expected} did not take: the service runs ${primary?.taskDefinition ?? 'nothing'}`,
    };
  }
  if (isSteady(service, primary)) return { progress: 'READY' };
  if (polls >= maxPolls) {
    return { progress: 'FAILED', reason: `the service still deploys ${expected} after ${polls} checks` };
  }
  return { progress: 'WAITING' };
}

/** Both results of a two-service poll as one: FAILED wins, then WAITING. */
export function bothProgress(
  a: { progress: Progress; reason?: string },
  b: { progress: Progress; reason?: string },
): { progress: Progress; reason?: string } {
  for (const p of ['FAILED', 'WAITING'] as const) {
    const found = [a, b].find((r) => r.progress === p);
    if (found) return found;
  }
  return { progress: 'READY' };
}
