/**
 * The experiment routes' replies as schemas, for the routes' `response` and so the API document
 * and the typed client. Each is checked at compile time against the domain type the handler
 * returns, so the document cannot drift from what is sent.
 */
import * as z from 'zod';
import { ApprovalRequestResponse } from './approval-responses';
import {
  AnalysisMethod,
  Arm,
  BetterDirection,
  type Experiment,
  type ExperimentResults,
  ExperimentStatus,
  GuardrailMetric,
  MetricGroundTruth,
  MetricKind,
  type OutcomeBatchReply,
  PrimaryMetric,
  TreatmentVariantPhase,
} from './experiments';
import { lazySchema } from './lazy-schema';
import { type Same, sameShape } from './same-shape';

const Interval = lazySchema(() => z.object({ lower: z.number(), upper: z.number() }));

/** An experiment: its design as created, its lifecycle and the sample size it needs per arm. */
export const ExperimentResponse = lazySchema(() =>
  z.object({
    name: z.string(),
    modelName: z.string(),
    description: z.string().optional(),
    arms: z.array(Arm),
    control: z.string(),
    randomizationUnit: z.literal('routing_key'),
    primaryMetric: PrimaryMetric,
    secondaryMetrics: z.array(
      z.object({
        name: z.string(),
        kind: MetricKind,
        betterDirection: BetterDirection,
        groundTruth: MetricGroundTruth.optional(),
      }),
    ),
    guardrailMetrics: z.array(GuardrailMetric),
    minimumDetectableEffect: z.number(),
    alpha: z.number(),
    power: z.number(),
    analysis: AnalysisMethod,
    status: ExperimentStatus,
    salt: z.string(),
    sampleSize: z.object({
      perArm: z.record(z.string(), z.number()),
      effectSize: z.number(),
      method: z.enum(['NormalIndPower', 'TTestIndPower']),
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
    startedAt: z.string().optional(),
    endedAt: z.string().optional(),
    reason: z.string().optional(),
    winner: z.string().optional(),
    deploymentId: z.string().optional(),
    treatmentVariant: z
      .object({
        phase: TreatmentVariantPhase,
        id: z.string(),
        version: z.number().int(),
        resources: z.record(z.string(), z.union([z.string(), z.boolean()])),
        polls: z.number().int(),
        reason: z.string().optional(),
      })
      .optional(),
    promotion: z
      .object({
        version: z.number().int(),
        status: z.enum(['PENDING', 'AWAITING_APPROVAL', 'STARTED', 'REFUSED']),
        approvalId: z.string().optional(),
        requestedBy: z.string(),
        reason: z.string().optional(),
      })
      .optional(),
    revision: z.number().int(),
  }),
);
sameShape<Same<z.output<typeof ExperimentResponse>, Experiment>>(true);

/**
 * `POST /experiments/{name}/conclude` of a treatment winner whose model asks for sign-off (202): the
 * experiment, concluded with its promotion AWAITING_APPROVAL, and the approval request it opened.
 */
export const ExperimentAwaitingApprovalResponse = lazySchema(() =>
  ExperimentResponse.extend({
    approval: ApprovalRequestResponse,
  }),
);

/** `POST /experiments/{name}/outcomes`: outcomes accepted, replays counted once, erased units' dropped. */
export const OutcomeBatchResponse = lazySchema(() =>
  z.object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    erased: z.number().int(),
  }),
);
sameShape<Same<z.output<typeof OutcomeBatchResponse>, OutcomeBatchReply>>(true);

const MetricResultResponse = lazySchema(() =>
  z.object({
    metric: z.string(),
    kind: MetricKind,
    role: z.enum(['primary', 'secondary', 'guardrail']),
    betterDirection: BetterDirection,
    arms: z
      .array(z.object({ arm: z.string(), n: z.number().int(), mean: z.number(), interval: Interval }))
      .readonly(),
    effect: z
      .object({
        absolute: z.number(),
        absoluteInterval: Interval,
        relative: z.number(),
        relativeInterval: Interval,
        statistic: z.number(),
        pValue: z.number(),
        pValueHolm: z.number().optional(),
        pValueBenjaminiHochberg: z.number().optional(),
      })
      .optional(),
    breached: z.boolean().optional(),
  }),
);

/** `GET /experiments/{name}/results`: per-arm readings, effects, the split check and the verdict. */
export const ExperimentResultsResponse = lazySchema(() =>
  z.object({
    name: z.string(),
    status: ExperimentStatus,
    analysis: AnalysisMethod,
    alpha: z.number(),
    units: z.record(z.string(), z.number().int()),
    sampleRatio: z.object({ statistic: z.number(), pValue: z.number(), mismatch: z.boolean() }),
    sampleSize: z.object({ required: z.record(z.string(), z.number()), reached: z.boolean() }),
    metrics: z.array(MetricResultResponse).readonly(),
    verdict: z.enum(['TREATMENT_BETTER', 'TREATMENT_WORSE', 'INCONCLUSIVE', 'NOT_READY', 'HIDDEN']),
    computedAt: z.string(),
  }),
);
sameShape<Same<z.output<typeof ExperimentResultsResponse>, ExperimentResults>>(true);
