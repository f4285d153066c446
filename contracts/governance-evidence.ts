/**
 * The evidence a model version carries for governance (model card, scans, fairness), apart from
 * the registry's requests and policy so that the retraining pipeline's contract, which records
 * the evidence it gathered, builds only these schemas; `registry.ts` re-exports them.
 */
import * as z from 'zod';
import { storableNumber } from './dynamodb-number';
import { lazySchema } from './lazy-schema';

export const CheckResult = lazySchema(() => z.enum(['PASSED', 'FAILED', 'NOT_RUN']));

/** Evidence a version carries for governance: set at registration or later by PATCH. */
export const GovernanceEvidence = lazySchema(() =>
  z.strictObject({
    modelCardUrl: z.url({ protocol: /^https?$/ }).optional(),
    securityScan: CheckResult.optional(),
    loadTest: CheckResult.optional(),
    demographicParityDifference: storableNumber().min(0).max(1).optional(),
  }),
);
export type GovernanceEvidence = z.infer<typeof GovernanceEvidence>;
