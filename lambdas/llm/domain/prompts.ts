/**
 * Prompts as registered models (MLflow 3's layout): a prompt is a model tagged `mlops:kind=prompt`,
 * a prompt version is a model version whose artifact is the version's JSON body, stored
 * content-addressed and hashed by the registry, so a version cannot change after registration.
 * Aliases, audit records and events are the registry's own.
 */
import { createHash } from 'node:crypto';
import {
  type CreatePromptRequest,
  type CreatePromptVersionRequest,
  MLFLOW_PROMPT_TEXT_TAG,
  type ModelParameters,
  PRODUCTION_ALIAS,
  PROMPT_FILE_NAME,
  PROMPT_KIND,
  PROMPT_TAGS,
  type Prompt,
  type PromptBody,
  type PromptVersion,
  parsePromptReference,
  type RenderedPrompt,
} from '../../../contracts/llm';
import type { RetrievedChunk } from '../../../contracts/llm-rag';
import type { Model, ModelVersion } from '../../../contracts/registry';
import {
  AliasNotFoundError,
  BadRequestError,
  NotFoundError,
  UnprocessableError,
  VersionNotFoundError,
} from '../../shared/errors';
import type { EmbeddingCharge } from './embedding-usage';
import type { Actor, PromptBodies, PromptRegistry } from './ports';
import { type RagDeps, retrieve } from './rag';
import { checkDeclared, render } from './templates';

export interface PromptDeps {
  readonly registry: PromptRegistry;
  readonly bodies: PromptBodies;
  /** The collections a version's retrieval step reads. */
  readonly rag?: RagDeps;
}

class PromptNotFoundError extends NotFoundError {
  constructor(name: string) {
    super('PROMPT_NOT_FOUND', `prompt ${name} does not exist`);
    this.name = 'PromptNotFoundError';
  }
}

const isPrompt = (m: Model | undefined): m is Model => m?.tags[PROMPT_TAGS.kind] === PROMPT_KIND;

const userTags = (tags: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(tags).filter(([k]) => !k.startsWith('mlops:') && !k.startsWith('mlflow.')),
  );

export const toPrompt = (m: Model): Prompt => ({
  name: m.name,
  description: m.description,
  tags: userTags(m.tags),
  latestVersion: m.latestVersion,
  createdAt: m.createdAt,
  createdBy: m.createdBy,
});

export const toPromptVersion = (v: ModelVersion, body: PromptBody): PromptVersion => ({
  name: v.modelName,
  version: v.version,
  ...body,
  tags: userTags(v.tags),
  sha256: v.artifact.sha256,
  createdAt: v.createdAt,
  createdBy: v.createdBy,
});

export async function createPrompt(
  deps: PromptDeps,
  actor: Actor,
  req: CreatePromptRequest,
): Promise<Prompt> {
  const model = await deps.registry.createModel(
    {
      name: req.name,
      description: req.description,
      tags: { ...req.tags, [PROMPT_TAGS.kind]: PROMPT_KIND, [PROMPT_TAGS.mlflowIsPrompt]: 'true' },
    },
    actor,
  );
  return toPrompt(model);
}

async function requirePrompt(deps: PromptDeps, name: string): Promise<Model> {
  const model = await deps.registry.getModel(name);
  if (!isPrompt(model) || model.status !== 'ACTIVE') throw new PromptNotFoundError(name);
  return model;
}

export const getPrompt = async (deps: PromptDeps, name: string): Promise<Prompt> =>
  toPrompt(await requirePrompt(deps, name));

/** The body a version's request stores: exactly what the artifact's bytes hold. */
export function promptBodyOf(req: CreatePromptVersionRequest): PromptBody {
  return {
    template: req.template,
    variables: req.variables,
    modelParameters: req.modelParameters,
    commitMessage: req.commitMessage,
    ...(req.retrieval ? { retrieval: req.retrieval } : {}),
  };
}

/**
 * Registers the prompt's next version: the template's variables must be exactly those declared
 * (checked before any write, so a refused version takes no number and stores nothing).
 */
export async function createPromptVersion(
  deps: PromptDeps,
  actor: Actor,
  name: string,
  req: CreatePromptVersionRequest,
): Promise<PromptVersion> {
  checkDeclared(req.template, req.variables);
  await requirePrompt(deps, name);
  const body = promptBodyOf(req);
  const bytes = Buffer.from(JSON.stringify(body));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const text = typeof req.template === 'string' ? req.template : JSON.stringify(req.template);
  const version = await deps.registry.registerStored(
    name,
    {
      description: req.commitMessage,
      metrics: {},
      params: modelParams(req.modelParameters),
      tags: {
        ...req.tags,
        [PROMPT_TAGS.kind]: PROMPT_KIND,
        [PROMPT_TAGS.mlflowIsPrompt]: 'true',
        // MLflow keeps the text in a tag; a tag value holds 256 characters, so longer texts stay
        // in the artifact alone.
        ...(text.length <= 256 ? { [MLFLOW_PROMPT_TEXT_TAG]: text } : {}),
      },
      lineage: {},
      governance: {},
      artifact: {
        sha256,
        sizeBytes: bytes.byteLength,
        fileName: PROMPT_FILE_NAME,
        contentType: 'application/json',
      },
    },
    bytes,
    actor,
  );
  return toPromptVersion(version, body);
}

const modelParams = (p: ModelParameters): Record<string, string> =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, JSON.stringify(v)]));

/** Immutable bodies, by sha256: a version read once is never read again by this container. */
const bodyCache = new Map<string, PromptBody>();
const BODY_CACHE_LIMIT = 500;

async function bodyOf(deps: PromptDeps, v: ModelVersion): Promise<PromptBody> {
  const cached = bodyCache.get(v.artifact.sha256);
  if (cached) return cached;
  const bytes = await deps.bodies.read(v.artifact.bucket, v.artifact.key);
  // The registry verified these bytes on registration; check again, as they are what the model is sent.
  if (!bytes || createHash('sha256').update(bytes).digest('hex') !== v.artifact.sha256) {
    throw new Error(`prompt ${v.modelName} version ${v.version}: artifact missing or changed`);
  }
  const body = JSON.parse(Buffer.from(bytes).toString('utf8')) as PromptBody;
  if (bodyCache.size >= BODY_CACHE_LIMIT) bodyCache.delete(bodyCache.keys().next().value as string);
  bodyCache.set(v.artifact.sha256, body);
  return body;
}

export async function getPromptVersion(
  deps: PromptDeps,
  name: string,
  number: number,
): Promise<PromptVersion> {
  await requirePrompt(deps, name);
  const v = await deps.registry.getVersion(name, number);
  if (v?.status !== 'READY') throw new VersionNotFoundError(name, number);
  return toPromptVersion(v, await bodyOf(deps, v));
}

/** Resolves `name@alias` or `name/version` to the version. */
export async function resolvePrompt(
  deps: PromptDeps,
  ref: string,
): Promise<{ version: PromptVersion; alias?: string }> {
  const { name, alias, version } = parsePromptReference(ref);
  await requirePrompt(deps, name);
  if (alias === undefined) return { version: await getPromptVersion(deps, name, version as number) };
  const number = await deps.registry.aliasVersion(name, alias);
  if (number === undefined) throw new AliasNotFoundError(name, alias);
  return { version: await getPromptVersion(deps, name, number), alias };
}

/**
 * Renders the referenced version with `variables` (a 400 naming each missing or unknown one). A
 * retrieval step's embedding call is recorded against `charge` as its own usage record, under the
 * version it rendered: never inside the chat call's tokens.
 */
export async function renderPrompt(
  deps: PromptDeps,
  ref: string,
  variables: Readonly<Record<string, string>>,
  charge: Omit<EmbeddingCharge, 'prompt'>,
): Promise<RenderedPrompt & { readonly versionRecord: PromptVersion }> {
  const { version, alias } = await resolvePrompt(deps, ref);
  const step = version.retrieval;
  let values = variables;
  let sources: RetrievedChunk[] | undefined;
  if (step) {
    if (Object.hasOwn(variables, step.context)) {
      throw new BadRequestError(
        'INVALID_VARIABLES',
        `unknown variable(s): ${step.context} (the retrieval step fills it)`,
        { details: { missing: [], unknown: [step.context] } },
      );
    }
    // Every other variable is checked first: a refused call retrieves nothing.
    render(version.template, version.variables, { ...variables, [step.context]: '' });
    if (!deps.rag) throw new Error(`prompt ${version.name} has a retrieval step and no index is configured`);
    const query = { query: variables[step.query], k: step.k };
    const prompt = { name: version.name, version: version.version };
    sources = (await retrieve(deps.rag, { ...charge, prompt }, step.collection, query)).chunks;
    const context = sources.map((c, i) => `[${i + 1}] ${c.source}#${c.chunk}: ${c.text}`).join('\n');
    values = { ...variables, [step.context]: context };
  }
  return {
    prompt: { name: version.name, version: version.version, ...(alias ? { alias } : {}) },
    messages: render(version.template, version.variables, values),
    modelParameters: version.modelParameters,
    ...(sources ? { sources } : {}),
    versionRecord: version,
  };
}

/** The tag an evaluation run sets on the version it scored: its aggregate score per scorer. */
export const evaluationTag = (scorer: string): string => `mlops:eval.${scorer}`;

/** One check of the release gate, as model governance reports its checks. */
export interface ReleaseCheck {
  readonly check: string;
  readonly passed: boolean;
  readonly detail: string;
}

/**
 * The checks a version must pass before `production` points at it: each configured score floor
 * against the version's evaluation score (a scorer never run fails its check).
 */
export function releaseChecks(
  tags: Readonly<Record<string, string>>,
  floors: Readonly<Record<string, number>>,
): ReleaseCheck[] {
  return Object.entries(floors).map(([scorer, floor]) => {
    const raw = tags[evaluationTag(scorer)];
    const score = raw === undefined ? undefined : Number(raw);
    const passed = score !== undefined && score >= floor;
    return {
      check: `evaluation.${scorer}`,
      passed,
      detail:
        score === undefined
          ? `no evaluation scored ${scorer}; at least ${floor} is required`
          : `${scorer} is ${score}; at least ${floor} is required`,
    };
  });
}

/**
 * Resolves when the prompt's version may become `production`: it exists and its evaluation scores
 * meet every configured floor; otherwise 404, or 422 `GOVERNANCE_CHECKS_FAILED` listing each check.
 */
export async function requireReleasable(
  deps: PromptDeps & { readonly scoreFloors: Readonly<Record<string, number>> },
  name: string,
  number: number,
): Promise<void> {
  await requirePrompt(deps, name);
  const v = await deps.registry.getVersion(name, number);
  if (!v) throw new VersionNotFoundError(name, number);
  const checks = releaseChecks(v.tags, deps.scoreFloors);
  const failed = checks.filter((c) => !c.passed);
  if (failed.length) {
    throw new UnprocessableError(
      'GOVERNANCE_CHECKS_FAILED',
      `prompt ${name} version ${number} cannot be ${PRODUCTION_ALIAS}: ${failed.map((c) => c.detail).join('; ')}`,
      { details: { failed, checks } },
    );
  }
}

/**
 * Points an alias at a version; `production` first passes every release check, and a refusal
 * (422 `GOVERNANCE_CHECKS_FAILED`) lists each failed check and changes nothing.
 */
export async function setPromptAlias(
  deps: PromptDeps & { readonly scoreFloors: Readonly<Record<string, number>> },
  actor: Actor,
  name: string,
  alias: string,
  number: number,
): Promise<{ name: string; alias: string; version: number }> {
  if (alias === PRODUCTION_ALIAS) await requireReleasable(deps, name, number);
  else {
    await requirePrompt(deps, name);
    if (!(await deps.registry.getVersion(name, number))) throw new VersionNotFoundError(name, number);
  }
  await deps.registry.setAlias(name, alias, number, actor, {
    promptReleaseChecked: alias === PRODUCTION_ALIAS,
  });
  return { name, alias, version: number };
}
