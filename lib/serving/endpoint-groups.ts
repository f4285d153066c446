/**
 * How model endpoints are spread over nested stacks: in config order, as many per stack as fit a
 * resource budget, so 150 endpoints are 8 stacks of some 250 resources, never one of 1,800.
 */
import type { ModelEndpointConfig } from '../../contracts/deployment';

/**
 * Resources one endpoint adds to its stack, as measured on the synthesized templates: a
 * SageMaker endpoint is its model, config, custom resource, scaling target and policies and
 * canary alarms, with its request-rate, CPU, GPU and GPU memory alarms and its dashboard
 * (`lib/observability/`);
 * an ECS endpoint adds its own VPC, cluster, GPU Auto Scaling group, load balancer and service,
 * the request-rate alarm and the dashboard.
 */
export const ENDPOINT_RESOURCES = { sagemaker: 17, ecs: 117 } as const;

/**
 * Resources one endpoint stack may hold for its endpoints: with the stack's endpoint provider
 * (about 25 resources) a full stack stays near 275, well under 500 and under the 400 the tests
 * hold every template to.
 */
export const ENDPOINT_STACK_BUDGET = 250;

/**
 * Endpoints in config order, cut into groups of at most `ENDPOINT_STACK_BUDGET` resources; an
 * endpoint over the budget alone still gets a group. Appending endpoints never moves an existing
 * one; removing or reordering moves the ones after it (and so replaces them).
 */
export function groupEndpoints<T extends Pick<ModelEndpointConfig, 'backend'>>(
  endpoints: readonly T[],
  budget: number = ENDPOINT_STACK_BUDGET,
): T[][] {
  const groups: T[][] = [];
  let used = budget;
  for (const e of endpoints) {
    const cost = ENDPOINT_RESOURCES[e.backend];
    if (used + cost > budget) {
      groups.push([]);
      used = 0;
    }
    groups[groups.length - 1].push(e);
    used += cost;
  }
  return groups;
}
