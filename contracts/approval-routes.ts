/**
 * The approval routes, under the model they govern; served by the registry's function, which
 * applies an approved transition in the approving decision's own transaction.
 * @see ./routes.ts for what each field means
 */
import * as z from 'zod';
import { ApprovalId, DecideApprovalRequest, ListApprovalsQuery } from './approvals';
import { lazySchema } from './lazy-schema';
import { ModelName } from './model-names';
import type { RouteDeclaration } from './route-declaration';

const ModelPath = lazySchema(() => z.object({ name: ModelName }));
const ApprovalPath = lazySchema(() => z.object({ name: ModelName, id: ApprovalId }));

export const APPROVAL_ROUTES = [
  {
    id: 'ListApprovals',
    method: 'GET',
    path: '/models/{name}/approvals',
    function: 'registry',
    summary: "A model's approval requests, newest first",
    params: ModelPath,
    query: ListApprovalsQuery,
    response: { status: 200 },
  },
  {
    id: 'GetApproval',
    method: 'GET',
    path: '/models/{name}/approvals/{id}',
    function: 'registry',
    summary: 'Get an approval request with its decisions',
    params: ApprovalPath,
    response: { status: 200 },
  },
  {
    id: 'DecideApproval',
    method: 'POST',
    path: '/models/{name}/approvals/{id}/decisions',
    function: 'registry',
    summary: 'Approve or reject (approvers only); the quorum runs the move as first asked',
    params: ApprovalPath,
    body: DecideApprovalRequest,
    response: { status: 200 },
  },
] as const satisfies readonly RouteDeclaration[];
