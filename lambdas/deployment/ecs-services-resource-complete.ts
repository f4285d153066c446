/** `isComplete` of the ECS services custom resource (see `ecs-services-resource.ts`). */

import {
  type EcsServicesResourceData,
  type EcsServicesResourceEvent,
  makeIsComplete,
} from './ecs-services-resource';
import { ecsServicesResourceDeps } from './resource-deps';

let isComplete: ReturnType<typeof makeIsComplete> | undefined;

export const handler = async (event: EcsServicesResourceEvent & { Data?: EcsServicesResourceData }) => {
  isComplete ??= makeIsComplete(ecsServicesResourceDeps());
  return isComplete(event);
};
