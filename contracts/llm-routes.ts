/**
 * LLMOps routes (`/llm`): prompts in the registry, chat completions in OpenAI's shape, usage.
 * @see ./routes.ts for what each field means
 */
import * as z from 'zod';
import { DeploymentId } from './deployment';
import { lazySchema } from './lazy-schema';
import {
  AliasName,
  ChatCompletionRequest,
  CreatePromptRequest,
  CreatePromptVersionRequest,
  LlmEndpointName,
  PromptName,
  RenderPromptRequest,
  SetPromptAliasRequest,
  UsageQuery,
} from './llm';
import {
  EvaluationRunId,
  ListEvaluationRowsQuery,
  RunEvaluationRequest,
  StartEvaluationRunRequest,
} from './llm-evaluation';
import {
  CollectionName,
  CreateCollectionRequest,
  ImportDocumentsRequest,
  IngestDocumentRequest,
  RetrieveRequest,
} from './llm-rag';
import { StartModelRolloutRequest, StartPromptRolloutRequest } from './llm-rollouts';
import { VersionNumber } from './model-names';
import type { RouteDeclaration } from './route-declaration';

const PromptPath = lazySchema(() => z.object({ name: PromptName }));
const CollectionPath = lazySchema(() => z.object({ name: CollectionName }));
const RunPath = lazySchema(() => z.object({ runId: EvaluationRunId }));
const EndpointPath = lazySchema(() => z.object({ name: LlmEndpointName }));

export const LLM_ROUTES = [
  {
    id: 'CreatePrompt',
    method: 'POST',
    path: '/llm/prompts',
    function: 'llm',
    summary: 'Create a prompt (a registered model of kind prompt)',
    body: CreatePromptRequest,
    response: { status: 201 },
  },
  {
    id: 'GetPrompt',
    method: 'GET',
    path: '/llm/prompts/{name}',
    function: 'llm',
    summary: 'Get a prompt',
    params: PromptPath,
    response: { status: 200 },
  },
  {
    id: 'CreatePromptVersion',
    method: 'POST',
    path: '/llm/prompts/{name}/versions',
    function: 'llm',
    summary: 'Register an immutable prompt version ({{variables}} template, declared variables)',
    params: PromptPath,
    body: CreatePromptVersionRequest,
    response: { status: 201 },
  },
  {
    id: 'GetPromptVersion',
    method: 'GET',
    path: '/llm/prompts/{name}/versions/{version}',
    function: 'llm',
    summary: 'Get a prompt version',
    params: lazySchema(() => z.object({ name: PromptName, version: VersionNumber })),
    response: { status: 200 },
  },
  {
    id: 'SetPromptAlias',
    method: 'PUT',
    path: '/llm/prompts/{name}/aliases/{alias}',
    function: 'llm',
    summary: 'Point an alias at a prompt version (production requires the evaluation score floors)',
    params: lazySchema(() => z.object({ name: PromptName, alias: AliasName })),
    body: SetPromptAliasRequest,
    response: { status: 200 },
  },
  {
    id: 'StartPromptRollout',
    method: 'POST',
    path: '/llm/prompts/{name}/rollouts',
    function: 'llm',
    summary:
      'Roll a prompt version out to production as a canary: it takes a share of the calls naming production per step, alarms on its error rate and latency roll it back (the evaluation score floors first; status at GET /models/{name}/deployments/{deploymentId})',
    params: PromptPath,
    body: StartPromptRolloutRequest,
    response: { status: 202 },
  },
  {
    id: 'ListLlmEndpoints',
    method: 'GET',
    path: '/llm/endpoints',
    function: 'llm',
    summary:
      'The LLM endpoints the stack declares, each with the model it serves now (a promoted candidate, else its configured model) and a running model rollout',
    response: { status: 200 },
  },
  {
    id: 'GetLlmEndpoint',
    method: 'GET',
    path: '/llm/endpoints/{name}',
    function: 'llm',
    summary: 'One LLM endpoint: its settings, the model it serves now and a running model rollout',
    params: EndpointPath,
    response: { status: 200 },
  },
  {
    id: 'StartModelRollout',
    method: 'POST',
    path: '/llm/endpoints/{name}/rollouts',
    function: 'llm',
    summary:
      "Roll an LLM endpoint (Bedrock, or SageMaker LMI as a second production variant) out to one of its candidate models as a canary: the candidate takes a share of the endpoint's calls per step, alarms on its error rate, latency and guardrail blocks roll it back, a promotion makes it the served model",
    params: EndpointPath,
    body: StartModelRolloutRequest,
    response: { status: 202 },
  },
  {
    id: 'GetModelRollout',
    method: 'GET',
    path: '/llm/endpoints/{name}/rollouts/{deploymentId}',
    function: 'llm',
    summary: 'A model rollout of an LLM endpoint: its phase, weights and outcome',
    params: lazySchema(() => EndpointPath.extend({ deploymentId: DeploymentId })),
    response: { status: 200 },
  },
  {
    id: 'RenderPrompt',
    method: 'POST',
    path: '/llm/prompts/render',
    function: 'llm',
    summary: 'Render name@alias or name/version with variables (missing or unknown ones are a 400)',
    body: RenderPromptRequest,
    response: { status: 200 },
  },
  {
    id: 'CreateChatCompletion',
    method: 'POST',
    path: '/llm/chat/completions',
    function: 'llm',
    summary: 'OpenAI chat completion on an LLM endpoint, from messages or a prompt reference',
    body: ChatCompletionRequest,
    response: { status: 200 },
  },
  {
    id: 'RunEvaluation',
    method: 'POST',
    path: '/llm/evaluations',
    function: 'llm',
    summary:
      "Score a prompt version's answers on up to 50 rows at once; each scorer's mean is set on the version",
    body: RunEvaluationRequest,
    response: { status: 200 },
  },
  {
    id: 'StartEvaluationRun',
    method: 'POST',
    path: '/llm/evaluation-runs',
    function: 'llm',
    summary: 'Score a prompt version on a large dataset in the background, row results stored as they come',
    body: StartEvaluationRunRequest,
    response: { status: 202 },
  },
  {
    id: 'GetEvaluationRun',
    method: 'GET',
    path: '/llm/evaluation-runs/{runId}',
    function: 'llm',
    summary: "A background evaluation run's status, progress and, once done, its aggregate",
    params: RunPath,
    response: { status: 200 },
  },
  {
    id: 'ListEvaluationRows',
    method: 'GET',
    path: '/llm/evaluation-runs/{runId}/rows',
    function: 'llm',
    summary: "A page of a background evaluation run's scored rows, in dataset order",
    params: RunPath,
    query: ListEvaluationRowsQuery,
    response: { status: 200 },
  },
  {
    id: 'CreateCollection',
    method: 'POST',
    path: '/llm/collections',
    function: 'llm',
    summary: 'Create a document collection, with its chunking',
    body: CreateCollectionRequest,
    response: { status: 201 },
  },
  {
    id: 'IngestDocument',
    method: 'POST',
    path: '/llm/collections/{name}/documents',
    function: 'llm',
    summary: 'Chunk, embed and index one document (inline text) in a collection',
    params: CollectionPath,
    body: IngestDocumentRequest,
    response: { status: 201 },
  },
  {
    id: 'ImportDocuments',
    method: 'POST',
    path: '/llm/collections/{name}/imports',
    function: 'llm',
    summary: 'Chunk, embed and index the text objects under an S3 prefix; an unchanged object is skipped',
    params: CollectionPath,
    body: ImportDocumentsRequest,
    response: { status: 200 },
  },
  {
    id: 'Retrieve',
    method: 'POST',
    path: '/llm/collections/{name}/retrieve',
    function: 'llm',
    summary: 'The k chunks of a collection closest to a query, with scores and sources',
    params: CollectionPath,
    body: RetrieveRequest,
    response: { status: 200 },
  },
  {
    id: 'GetLlmUsage',
    method: 'GET',
    path: '/llm/usage',
    function: 'llm',
    summary: 'Token usage and cost by model, prompt version, principal, endpoint and day',
    query: UsageQuery,
    response: { status: 200 },
  },
] as const satisfies readonly RouteDeclaration[];
