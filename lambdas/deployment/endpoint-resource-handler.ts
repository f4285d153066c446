/** `onEvent` of the endpoint custom resource (see `endpoint-resource.ts`). */

import { type EndpointResourceEvent, makeOnEvent } from './endpoint-resource';
import { endpointResourceDeps } from './resource-deps';

let onEvent: ReturnType<typeof makeOnEvent> | undefined;

export const handler = async (event: EndpointResourceEvent) => {
  onEvent ??= makeOnEvent(endpointResourceDeps());
  return onEvent(event);
};
