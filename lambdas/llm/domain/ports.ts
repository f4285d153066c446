/**
 * Ports of the LLM domain: the registry (prompts are registered models of kind `prompt`), the
 * store of prompt bodies, the model backends, usage records and the response cache. Adapters
 * implement them; the domain imports no SDK.
 */
import type { ChatMessage, LlmUsage, ModelParameters, UsageRecord } from '../../../contracts/llm';
import type {
  CreateModelRequest,
  Model,
  ModelVersion,
  RegisterVersionRequest,
} from '../../../contracts/registry';

/** Who is acting, for the audit trail (the registry's `Actor`). */
export interface Actor {
  readonly principal: string;
  readonly requestId?: string;
}

/** The part of the registry's public `RegistryService` prompts use; it satisfies this structurally. */
export interface PromptRegistry {
  getModel(name: string): Promise<Model | undefined>;
  createModel(req: CreateModelRequest, actor: Actor): Promise<Model>;
  getVersion(name: string, version: number): Promise<ModelVersion | undefined>;
  aliasVersion(name: string, alias: string): Promise<number | undefined>;
  registerStored(
    name: string,
    req: RegisterVersionRequest,
    artifact: Uint8Array,
    actor: Actor,
  ): Promise<ModelVersion>;
  /** `promptReleaseChecked`: the release gate passed, so a prompt's `production` may move. */
  setAlias(
    name: string,
    alias: string,
    version: number,
    actor: Actor,
    options?: { readonly promptReleaseChecked?: boolean },
  ): Promise<void>;
  tagVersion(
    name: string,
    version: number,
    tags: Readonly<Record<string, string>>,
    actor: Actor,
  ): Promise<void>;
}

/** Reads a prompt version's artifact (the JSON body) from where the registry stored it. */
export interface PromptBodies {
  /** `undefined` when there is no such object. */
  read(bucket: string, key: string): Promise<Uint8Array | undefined>;
}

/** One chat call as a backend receives it. */
export interface ChatCall {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly parameters: ModelParameters;
}

/** A backend's answer: the text, usage as the backend reported it, and timings. */
export interface ChatAnswer {
  readonly content: string;
  readonly finishReason: 'stop' | 'length' | 'content_filter';
  /** The model the backend says answered. */
  readonly responseModel: string;
  readonly usage: LlmUsage;
  /** Milliseconds to the first token, when the backend streamed. */
  readonly timeToFirstTokenMs?: number;
  /** Set when the provider's own guardrail (Bedrock's) intervened in the call. */
  readonly guardrailIntervention?: GuardrailIntervention;
  /**
   * The production variant that answered (SageMaker's `InvokedProductionVariant`): on an LMI
   * endpoint under a model rollout it says which model id served the call.
   */
  readonly invokedProductionVariant?: string;
}

/**
 * A call that failed after the endpoint had routed it to a production variant (an LMI stream that
 * broke): `cause` is the error the caller answers with, the variant says whose failure it was.
 */
export class VariantCallFailure extends Error {
  constructor(
    readonly invokedProductionVariant: string,
    override readonly cause: unknown,
  ) {
    super(`production variant ${invokedProductionVariant} failed the call`, { cause });
    this.name = 'VariantCallFailure';
  }
}

/** A policy of a provider's guardrail that acted on the input or the output. */
export interface GuardrailFinding {
  readonly source: 'input' | 'output';
  readonly policy: 'content' | 'topic' | 'word' | 'sensitiveInformation' | 'contextualGrounding';
  /** What fired: the filter type (`VIOLENCE`), topic name, word, PII type or regex name. */
  readonly name: string;
  /** `BLOCKED` withholds the text; `ANONYMIZED` masked part of it (PII). */
  readonly action: 'BLOCKED' | 'ANONYMIZED';
}

/**
 * A provider guardrail's intervention: what its trace says fired. Empty `findings` when the
 * provider gave no trace, so which policy fired is unknown.
 */
export interface GuardrailIntervention {
  readonly findings: readonly GuardrailFinding[];
}

/**
 * One port, several backends (a SageMaker LMI/vLLM endpoint, Bedrock Converse, the local
 * stand-in): the caller never branches on which.
 */
export interface LlmBackend {
  chat(call: ChatCall): Promise<ChatAnswer>;
}

/** Usage records, one per call, and their aggregation by day. */
export interface UsageStore {
  put(record: UsageRecord): Promise<void>;
  /** Every record of the day (`YYYY-MM-DD`), in time order. */
  listDay(day: string): Promise<UsageRecord[]>;
}
