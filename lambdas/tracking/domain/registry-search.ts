/**
 * MLflow's registry searches over the platform's registry: registered models by name and tags,
 * model versions by name, number, run, source and tags, and the latest version per stage. The
 * registry is listed page by page (one app holds about 150 models), then filtered, ordered and
 * paged with MLflow's grammar, as the run search is.
 */
import type * as z from 'zod';
import type { Model, ModelVersion, Stage } from '../../../contracts/registry';
import {
  type MlflowModelVersion,
  type MlflowRegisteredModel,
  MODEL_VERSION_SEARCH_LIMITS,
  REGISTERED_MODEL_SEARCH_LIMITS,
  type SearchModelVersionsRequest,
  type SearchRegisteredModelsRequest,
} from '../../../contracts/tracking-registry';
import { ModelNotFoundError } from '../../shared/errors';
import { parseFilter } from './filter';
import type { ModelRegistry, RegistryPage, TrackingDeps } from './ports';
import { modelVersionView, registeredModelView, registryOf } from './registry-mapping';
import { type SearchSpec, searchWith, type Value } from './run-search';

/** A search reply stays well inside Lambda's 6 MB response payload. */
const MAX_REPLY_BYTES = 5_000_000;

async function all<T>(
  list: (page: RegistryPage) => Promise<{ items: T[]; nextToken?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await list({ limit: 100, ...(nextToken ? { nextToken } : {}) });
    items.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return items;
}

const millis = (iso: string) => Date.parse(iso);

const MODEL_SEARCH: SearchSpec<Model> = {
  attributes: {
    name: 'string',
    creation_timestamp: 'number',
    last_updated_timestamp: 'number',
    timestamp: 'number',
  },
  entities: ['tag', 'attribute'],
  valueOf: (m, entity, key): Value => {
    if (entity === 'tag') return Object.hasOwn(m.tags, key) ? m.tags[key] : undefined;
    if (key === 'name') return m.name;
    return key === 'creation_timestamp' ? millis(m.createdAt) : millis(m.updatedAt);
  },
  defaultOrder: [{ entity: 'attribute', key: 'name', ascending: true }],
  tiebreak: [{ entity: 'attribute', key: 'name', ascending: true }],
  missingTagIsNotEqual: true,
};

const VERSION_SEARCH: SearchSpec<ModelVersion> = {
  attributes: {
    name: 'string',
    version_number: 'number',
    run_id: 'string',
    source_path: 'string',
    current_stage: 'string',
    creation_timestamp: 'number',
    last_updated_timestamp: 'number',
    timestamp: 'number',
  },
  entities: ['tag', 'attribute'],
  valueOf: (v, entity, key): Value => {
    if (entity === 'tag') return Object.hasOwn(v.tags, key) ? v.tags[key] : undefined;
    switch (key) {
      case 'name':
        return v.modelName;
      case 'version_number':
        return v.version;
      case 'run_id':
        return v.lineage.trainingRunId;
      case 'source_path':
        return modelVersionView(v).source;
      case 'current_stage':
        return v.stage;
      case 'creation_timestamp':
        return millis(v.createdAt);
      default:
        return millis(v.updatedAt);
    }
  },
  // MLflow's registry orders versions newest first.
  defaultOrder: [{ entity: 'attribute', key: 'last_updated_timestamp', ascending: false }],
  tiebreak: [
    { entity: 'attribute', key: 'name', ascending: true },
    { entity: 'attribute', key: 'version_number', ascending: false },
  ],
  missingTagIsNotEqual: true,
};

export async function searchRegisteredModels(
  deps: TrackingDeps,
  req: z.output<typeof SearchRegisteredModelsRequest>,
): Promise<{ registered_models: MlflowRegisteredModel[]; next_page_token?: string }> {
  const registry = registryOf(deps);
  const models = (await all((p) => registry.listModels(p))).filter((m) => m.status === 'ACTIVE');
  const { items, nextPageToken } = searchWith(
    models,
    options(req, REGISTERED_MODEL_SEARCH_LIMITS),
    MODEL_SEARCH,
  );
  const registered = await Promise.all(
    items.map(async (m) => registeredModelView(m, await registry.listAliases(m.name))),
  );
  return { registered_models: registered, ...(nextPageToken ? { next_page_token: nextPageToken } : {}) };
}

export async function searchModelVersions(
  deps: TrackingDeps,
  req: z.output<typeof SearchModelVersionsRequest>,
): Promise<{ model_versions: MlflowModelVersion[]; next_page_token?: string }> {
  const registry = registryOf(deps);
  const versions: ModelVersion[] = [];
  for (const name of await modelsNamed(registry, req.filter)) {
    versions.push(...(await all((p) => registry.listVersions(name, p))));
  }
  const { items, nextPageToken } = searchWith(
    versions,
    options(req, MODEL_VERSION_SEARCH_LIMITS),
    VERSION_SEARCH,
  );
  return {
    model_versions: items.map(modelVersionView),
    ...(nextPageToken ? { next_page_token: nextPageToken } : {}),
  };
}

/** The models a version search reads: the one `name = '...'` names, else every active one. */
async function modelsNamed(registry: ModelRegistry, filter: string | undefined): Promise<string[]> {
  const byName = parseFilter(filter).find(
    (c) =>
      c.entity === 'attribute' && c.key === 'name' && c.comparator === '=' && typeof c.value === 'string',
  );
  if (byName) {
    const model = await registry.getModel(byName.value as string);
    return model?.status === 'ACTIVE' ? [model.name] : [];
  }
  return (await all((p) => registry.listModels(p))).filter((m) => m.status === 'ACTIVE').map((m) => m.name);
}

function options(
  req: { filter?: string; max_results?: number; order_by?: string[]; page_token?: string },
  limits: { readonly default: number },
) {
  return {
    ...(req.filter ? { filter: req.filter } : {}),
    ...(req.order_by ? { orderBy: req.order_by.map((o) => o.trim()).filter(Boolean) } : {}),
    maxResults: req.max_results ?? limits.default,
    ...(req.page_token ? { pageToken: req.page_token } : {}),
    maxBytes: MAX_REPLY_BYTES,
  };
}

const STAGES: readonly Stage[] = ['None', 'Staging', 'Production', 'Archived'];

/** The highest-numbered version in each stage asked for (every stage when none is given). */
export async function latestVersions(
  deps: TrackingDeps,
  name: string,
  stages: readonly Stage[] | undefined,
): Promise<MlflowModelVersion[]> {
  const registry = registryOf(deps);
  if (!(await registry.getModel(name))) throw new ModelNotFoundError(name);
  const wanted = stages?.length ? stages : STAGES;
  const latest = new Map<Stage, ModelVersion>();
  for (const v of await all((p) => registry.listVersions(name, p))) {
    if (!wanted.includes(v.stage)) continue;
    const held = latest.get(v.stage);
    if (!held || held.version < v.version) latest.set(v.stage, v);
  }
  return STAGES.flatMap((s) => {
    const v = latest.get(s);
    return v ? [modelVersionView(v)] : [];
  });
}
