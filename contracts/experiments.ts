/**
 * A/B experiments on model versions: the experiment definition the `/experiments` routes take,
 * its lifecycle, the outcome batches, per-arm aggregates and the results reply. The arms are
 * registry versions of one model served on its endpoint (control as the champion variant,
 * treatment as the challenger); units are the prediction request's `parameters.routing_key`.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-ab-testing.html
 */
import * as z from 'zod';
import { storableNumber } from './dynamodb-number';
import { lazySchema } from './lazy-schema';
import { ModelName, VersionNumber } from './model-names';

/** An experiment's name: its key in the table, its salt's seed and its path segment. */
export const ExperimentName = lazySchema(() =>
  z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lowercase letters, digits and - (not first)'),
);
export type ExperimentName = z.infer<typeof ExperimentName>;

/** An arm's name as results and the prediction reply show it. */
export const ArmName = lazySchema(() =>
  z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be 1-32 lowercase letters, digits, _ and -'),
);

/** A metric's name as outcomes carry it. */
export const MetricName = lazySchema(() =>
  z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, _ . -'),
);

/** `proportion`: outcomes are 0 or 1 (converted); `mean`: any number. */
export const MetricKind = lazySchema(() => z.enum(['proportion', 'mean']));
export type MetricKind = z.infer<typeof MetricKind>;

/** Which way is better for a metric. */
export const BetterDirection = lazySchema(() => z.enum(['higher', 'lower']));
export type BetterDirection = z.infer<typeof BetterDirection>;

/** How results are read: once at the planned size, or at any time (always-valid). */
export const AnalysisMethod = lazySchema(() => z.enum(['fixed-horizon', 'sequential']));
export type AnalysisMethod = z.infer<typeof AnalysisMethod>;

/** Lifecycle: DRAFT > RUNNING > STOPPED | CONCLUDED. */
export const ExperimentStatus = lazySchema(() => z.enum(['DRAFT', 'RUNNING', 'STOPPED', 'CONCLUDED']));
export type ExperimentStatus = z.infer<typeof ExperimentStatus>;

/** Defaults of an experiment, in one place for contracts, docs and tests. */
export const EXPERIMENT_DEFAULTS = {
  alpha: 0.05,
  power: 0.8,
  analysis: 'sequential',
  /** Units at which the sequential intervals are tightest (GrowthBook's default). */
  sequentialTuningUnits: 5000,
  /** Buckets a unit is hashed into; the split is applied to them. */
  buckets: 10_000,
} as const;

/**
 * How a ground-truth label sent to monitoring (`POST /monitoring/models/{name}/ground-truth`)
 * becomes a metric's value for the unit whose prediction it labels: `correct` (a proportion) is 1
 * when the prediction equals the label, a score being the class `score >= decisionThreshold`
 * (1 or 0) and a vector of class scores its argmax (the last score with a threshold), as quality
 * reports read them; `label` is the label's number (a proportion's is 0 or 1);
 * `absoluteError` (a mean) is |label - prediction|. A label that gives no value (a text label of a
 * mean, a prediction not kept for a batch request) adds nothing.
 */
export const MetricGroundTruth = lazySchema(() =>
  z.strictObject({
    value: z.enum(['correct', 'label', 'absoluteError']),
    decisionThreshold: z.number().gt(0).lt(1).optional(),
  }),
);
export type MetricGroundTruth = z.infer<typeof MetricGroundTruth>;

/**
 * Set, the metric is fed by the ground truth monitoring receives for the experiment's predictions
 * (not by posted outcomes); absent, by `POST /experiments/{name}/outcomes`.
 */
const groundTruth = lazySchema(() => MetricGroundTruth.optional());

const Metric = lazySchema(() =>
  z.strictObject({
    name: MetricName,
    kind: MetricKind,
    betterDirection: BetterDirection,
    groundTruth,
  }),
);

/**
 * The primary metric, with what the sample size is computed from: the control's rate for a
 * proportion, its mean and standard deviation for a mean.
 */
export const PrimaryMetric = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      name: MetricName,
      kind: z.literal('proportion'),
      betterDirection: BetterDirection,
      baselineRate: z.number().gt(0).lt(1),
      groundTruth,
    }),
    z.strictObject({
      name: MetricName,
      kind: z.literal('mean'),
      betterDirection: BetterDirection,
      baselineMean: storableNumber().refine((v) => v !== 0, 'must not be 0 (the effect is relative to it)'),
      baselineStandardDeviation: storableNumber().gt(0),
      groundTruth,
    }),
  ]),
);
export type PrimaryMetric = z.infer<typeof PrimaryMetric>;

/** A guardrail: a metric that must not get worse than `maxRelativeDegradationPercent`. */
export const GuardrailMetric = lazySchema(() =>
  Metric.extend({
    /** The worst relative change allowed in the bad direction, in percent of control. */
    maxRelativeDegradationPercent: z.number().gt(0).max(100),
  }),
);
export type GuardrailMetric = z.infer<typeof GuardrailMetric>;

/** One arm: a registry version and its share of units. */
export const Arm = lazySchema(() =>
  z.strictObject({
    name: ArmName,
    version: VersionNumber,
    trafficPercent: z.number().int().min(1).max(99),
  }),
);
export type Arm = z.infer<typeof Arm>;

/** `POST /experiments`. */
export const CreateExperimentRequest = lazySchema(() =>
  z
    .strictObject({
      name: ExperimentName,
      modelName: ModelName,
      description: z.string().max(1024).optional(),
      /**
       * Exactly two arms: an endpoint serves a champion and at most one challenger
       * (`VariantBackend`), so the control is the champion variant and the treatment the challenger.
       */
      arms: z.array(Arm).length(2),
      /** The control arm's name. */
      control: ArmName,
      /** What identifies a unit: the predict request's `parameters.routing_key`. */
      randomizationUnit: z.literal('routing_key').default('routing_key'),
      primaryMetric: PrimaryMetric,
      secondaryMetrics: z.array(Metric).max(10).default([]),
      guardrailMetrics: z.array(GuardrailMetric).max(10).default([]),
      /** Relative change of the primary metric to detect, as a fraction (0.05 = 5%). */
      minimumDetectableEffect: z
        .number()
        .refine((v) => v !== 0 && Math.abs(v) <= 10, 'must be non-zero, |mde| <= 10'),
      alpha: z.number().gt(0).lt(0.5).default(EXPERIMENT_DEFAULTS.alpha),
      power: z.number().gt(0.5).lt(1).default(EXPERIMENT_DEFAULTS.power),
      analysis: AnalysisMethod.default(EXPERIMENT_DEFAULTS.analysis),
    })
    .superRefine((e, ctx) => {
      const names = e.arms.map((a) => a.name);
      if (new Set(names).size !== names.length)
        ctx.addIssue({ code: 'custom', path: ['arms'], message: 'arm names must be unique' });
      if (new Set(e.arms.map((a) => a.version)).size !== e.arms.length)
        ctx.addIssue({ code: 'custom', path: ['arms'], message: 'arms must be different versions' });
      if (e.arms.reduce((s, a) => s + a.trafficPercent, 0) !== 100)
        ctx.addIssue({ code: 'custom', path: ['arms'], message: 'trafficPercent must sum to 100' });
      if (!names.includes(e.control))
        ctx.addIssue({ code: 'custom', path: ['control'], message: 'must name one of the arms' });
      const metrics = [e.primaryMetric, ...e.secondaryMetrics, ...e.guardrailMetrics].map((m) => m.name);
      if (new Set(metrics).size !== metrics.length)
        ctx.addIssue({ code: 'custom', path: ['secondaryMetrics'], message: 'metric names must be unique' });
      const all = [e.primaryMetric, ...e.secondaryMetrics, ...e.guardrailMetrics];
      const paths = [
        ['primaryMetric'],
        ...e.secondaryMetrics.map((_, i) => ['secondaryMetrics', i]),
        ...e.guardrailMetrics.map((_, i) => ['guardrailMetrics', i]),
      ];
      all.forEach((m, i) => {
        const problem = groundTruthProblem(m.kind, m.groundTruth);
        if (problem) ctx.addIssue({ code: 'custom', path: [...paths[i], 'groundTruth'], message: problem });
      });
      if (e.primaryMetric.kind === 'proportion') {
        const rate = e.primaryMetric.baselineRate * (1 + e.minimumDetectableEffect);
        if (!(rate > 0 && rate < 1))
          ctx.addIssue({
            code: 'custom',
            path: ['minimumDetectableEffect'],
            message: 'moves the baseline rate outside (0, 1)',
          });
      }
    }),
);
export type CreateExperimentRequest = z.infer<typeof CreateExperimentRequest>;

/** Why a metric's ground-truth mapping does not fit its kind, if it does not. */
function groundTruthProblem(kind: MetricKind, gt: MetricGroundTruth | undefined): string | undefined {
  if (!gt) return undefined;
  if (gt.value === 'correct' && kind !== 'proportion')
    return 'correct is a proportion (1 or 0 per prediction)';
  if (gt.value === 'absoluteError' && kind !== 'mean') return 'absoluteError is a mean';
  if (gt.decisionThreshold !== undefined && gt.value !== 'correct')
    return 'decisionThreshold applies to correct only';
  return undefined;
}

/** The units per arm the design needs (`requiredSampleSize`). */
export interface SampleSizeReply {
  readonly perArm: Readonly<Record<string, number>>;
  readonly effectSize: number;
  readonly method: 'NormalIndPower' | 'TTestIndPower';
}

/**
 * Where the treatment's variant is on the model's endpoint: DEPLOYING (the challenger variant
 * being added at weight 0), SERVING (traffic split by the experiment), REMOVING (traffic back on
 * the champion, the endpoint going back to the champion alone), REMOVED. The endpoint stays locked
 * by the experiment until REMOVED.
 */
export const TreatmentVariantPhase = lazySchema(() =>
  z.enum(['DEPLOYING', 'SERVING', 'REMOVING', 'REMOVED']),
);
export type TreatmentVariantPhase = z.infer<typeof TreatmentVariantPhase>;

/** The treatment's challenger variant, as the experiment keeps it between steps. */
export interface TreatmentVariant {
  readonly phase: TreatmentVariantPhase;
  /** Names the endpoint configs made for it, as a rollout's id does. */
  readonly id: string;
  readonly version: number;
  /** What the serving backend made (models, configs, task definitions), to remove it later. */
  readonly resources: Readonly<Record<string, string | boolean>>;
  /** Polls of the endpoint in the current phase. */
  readonly polls: number;
  /** Why a phase failed (the endpoint's own reason). */
  readonly reason?: string;
}

/** A conclusion's promotion of the treatment through a rollout. */
export interface ExperimentPromotion {
  readonly version: number;
  /**
   * PENDING until the endpoint is free of the treatment's variant, then STARTED or REFUSED.
   * AWAITING_APPROVAL where the model asks for sign-off: the conclusion opened `approvalId` for the
   * rollout, which starts (STARTED) once that request is approved and the endpoint is free, or
   * never (REFUSED) when it is rejected or expires.
   */
  readonly status: 'PENDING' | 'AWAITING_APPROVAL' | 'STARTED' | 'REFUSED';
  /** The approval request the rollout waits on (AWAITING_APPROVAL, and after). */
  readonly approvalId?: string;
  /** Who concluded: the rollout is theirs, whenever it starts. */
  readonly requestedBy: string;
  readonly reason?: string;
}

/** An experiment as stored and returned. */
export interface Experiment extends CreateExperimentRequest {
  readonly status: ExperimentStatus;
  /** Hex salt of the assignment hash, fixed at creation: a new experiment reshuffles units. */
  readonly salt: string;
  readonly sampleSize: SampleSizeReply;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
  /** Why it stopped (guardrail, alarm, mismatch, operator), or the conclusion. */
  readonly reason?: string;
  readonly winner?: string;
  /** The rollout that promoted the winner. */
  readonly deploymentId?: string;
  /** The treatment's variant on the endpoint, from the start on. */
  readonly treatmentVariant?: TreatmentVariant;
  /** A treatment winner's promotion through the rollout. */
  readonly promotion?: ExperimentPromotion;
  /** Optimistic-lock counter of the item. */
  readonly revision: number;
}

/** `GET /experiments`: a page in name order within each status (DRAFT, RUNNING, STOPPED, CONCLUDED). */
export const ListExperimentsQuery = lazySchema(() =>
  z.strictObject({
    status: ExperimentStatus.optional(),
    modelName: ModelName.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    nextToken: z.string().max(2048).optional(),
  }),
);
export type ListExperimentsQuery = z.infer<typeof ListExperimentsQuery>;

/** `POST /experiments/{name}/stop`. */
export const StopExperimentRequest = lazySchema(() =>
  z.strictObject({ reason: z.string().min(1).max(512) }).optional(),
);

/** `POST /experiments/{name}/conclude`: promote the winner through a rollout, or keep control. */
export const ConcludeExperimentRequest = lazySchema(() =>
  z.strictObject({
    winner: ArmName,
    reason: z.string().max(512).optional(),
  }),
);
export type ConcludeExperimentRequest = z.infer<typeof ConcludeExperimentRequest>;

/** One outcome: a unit's value of a metric, idempotent per `eventId`. */
export const Outcome = lazySchema(() =>
  z.strictObject({
    unit: z.string().min(1).max(256),
    metric: MetricName,
    value: storableNumber().refine((v) => Math.abs(v) <= 1e12, 'must be within +-1e12'),
    time: z.iso.datetime({ offset: true }),
    eventId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 letters, digits, _ . : -'),
  }),
);
export type Outcome = z.infer<typeof Outcome>;

/** `POST /experiments/{name}/outcomes`. */
export const OutcomeBatch = lazySchema(() => z.strictObject({ outcomes: z.array(Outcome).min(1).max(500) }));
export type OutcomeBatch = z.infer<typeof OutcomeBatch>;

/** `POST /experiments/{name}/outcomes` reply. */
export interface OutcomeBatchReply {
  readonly accepted: number;
  /** Event ids already recorded (replays): counted once. */
  readonly duplicates: number;
  /** Outcomes of units erased (`POST /privacy/erasures`): not counted, nothing kept of them. */
  readonly erased: number;
}

/**
 * Mergeable sufficient statistics of one metric in one arm. Values are stored shifted by the
 * metric's `shift` (the primary baseline for a mean, 0 otherwise) so the sums of squares do not
 * cancel; DynamoDB adds decimals exactly, so concurrent writers and any order give the same sums.
 */
export interface ArmAggregate {
  readonly n: number;
  readonly sum: number;
  readonly sumSquares: number;
}

export { EXPERIMENT_LOCK_PREFIX } from './endpoint-locks';

/**
 * What the predict path keeps of a prediction served inside a running experiment, by the model and
 * the request's inference id (OIP's `id`, the capture's `eventMetadata.inferenceId`), so ground
 * truth sent to monitoring for it later feeds the experiment's ground-truth metrics.
 */
export interface ExperimentExposure {
  readonly experiment: string;
  readonly unit: string;
  readonly arm: string;
  /** The model's answer for the request's one row: a value, or a row of class scores. */
  readonly prediction?: number | string | readonly number[];
}

/** How long an exposure waits for its ground truth before DynamoDB's TTL deletes it. */
export const EXPOSURE_RETENTION_DAYS = 90;

/** The assignment the predict path applies, carried on the endpoint's routing record. */
export interface ExperimentRouting {
  readonly name: string;
  readonly salt: string;
  /** In dealing order (control first), each served by a variant of the endpoint. */
  readonly arms: ReadonlyArray<{
    readonly name: string;
    readonly version: number;
    readonly variant: 'champion' | 'challenger';
    readonly trafficPercent: number;
  }>;
}

/** One arm's reading of one metric. */
export interface ArmResult {
  readonly arm: string;
  readonly n: number;
  /** Mean, or rate for a proportion. */
  readonly mean: number;
  readonly interval: { readonly lower: number; readonly upper: number };
}

/** The treatment's effect on one metric against control. */
export interface MetricResult {
  readonly metric: string;
  readonly kind: MetricKind;
  readonly role: 'primary' | 'secondary' | 'guardrail';
  readonly betterDirection: BetterDirection;
  readonly arms: readonly ArmResult[];
  /** Absent until both arms have two outcomes. */
  readonly effect?: {
    readonly absolute: number;
    readonly absoluteInterval: { readonly lower: number; readonly upper: number };
    readonly relative: number;
    readonly relativeInterval: { readonly lower: number; readonly upper: number };
    readonly statistic: number;
    readonly pValue: number;
    /** Holm and Benjamini-Hochberg over the primary and secondary metrics (guardrails apart). */
    readonly pValueHolm?: number;
    readonly pValueBenjaminiHochberg?: number;
  };
  /** Guardrails: the change is significantly worse than control and beyond the allowed degradation. */
  readonly breached?: boolean;
}

/** `GET /experiments/{name}/results`. */
export interface ExperimentResults {
  readonly name: string;
  readonly status: ExperimentStatus;
  readonly analysis: AnalysisMethod;
  readonly alpha: number;
  readonly units: Readonly<Record<string, number>>;
  readonly sampleRatio: { readonly statistic: number; readonly pValue: number; readonly mismatch: boolean };
  readonly sampleSize: { readonly required: Readonly<Record<string, number>>; readonly reached: boolean };
  readonly metrics: readonly MetricResult[];
  /**
   * `TREATMENT_BETTER` / `TREATMENT_WORSE` when the primary metric's test is significant,
   * `INCONCLUSIVE` otherwise, `NOT_READY` for a fixed-horizon test before its sample size, and
   * `HIDDEN` while the split is broken (sample ratio mismatch).
   */
  readonly verdict: 'TREATMENT_BETTER' | 'TREATMENT_WORSE' | 'INCONCLUSIVE' | 'NOT_READY' | 'HIDDEN';
  readonly computedAt: string;
}
