/**
 * The platform's governance policy (the `mlops:governance` block, and a model's overrides) with
 * the approval policy inside it. Apart from `registry.ts` and `approvals.ts`, which re-export
 * these, so that every function building the registry service from `GOVERNANCE_POLICY` builds
 * these schemas and not the registry's requests or the approval requests' with them.
 */
import * as z from 'zod';
import { storableNumber } from './dynamodb-number';
import { lazySchema } from './lazy-schema';

/**
 * An IAM principal or role ARN. A role ARN (`arn:aws:iam::<account>:role/<path/>Name`) stands for
 * every session of that role (`arn:aws:sts::<account>:assumed-role/Name/<session>`), as API
 * Gateway's IAM authorizer reports a caller who assumed it.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
 */
export const PrincipalArn = lazySchema(() =>
  z
    .string()
    .max(2048)
    .regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/-]+$/, 'must be an IAM principal or role ARN'),
);

/** How a model's moves to Production are signed off. */
export const ApprovalPolicy = lazySchema(() =>
  z
    .strictObject({
      /** Who may decide: IAM principals, or roles (any session of the role). */
      approvers: z.array(PrincipalArn).min(1).max(50),
      /** How many distinct approvers must approve; one rejection closes the request. */
      quorum: z.coerce.number().int().min(1).max(50).default(1),
      /** Whether the version's author (`createdBy`) may approve it. */
      authorMayApprove: z.boolean().default(false),
      /** Hours a request stays open before it expires with nothing changed. */
      expiresAfterHours: z.coerce.number().int().min(1).max(720).default(72),
    })
    .refine((p) => p.quorum <= p.approvers.length, {
      message: 'quorum must be at most the number of approvers',
      path: ['quorum'],
    }),
);
export type ApprovalPolicy = z.infer<typeof ApprovalPolicy>;

/** The policy's fields, each as given: the policy fills its defaults, an override never does. */
const POLICY_FIELDS = {
  /** Minimum value per metric for a version to reach Production, e.g. `{ accuracy: 0.85 }`. */
  metricFloors: lazySchema(() => z.record(z.string().min(1), storableNumber())),
  /** Largest demographic parity difference allowed; unset means fairness is not checked. */
  maxDemographicParityDifference: lazySchema(() => storableNumber().min(0).max(1)),
  requireModelCard: lazySchema(() => z.boolean()),
  requireSecurityScan: lazySchema(() => z.boolean()),
  requireLoadTest: lazySchema(() => z.boolean()),
  /**
   * People who sign off a move to Production after the checks above pass; unset means the move
   * happens as soon as they pass. A model's own `approval` replaces the platform's whole.
   */
  approval: ApprovalPolicy,
};

/** The platform's governance policy, with the defaults of a config that leaves fields out. */
export const GovernancePolicy = lazySchema(() =>
  z.strictObject({
    metricFloors: POLICY_FIELDS.metricFloors.default({}),
    maxDemographicParityDifference: POLICY_FIELDS.maxDemographicParityDifference.optional(),
    requireModelCard: POLICY_FIELDS.requireModelCard.default(true),
    requireSecurityScan: POLICY_FIELDS.requireSecurityScan.default(true),
    requireLoadTest: POLICY_FIELDS.requireLoadTest.default(true),
    approval: POLICY_FIELDS.approval.optional(),
  }),
);
export type GovernancePolicy = z.infer<typeof GovernancePolicy>;

/**
 * A model's overrides of the platform's policy: only the fields given, so a field left out keeps
 * the platform's value (a default filled in here would override a platform that relaxed it).
 */
export const GovernancePolicyOverride = lazySchema(() => z.strictObject(POLICY_FIELDS).partial());
