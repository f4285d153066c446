/**
 * The inventory routes: a model's rollouts newest first, and every configured endpoint as it
 * serves now (the backend's own view: status, variants with version, weight and instance count)
 * with the rollout holding its lock, if any. Endpoints are paged in model-name order, so a page
 * costs one backend read per endpoint on it, not per configured endpoint.
 */
import type {
  Deployment,
  DeploymentTarget,
  EndpointSummary,
  EndpointVariantSummary,
  RunningRollout,
  ServingBackend,
} from '../../../contracts/deployment';
import { STACK_UPDATE_LOCK_PREFIX } from '../../../contracts/deployment';
import { BadRequestError } from '../../shared/errors';
import type { DeploymentStore, Page, PageRequest } from './ports';
import type { DeploymentTargetSource } from './targets';

/** What serves one endpoint now; `undefined` while the endpoint does not exist. */
export interface EndpointView {
  readonly status: string;
  readonly variants: readonly EndpointVariantSummary[];
}

/** Reads an endpoint from its backend (SageMaker or ECS, by the target's kind). */
export type EndpointDescriber = (
  modelName: string,
  target: DeploymentTarget,
) => Promise<EndpointView | undefined>;

export interface InventoryDeps {
  readonly targets: DeploymentTargetSource;
  readonly store: DeploymentStore;
  readonly describeEndpoint: EndpointDescriber;
}

/** The model's rollouts, newest first. */
export function listDeployments(
  deps: Pick<InventoryDeps, 'store'>,
  modelName: string,
  page: PageRequest,
): Promise<Page<Deployment>> {
  return deps.store.listDeployments(modelName, page);
}

/** A page of configured endpoints in model-name order; `nextToken` is the last model's name. */
export async function listEndpoints(deps: InventoryDeps, page: PageRequest): Promise<Page<EndpointSummary>> {
  const all = await deps.targets.list();
  // A prompt's or an LLM endpoint's model rollout target names an LLM endpoint: no model endpoint.
  const targets = Object.fromEntries(
    Object.entries(all).filter(
      (e): e is [string, ServedTarget] => e[1].backend === 'sagemaker' || e[1].backend === 'ecs',
    ),
  );
  const after = page.nextToken === undefined ? undefined : modelAfter(page.nextToken);
  const names = Object.keys(targets)
    .sort()
    .filter((m) => after === undefined || m > after);
  const onPage = names.slice(0, page.limit);
  const items = await Promise.all(onPage.map((m) => summary(deps, m, targets[m])));
  const more = names.length > onPage.length;
  return { items, ...(more ? { nextToken: tokenAfter(onPage[onPage.length - 1]) } : {}) };
}

/** A target a serving backend serves. */
type ServedTarget = DeploymentTarget & { readonly backend: ServingBackend };

async function summary(
  deps: InventoryDeps,
  modelName: string,
  target: ServedTarget,
): Promise<EndpointSummary> {
  const [view, rollout] = await Promise.all([
    deps.describeEndpoint(modelName, target),
    runningRollout(deps.store, modelName),
  ]);
  return {
    modelName,
    endpointName: target.endpointName,
    backend: target.backend,
    status: view?.status ?? 'NotCreated',
    variants: [...(view?.variants ?? [])],
    ...(rollout ? { rollout } : {}),
  };
}

async function runningRollout(
  store: DeploymentStore,
  modelName: string,
): Promise<RunningRollout | undefined> {
  const holder = await store.lockHolder(modelName);
  // A stack deploy updating the endpoint holds the lock too; that is no rollout.
  if (!holder || holder.startsWith(STACK_UPDATE_LOCK_PREFIX)) return undefined;
  const d = await store.getDeployment(modelName, holder);
  if (d?.status !== 'RUNNING') return undefined;
  return {
    deploymentId: d.deploymentId,
    version: d.version,
    phase: d.phase,
    ...(d.weights ? { weights: d.weights } : {}),
  };
}

const tokenAfter = (modelName: string) =>
  Buffer.from(JSON.stringify({ after: modelName })).toString('base64url');

function modelAfter(token: string): string {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof value?.after === 'string') return value.after;
  } catch {
    // fall through to the error below
  }
  throw new BadRequestError('INVALID_PAGE_TOKEN', 'nextToken is not a token this API issued');
}
