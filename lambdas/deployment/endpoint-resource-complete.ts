/** `isComplete` of the endpoint custom resource (see `endpoint-resource.ts`). */
import { endpointResourceDeps } from './deps';
import { type EndpointResourceData, type EndpointResourceEvent, makeIsComplete } from './endpoint-resource';

let isComplete: ReturnType<typeof makeIsComplete> | undefined;

export const handler = async (event: EndpointResourceEvent & { Data?: EndpointResourceData }) => {
  isComplete ??= makeIsComplete(endpointResourceDeps());
  return isComplete(event);
};
