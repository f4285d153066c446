/** `isComplete` of the ECS services custom resource (see `ecs-services-resource.ts`). */
import { ecsServicesResourceDeps } from './deps';
import {
  type EcsServicesResourceData,
  type EcsServicesResourceEvent,
  makeIsComplete,
} from './ecs-services-resource';

let isComplete: ReturnType<typeof makeIsComplete> | undefined;

export const handler = async (event: EcsServicesResourceEvent & { Data?: EcsServicesResourceData }) => {
  isComplete ??= makeIsComplete(ecsServicesResourceDeps());
  return isComplete(event);
};
