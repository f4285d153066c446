/** `isComplete` of the endpoint custom resource (see `endpoint-resource.ts`). */

import { type EndpointResourceData, type EndpointResourceEvent, makeIsComplete } from './endpoint-resource';
import { endpointResourceDeps } from './resource-deps';

let isComplete: ReturnType<typeof makeIsComplete> | undefined;

export const handler = async (event: EndpointResourceEvent & { Data?: EndpointResourceData }) => {
  isComplete ??= makeIsComplete(endpointResourceDeps());
  return isComplete(event);
};
