/** Builds audit records: who did what, when, with the state before and after. */
import type { AuditRecord, RegistryEventType } from '../../../contracts/events';
import type { Actor, RegistryDeps } from './ports';

export function auditRecord(
  deps: Pick<RegistryDeps, 'newId'>,
  actor: Actor,
  at: string,
  change: {
    action: RegistryEventType;
    modelName: string;
    version?: number;
    alias?: string;
    before?: unknown;
    after?: unknown;
  },
): AuditRecord {
  return {
    id: deps.newId(),
    at,
    actor: actor.principal,
    ...(actor.requestId ? { requestId: actor.requestId } : {}),
    ...change,
  };
}
