/** `onEvent` of the ECS services custom resource (see `ecs-services-resource.ts`). */

import { type EcsServicesResourceEvent, makeOnEvent } from './ecs-services-resource';
import { ecsServicesResourceDeps } from './resource-deps';

let onEvent: ReturnType<typeof makeOnEvent> | undefined;

export const handler = async (event: EcsServicesResourceEvent) => {
  onEvent ??= makeOnEvent(ecsServicesResourceDeps());
  return onEvent(event);
};
