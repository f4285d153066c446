/**
 * What each llm route answers, by route id: the reply schemas of the API document
 * (`routes.ts` joins them to the routes). Apart from `llm-routes.ts`, whose schemas the router
 * parses requests with, so a handler's cold start builds no reply schema.
 */
import * as z from 'zod';
import { ApprovalPendingResponse } from './approval-responses';
import { DeploymentResponse } from './deployment-responses';
import { lazySchema } from './lazy-schema';
import {
  ChatCompletionResponse,
  CollectionResponse,
  DocumentImportResponse,
  EvaluationResponse,
  EvaluationRowsResponse,
  EvaluationRunResponse,
  IngestedDocumentResponse,
  LlmEndpointListResponse,
  LlmEndpointResponse,
  PromptAliasResponse,
  PromptResponse,
  PromptVersionResponse,
  RenderedPromptResponse,
  RetrievalResponse,
  UsageResponse,
} from './llm-responses';
import type { LLM_ROUTES } from './llm-routes';
import type { RouteReplies } from './route-declaration';

export const LLM_REPLIES = {
  CreatePrompt: { response: PromptResponse },
  GetPrompt: { response: PromptResponse },
  CreatePromptVersion: { response: PromptVersionResponse },
  GetPromptVersion: { response: PromptVersionResponse },
  SetPromptAlias: { response: PromptAliasResponse },
  StartPromptRollout: { response: lazySchema(() => z.union([DeploymentResponse, ApprovalPendingResponse])) },
  ListLlmEndpoints: { response: LlmEndpointListResponse },
  GetLlmEndpoint: { response: LlmEndpointResponse },
  StartModelRollout: { response: DeploymentResponse },
  GetModelRollout: { response: DeploymentResponse },
  RenderPrompt: { response: RenderedPromptResponse },
  CreateChatCompletion: { response: ChatCompletionResponse },
  RunEvaluation: { response: EvaluationResponse },
  StartEvaluationRun: { response: EvaluationRunResponse },
  GetEvaluationRun: { response: EvaluationRunResponse },
  ListEvaluationRows: { response: EvaluationRowsResponse },
  CreateCollection: { response: CollectionResponse },
  IngestDocument: { response: IngestedDocumentResponse },
  ImportDocuments: { response: DocumentImportResponse },
  Retrieve: { response: RetrievalResponse },
  GetLlmUsage: { response: UsageResponse },
} as const satisfies RouteReplies<typeof LLM_ROUTES>;
