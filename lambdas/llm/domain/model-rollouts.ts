/**
 * Model rollouts of an LLM endpoint: which model id the endpoint serves (its configured `model`
 * until a rollout promotes a candidate, then the served-model record), which candidate a rollout
 * may name (declared in config and priced), and how a running rollout splits calls between the
 * served model (champion) and the candidate (challenger): the chat route draws the side of a
 * Bedrock endpoint's call, SageMaker picks the production variant of an LMI endpoint's (the
 * variant that answered says which model id served); and what a rollout's start checks before the
 * platform's rollout machinery (a port) starts it. No I/O but through ports.
 */
import { createHash } from 'node:crypto';
import type { Deployment } from '../../../contracts/deployment';
import { candidateModelIds, type LlmEndpointConfig, type PriceTable } from '../../../contracts/llm';
import {
  MODEL_ROLLOUT_METRICS,
  type PromptVariant,
  type StartModelRolloutRequest,
} from '../../../contracts/llm-rollouts';
import { Variant } from '../../../contracts/serving';
import { BadRequestError, NotFoundError } from '../../shared/errors';
import type { MetricsDocument } from '../../shared/metrics';
import { priceOn } from './cost';
import type { Actor } from './ports';
import { type RolloutCall, variantCallMetrics } from './prompt-rollouts';

/** The model id an endpoint serves, as the last promotion (or rollback) of a rollout left it. */
export interface ServedModelRecord {
  readonly endpoint: string;
  readonly modelId: string;
  /** What it served before the rollout that wrote this record: a rollback puts it back. */
  readonly previousModelId: string;
  /** The rollout that wrote the record. */
  readonly deploymentId: string;
  readonly at: string;
}

/** A running rollout's split of an endpoint's calls. */
export interface ModelCanary {
  readonly deploymentId: string;
  /** The model id rolled out (the challenger). */
  readonly candidate: string;
  /** Its share of the calls, in percent. */
  readonly challengerPercent: number;
}

/** The model id that serves a call, and the side of a running rollout it fell on. */
export interface ServedModel {
  readonly modelId: string;
  readonly rollout?: { readonly deploymentId: string; readonly variant: PromptVariant };
}

/**
 * What each production variant of an LMI endpoint serves: the champion the served model, the
 * challenger a running rollout's candidate (its split record).
 */
export interface VariantModels {
  readonly champion: string;
  readonly canary?: ModelCanary;
}

/**
 * The model a call is sent for. An LMI endpoint's `variants` say what each of its production
 * variants serves: SageMaker picks the variant, so which model served is known from the answer
 * (`servedByVariant`); `modelId` is then the served model's.
 */
export interface CallModel extends ServedModel {
  readonly variants?: VariantModels;
}

/** Where an endpoint's served-model record and a running model rollout's split are kept. */
export interface EndpointModels {
  served(endpoint: string): Promise<ServedModelRecord | undefined>;
  /** `undefined` when no model rollout of the endpoint sends the candidate traffic. */
  canary(endpoint: string): Promise<ModelCanary | undefined>;
  /** The same records read uncached. @default - these (no cache to bypass) */
  fresh?(): EndpointModels;
}

/** A conditioned write's expectation: the record it replaces, as read (`undefined`: none). */
export interface Replaces<T> {
  readonly current: T | undefined;
}

/**
 * The records as a model rollout's tasks write them: reads uncached, every write conditioned on the
 * record it replaces (a ConflictError when another write came between).
 */
export interface EndpointModelRecords extends EndpointModels {
  putServed(record: ServedModelRecord, replaces: Replaces<ServedModelRecord>): Promise<void>;
  /** `undefined` deletes the split. */
  putCanary(
    endpoint: string,
    canary: ModelCanary | undefined,
    replaces: Replaces<ModelCanary>,
  ): Promise<void>;
}

/**
 * The model id serving call `callId` on `endpoint`: only an endpoint that declares candidates
 * reads the records (the others serve their configured model without a read).
 */
export async function modelForCall(
  models: EndpointModels | undefined,
  endpoint: LlmEndpointConfig,
  callId: string,
): Promise<CallModel> {
  if (!models || candidateModelIds(endpoint).length === 0) return { modelId: endpoint.model };
  const [record, canary] = await Promise.all([models.served(endpoint.name), models.canary(endpoint.name)]);
  const served = servedModelId(endpoint, record);
  if (endpoint.backend === 'sagemaker')
    return { modelId: served, variants: { champion: served, ...(canary ? { canary } : {}) } };
  return splitModel(served, canary, callId);
}

/**
 * The model id an LMI endpoint's call was served by, from the production variant SageMaker says
 * answered it: the challenger serves a running rollout's candidate, the champion (or a variant
 * not said) the served model; while a rollout sends the candidate calls, the call counts for its
 * side. A challenger with no split (a rollout ending) serves nothing the records name: the served
 * model is the best answer.
 */
export function servedByVariant(variants: VariantModels, invokedVariant: string | undefined): ServedModel {
  const { champion, canary } = variants;
  if (!canary || canary.challengerPercent <= 0 || canary.candidate === champion) return { modelId: champion };
  const challenger = invokedVariant === Variant.CHALLENGER;
  return {
    modelId: challenger ? canary.candidate : champion,
    rollout: { deploymentId: canary.deploymentId, variant: challenger ? 'challenger' : 'champion' },
  };
}

/** An LLM endpoint as its served model is decided: its name and configured model id. */
export type ConfiguredModel = Pick<LlmEndpointConfig, 'name' | 'model'>;

/** What the endpoint serves: the promoted model id, else the configured one. */
export function servedModelId(endpoint: ConfiguredModel, record: ServedModelRecord | undefined): string {
  return record?.endpoint === endpoint.name ? record.modelId : endpoint.model;
}

/**
 * A point in [0, 100) fixed by the call's id and the rollout: the same call (a retry under the
 * same request id) lands on the same side, and a new rollout draws afresh. SHA-256 rather than a
 * short hash: sequential request ids must still spread evenly.
 */
export function splitPoint(requestId: string, deploymentId: string): number {
  const digest = createHash('sha256').update(`${deploymentId}\u0000${requestId}`).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100;
}

/** The model id serving the call `requestId`: the candidate for the rollout's share of calls. */
export function splitModel(current: string, canary: ModelCanary | undefined, requestId: string): ServedModel {
  if (!canary || canary.challengerPercent <= 0 || canary.candidate === current) return { modelId: current };
  const challenger = splitPoint(requestId, canary.deploymentId) < canary.challengerPercent;
  return {
    modelId: challenger ? canary.candidate : current,
    rollout: { deploymentId: canary.deploymentId, variant: challenger ? 'challenger' : 'champion' },
  };
}

/**
 * Refuses a rollout of `candidate` on `endpoint` (400 naming it) unless the candidate is one of its
 * `candidateModels` (a Bedrock endpoint's model ids, on which the stack grants ConverseStream; an
 * LMI endpoint's, whose artifacts its rollout target carries), it is not what the endpoint serves
 * already, and the price table prices it on `day`: a candidate's calls are priced by its own row,
 * never by the champion's.
 */
export function requireRolloutCandidate(
  endpoint: LlmEndpointConfig,
  served: string,
  candidate: string,
  prices: PriceTable,
  day: string,
): void {
  if (!candidateModelIds(endpoint).includes(candidate)) {
    throw new BadRequestError(
      'INVALID_REQUEST',
      `model ${candidate} is not a candidate of LLM endpoint ${endpoint.name}; add it to its candidateModels`,
      { details: { candidate } },
    );
  }
  if (candidate === served) {
    throw new BadRequestError(
      'INVALID_REQUEST',
      `LLM endpoint ${endpoint.name} serves ${candidate} already`,
      {
        details: { candidate },
      },
    );
  }
  try {
    priceOn(prices, candidate, day);
  } catch {
    throw new BadRequestError(
      'INVALID_REQUEST',
      `model ${candidate} has no price in the price table on ${day}; add its entry to mlops:llm prices`,
      { details: { candidate } },
    );
  }
}

/** The record a promotion writes: the candidate serves, and what served before is kept. */
export function promotedRecord(
  endpoint: ConfiguredModel,
  current: ServedModelRecord | undefined,
  candidate: string,
  deploymentId: string,
  at: string,
): ServedModelRecord {
  // A redelivered promotion of the same rollout keeps the model it replaced.
  if (current?.deploymentId === deploymentId && current.modelId === candidate) return current;
  return {
    endpoint: endpoint.name,
    modelId: candidate,
    previousModelId: servedModelId(endpoint, current),
    deploymentId,
    at,
  };
}

/**
 * The record a rollback leaves: unchanged unless this rollout's promotion wrote it (then what served
 * before serves again); `undefined` when nothing needs writing.
 */
export function rolledBackRecord(
  current: ServedModelRecord | undefined,
  deploymentId: string,
  at: string,
): ServedModelRecord | undefined {
  if (current?.deploymentId !== deploymentId || current.modelId === current.previousModelId) return undefined;
  // previousModelId stays: a redelivered rollback then finds nothing to undo.
  return { ...current, modelId: current.previousModelId, at };
}

/** One call of an endpoint under a model rollout, by endpoint and side: what its alarms would read. */
export function modelRolloutCallMetrics(
  endpoint: string,
  variant: PromptVariant,
  call: RolloutCall,
  at: number,
): MetricsDocument {
  return variantCallMetrics({ [MODEL_ROLLOUT_METRICS.endpointDimension]: endpoint }, variant, call, at);
}

/**
 * Starts and reads model rollouts on the platform's rollout machinery (the deployment capability's
 * lock, records, state machine): keyed by the endpoint, answering its rollout records.
 */
export interface ModelRollouts {
  start(actor: Actor, endpoint: string, req: StartModelRolloutRequest): Promise<Deployment>;
  /** The rollout's record (404 `DEPLOYMENT_NOT_FOUND` for an unknown id). */
  get(endpoint: string, deploymentId: string): Promise<Deployment>;
}

/**
 * Starts a canary rollout of `req.candidate` on LLM endpoint `endpointName`, which ends by making
 * it the served model: 404 for an unknown endpoint, 400 naming a candidate the endpoint cannot move
 * to (`requireRolloutCandidate`), all before anything is written.
 */
export async function startCandidateRollout(
  deps: {
    readonly endpoints: readonly LlmEndpointConfig[];
    readonly prices: PriceTable;
    readonly endpointModels?: EndpointModels;
    readonly modelRollouts?: ModelRollouts;
    readonly now: () => Date;
  },
  actor: Actor,
  endpointName: string,
  req: StartModelRolloutRequest,
): Promise<Deployment> {
  const endpoint = deps.endpoints.find((e) => e.name === endpointName);
  if (!endpoint) throw new NotFoundError('LLM_ENDPOINT_NOT_FOUND', `no LLM endpoint ${endpointName}`);
  const served =
    candidateModelIds(endpoint).length > 0 ? await deps.endpointModels?.served(endpoint.name) : undefined;
  const day = deps.now().toISOString().slice(0, 10);
  requireRolloutCandidate(endpoint, servedModelId(endpoint, served), req.candidate, deps.prices, day);
  if (!deps.modelRollouts) {
    throw new NotFoundError(
      'MODEL_ROLLOUT_NOT_CONFIGURED',
      `LLM endpoint ${endpointName} has no model rollouts on this platform`,
    );
  }
  return deps.modelRollouts.start(actor, endpointName, req);
}

/** A model rollout of LLM endpoint `endpointName` (404 `DEPLOYMENT_NOT_FOUND` for an unknown id). */
export function getModelRollout(
  deps: { readonly modelRollouts?: ModelRollouts },
  endpointName: string,
  deploymentId: string,
): Promise<Deployment> {
  if (!deps.modelRollouts) {
    throw new NotFoundError(
      'DEPLOYMENT_NOT_FOUND',
      `LLM endpoint ${endpointName} has no model rollout ${deploymentId}`,
    );
  }
  return deps.modelRollouts.get(endpointName, deploymentId);
}
