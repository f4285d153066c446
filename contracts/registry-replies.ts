/**
 * What each registry route answers, by route id: the reply schemas of the API document
 * (`routes.ts` joins them to the routes). Apart from `registry-routes.ts`, whose schemas the router
 * parses requests with, so a handler's cold start builds no reply schema.
 */

import * as z from 'zod';
import { APPROVAL_REPLIES } from './approval-replies';
import { ApprovalPendingResponse } from './approval-responses';
import { lazySchema } from './lazy-schema';
import { page } from './pages';
import {
  AliasWithVersionResponse,
  ArtifactDownloadResponse,
  AuditRecordResponse,
  ModelAliasResponse,
  ModelResponse,
  ModelVersionResponse,
  RegisterVersionResponse,
} from './registry-responses';
import type { REGISTRY_ROUTES } from './registry-routes';
import type { RouteReplies } from './route-declaration';

export const REGISTRY_REPLIES = {
  CreateModel: { response: ModelResponse },
  ListModels: { response: lazySchema(() => page(ModelResponse)) },
  GetModel: { response: ModelResponse },
  UpdateModel: { response: ModelResponse },
  DeleteModel: {},
  RegisterVersion: { response: RegisterVersionResponse },
  ListVersions: { response: lazySchema(() => page(ModelVersionResponse)) },
  GetVersion: { response: ModelVersionResponse },
  UpdateVersion: { response: ModelVersionResponse },
  VerifyArtifact: { response: ModelVersionResponse },
  GetArtifact: { response: ArtifactDownloadResponse },
  TransitionStage: { response: ModelVersionResponse, accepted: ApprovalPendingResponse },
  ListAliases: { response: lazySchema(() => z.object({ items: z.array(ModelAliasResponse) })) },
  SetAlias: { response: ModelAliasResponse },
  GetAlias: { response: AliasWithVersionResponse },
  DeleteAlias: {},
  ListAudit: { response: lazySchema(() => page(AuditRecordResponse)) },
  ...APPROVAL_REPLIES,
} as const satisfies RouteReplies<typeof REGISTRY_ROUTES>;
