/**
 * A model's governance override changed by `mlops models govern`'s options: the route replaces the
 * whole override, so the command sends what it read with only the named parts changed.
 */
import type { operations } from '../client';

export type GovernanceOverride = NonNullable<
  operations['UpdateModel']['requestBody']['content']['application/json']['governance']
>;
type ApprovalOverride = NonNullable<GovernanceOverride['approval']>;

/** What the options ask for; an option not given is undefined and changes nothing. */
export interface GovernanceChange {
  readonly metricFloors?: Readonly<Record<string, number>>;
  readonly maxDemographicParityDifference?: number;
  readonly requireModelCard?: boolean;
  readonly requireSecurityScan?: boolean;
  readonly requireLoadTest?: boolean;
  readonly approvers?: string[];
  readonly quorum?: number;
  readonly authorMayApprove?: boolean;
  readonly expiresAfterHours?: number;
  readonly removeApproval?: boolean;
}

/** `current` with what the options name changed; metric floors merge by name. */
export function changedPolicy(current: GovernanceOverride, opts: GovernanceChange): GovernanceOverride {
  const { approval: currentApproval, ...rest } = current;
  const next: GovernanceOverride = {
    ...rest,
    ...defined({
      maxDemographicParityDifference: opts.maxDemographicParityDifference,
      requireModelCard: opts.requireModelCard,
      requireSecurityScan: opts.requireSecurityScan,
      requireLoadTest: opts.requireLoadTest,
    }),
  };
  if (opts.metricFloors) next.metricFloors = { ...current.metricFloors, ...opts.metricFloors };
  const approvalChange = defined({
    approvers: opts.approvers,
    quorum: opts.quorum,
    authorMayApprove: opts.authorMayApprove,
    expiresAfterHours: opts.expiresAfterHours,
  });
  if (opts.removeApproval) return next;
  if (Object.keys(approvalChange).length === 0) {
    return currentApproval ? { ...next, approval: currentApproval } : next;
  }
  // Without approvers here or before, the platform refuses the policy, naming the field.
  return { ...next, approval: { ...currentApproval, ...approvalChange } as ApprovalOverride };
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
