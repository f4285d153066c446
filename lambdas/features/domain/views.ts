/**
 * Feature view lifecycle: create, evolve (schema evolution decides), delete, each with an audit
 * record that the outbox publishes as a `cdk-mlops.features` event.
 */
import {
  FeaturesEvent,
  type FeaturesEventType,
  type FeatureViewAuditRecord,
} from '../../../contracts/events';
import type {
  CreateFeatureViewRequest,
  FeatureView,
  UpdateFeatureViewRequest,
} from '../../../contracts/features';
import { answerOnCommit } from '../../shared/effect-scope';
import { FeatureViewNotFoundError } from './errors';
import type { Actor, FeatureStoreDeps, Page } from './ports';
import { evolveFeatureView, newFeatureView } from './schema-evolution';

type Deps = Pick<FeatureStoreDeps, 'views' | 'now' | 'newId'>;

function audit(
  deps: Deps,
  actor: Actor,
  at: string,
  change: {
    action: FeaturesEventType;
    featureView: string;
    version?: number;
    before?: unknown;
    after?: unknown;
  },
): FeatureViewAuditRecord {
  return {
    id: deps.newId(),
    at,
    actor: actor.principal,
    ...(actor.requestId ? { requestId: actor.requestId } : {}),
    ...change,
  };
}

/** Creates version 1 of a view. @throws FeatureViewAlreadyExistsError */
export async function createFeatureView(
  deps: Deps,
  actor: Actor,
  request: CreateFeatureViewRequest,
): Promise<FeatureView> {
  const at = deps.now().toISOString();
  const view = newFeatureView(request, at);
  answerOnCommit(view);
  await deps.views.create(
    view,
    audit(deps, actor, at, {
      action: FeaturesEvent.FEATURE_VIEW_CREATED,
      featureView: view.name,
      version: 1,
      after: view,
    }),
  );
  return view;
}

/** @throws FeatureViewNotFoundError */
export async function getFeatureView(deps: Pick<Deps, 'views'>, name: string): Promise<FeatureView> {
  const view = await deps.views.get(name);
  if (!view) throw new FeatureViewNotFoundError(name);
  return view;
}

export function listFeatureViews(
  deps: Pick<Deps, 'views'>,
  page: { limit: number; nextToken?: string },
): Promise<Page<FeatureView>> {
  return deps.views.list(page);
}

/**
 * Applies a new definition: compatible changes make the next version, a repeat of the current
 * definition changes nothing, incompatible ones are refused with every reason.
 * @throws FeatureViewNotFoundError, FeatureViewVersionConflictError, IncompatibleSchemaChangeError
 */
export async function updateFeatureView(
  deps: Deps,
  actor: Actor,
  name: string,
  request: UpdateFeatureViewRequest,
): Promise<FeatureView> {
  const current = await getFeatureView(deps, name);
  const at = deps.now().toISOString();
  const { view, changes, changed } = evolveFeatureView(current, request, at);
  if (!changed) return current;
  answerOnCommit(view);
  await deps.views.update(
    view,
    current.version,
    audit(deps, actor, at, {
      action: FeaturesEvent.FEATURE_VIEW_UPDATED,
      featureView: name,
      version: view.version,
      before: current,
      after: { ...view, changes },
    }),
  );
  return view;
}

/**
 * Deletes a view's definition and its online items. Offline Parquet files stay: they are
 * history, and a training set of an old model may need to be rebuilt from them.
 * @throws FeatureViewNotFoundError
 */
export async function deleteFeatureView(
  deps: Deps & Pick<FeatureStoreDeps, 'online'>,
  actor: Actor,
  name: string,
): Promise<void> {
  const current = await getFeatureView(deps, name);
  const at = deps.now().toISOString();
  answerOnCommit(undefined);
  await deps.views.delete(
    name,
    current.version,
    audit(deps, actor, at, {
      action: FeaturesEvent.FEATURE_VIEW_DELETED,
      featureView: name,
      version: current.version,
      before: current,
    }),
  );
  await deps.online.deleteView?.(name);
}
