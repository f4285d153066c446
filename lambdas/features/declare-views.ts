/**
 * The CloudFormation custom resource that makes `cdk deploy` create or evolve the feature views
 * declared in `mlops:featureViews`, through the same domain code as the API (so an incompatible
 * change fails the deployment with the same reasons a PUT would get). Deleting the resource
 * keeps the views: their data outlives a stack update that drops a declaration.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { DeclaredFeatureViews } from '../../contracts/features';
import { storesFromEnv } from './deps';
import type { Actor, FeatureStoreDeps } from './domain/ports';
import { createFeatureView, updateFeatureView } from './domain/views';

const ACTOR: Actor = { principal: 'cloudformation:mlops:featureViews' };

/** Creates missing views and applies changed definitions; returns what happened per view. */
export async function declareViews(deps: Pick<FeatureStoreDeps, 'views' | 'now' | 'newId'>, raw: unknown) {
  const declared = DeclaredFeatureViews.parse(raw);
  const outcome: Record<string, string> = {};
  for (const { materializeEveryMinutes: _schedule, name, ...spec } of declared) {
    const current = await deps.views.get(name);
    if (!current) {
      await createFeatureView(deps, ACTOR, { name, ...spec });
      outcome[name] = 'created v1';
    } else {
      const next = await updateFeatureView(deps, ACTOR, name, spec);
      outcome[name] =
        next.version === current.version ? `unchanged v${current.version}` : `updated v${next.version}`;
    }
  }
  return outcome;
}

export const handler = async (event: CloudFormationCustomResourceEvent): Promise<void> => {
  const physicalId = 'PhysicalResourceId' in event ? event.PhysicalResourceId : 'mlops-feature-views';
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason = 'feature views are kept on delete';
  let data: Record<string, string> = {};
  if (event.RequestType !== 'Delete') {
    try {
      data = await declareViews(storesFromEnv(), JSON.parse(String(event.ResourceProperties.views)));
      reason = JSON.stringify(data).slice(0, 1000);
    } catch (err) {
      status = 'FAILED';
      reason = (err as Error).message.slice(0, 1000);
    }
  }
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  // The pre-signed URL expects no content type (it is part of the signature).
  await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
};
