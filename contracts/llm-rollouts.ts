/**
 * Canary rollouts on LLM endpoints: a new prompt version takes a share of the chat traffic that
 * names the prompt's `production` alias, or an LLM endpoint's candidate model a share of the
 * endpoint's calls, step by step, through the platform's rollout state machine
 * (`lambdas/deployment/`), with alarms on the challenger's error rate, latency and guardrail blocks
 * rolling it back. The names here are shared by the stack (targets, alarms), the rollout's task
 * Lambda, the chat route and local mode.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green-canary.html
 */
import * as z from 'zod';
import { AlarmKind, alarmName, CanarySteps, StartDeploymentRequest } from './deployment';
import { storableNumber } from './dynamodb-number';
import { lazySchema } from './lazy-schema';
import { ModelName } from './model-names';

/**
 * The rollout backend of a prompt: no endpoint changes, the chat route splits traffic between the
 * `production` version (champion) and the rolled-out one (challenger) by the rollout's weights.
 */
export const PROMPT_ROLLOUT_BACKEND = 'prompt';

/** Defaults of a prompt rollout, in one place for config, constructs and docs. */
export const PROMPT_ROLLOUT_DEFAULTS = {
  canarySteps: [10, 50, 100],
  bakeMinutes: 10,
  alarmCheckSeconds: 60,
  /** p95 of a challenger call, model and guardrails included. */
  latencyThresholdMs: 10_000,
  /** Failed calls (the backend raised) per call of the challenger, in percent. */
  errorRateThresholdPercent: 5,
  /** Calls of the challenger a guardrail refused or withheld, per call, in percent. */
  guardrailBlockRateThresholdPercent: 10,
  alarmEvaluationPeriods: 3,
  alarmDatapointsToAlarm: 2,
} as const;

/**
 * How a canary rollout of a prompt or of an LLM endpoint's model runs: its steps and bake, and the
 * alarms on the challenger's calls that roll it back. Every field is optional
 * ({@link PROMPT_ROLLOUT_DEFAULTS}).
 */
const rolloutSettings = {
  canarySteps: lazySchema(() => CanarySteps.optional()),
  bakeMinutes: lazySchema(() => storableNumber().min(0).max(1440).optional()),
  /** How often the alarms are read while baking. @default 60 */
  alarmCheckSeconds: lazySchema(() => z.number().int().min(1).max(3600).optional()),
  /** @default 10000 */
  latencyThresholdMs: lazySchema(() => z.number().int().min(1).max(900_000).optional()),
  /** @default 5 */
  errorRateThresholdPercent: lazySchema(() => storableNumber().gt(0).max(100).optional()),
  /** @default 10 */
  guardrailBlockRateThresholdPercent: lazySchema(() => storableNumber().gt(0).max(100).optional()),
  /** One-minute periods each alarm looks back over. @default 3 */
  alarmEvaluationPeriods: lazySchema(() => z.number().int().min(1).max(10).optional()),
  /** Bad periods among them that raise the alarm. @default 2 */
  alarmDatapointsToAlarm: lazySchema(() => z.number().int().min(1).max(10).optional()),
};

const datapointsWithinPeriods: [
  (c: { alarmDatapointsToAlarm?: number; alarmEvaluationPeriods?: number }) => boolean,
  { path: string[]; message: string },
] = [
  (c) => (c.alarmDatapointsToAlarm ?? 2) <= (c.alarmEvaluationPeriods ?? 3),
  { path: ['alarmDatapointsToAlarm'], message: 'must be <= alarmEvaluationPeriods (3 unless given)' },
];

/** The settings of a canary rollout on an LLM endpoint, a prompt's or a model's. */
export const LlmRolloutSettings = lazySchema(() =>
  z.strictObject(rolloutSettings).refine(...datapointsWithinPeriods),
);
export type LlmRolloutSettings = z.infer<typeof LlmRolloutSettings>;

/**
 * One `mlops:llm` `promptRollouts` entry: the prompt whose versions roll out by canary, and the
 * LLM endpoint its traffic is watched on. Without one, `production` moves at once (the alias route).
 */
export const PromptRolloutConfig = lazySchema(() =>
  z
    .strictObject({
      prompt: ModelName,
      /** The LLM endpoint (an `endpoints` name) the prompt is called through. */
      endpoint: z.string().min(1).max(40),
      ...rolloutSettings,
    })
    .refine(...datapointsWithinPeriods),
);
export type PromptRolloutConfig = z.infer<typeof PromptRolloutConfig>;

/** `POST /llm/prompts/{name}/rollouts`: the rollout route's body, as a model's. */
export const StartPromptRolloutRequest = StartDeploymentRequest;
export type StartPromptRolloutRequest = z.infer<typeof StartPromptRolloutRequest>;

/** What served a call of a prompt under rollout. */
export type PromptVariant = 'champion' | 'challenger';

/**
 * Metrics of the calls of a prompt under rollout, by `Prompt` (the name) and `Variant`: the
 * alarms a rollout watches read the challenger's.
 */
export const PROMPT_ROLLOUT_METRICS = {
  calls: 'RolloutCalls',
  errors: 'RolloutErrors',
  /** Calls a guardrail refused or withheld (the platform's rules or the provider's). */
  guardrailBlocks: 'RolloutGuardrailBlocks',
  latency: 'RolloutLatency',
  promptDimension: 'Prompt',
  variantDimension: 'Variant',
} as const;

/**
 * Metrics of the calls of an LLM endpoint under a model rollout, by `Endpoint` and `Variant`
 * (champion: the served model, challenger: the candidate): the prompt rollouts' names, another
 * dimension set, so the two never mix.
 */
export const MODEL_ROLLOUT_METRICS = {
  calls: PROMPT_ROLLOUT_METRICS.calls,
  errors: PROMPT_ROLLOUT_METRICS.errors,
  guardrailBlocks: PROMPT_ROLLOUT_METRICS.guardrailBlocks,
  latency: PROMPT_ROLLOUT_METRICS.latency,
  endpointDimension: 'Endpoint',
  variantDimension: PROMPT_ROLLOUT_METRICS.variantDimension,
} as const;

/** `mlops-<env>-prompt-<name>`: what a prompt rollout's alarms are named after. */
export const promptRolloutAlarmBase = (envName: string, prompt: string): string =>
  `mlops-${envName}-prompt-${prompt}`;

/** The alarm kind of a prompt rollout's guardrail block rate. */
export const GUARDRAIL_BLOCK_RATE_ALARM = 'guardrail-block-rate';

/** The alarms a rollout watches under `base`: the challenger's error rate, p95 latency and guardrail block rate. */
const challengerAlarmNames = (base: string): string[] =>
  [AlarmKind.ERROR_RATE, AlarmKind.LATENCY_P95, GUARDRAIL_BLOCK_RATE_ALARM].map((kind) =>
    alarmName(base, 'challenger', kind),
  );

/** The alarms a prompt rollout watches: the challenger's error rate, p95 latency and guardrail block rate. */
export const promptRolloutAlarmNames = (envName: string, prompt: string): string[] =>
  challengerAlarmNames(promptRolloutAlarmBase(envName, prompt));

// ---------------------------------------------------------------------------------------------
// Model rollouts of an LLM endpoint: the candidate model id takes a share of the endpoint's calls
// per step, on the same state machine, and a promotion makes it the served model.
// ---------------------------------------------------------------------------------------------

/**
 * The rollout backend of an LLM endpoint's model id. On Bedrock no endpoint changes: the chat route
 * splits the endpoint's calls between the served model (champion) and the candidate (challenger) by
 * the split record the rollout writes in the LLM table. On a SageMaker LMI endpoint (the target's
 * `lmi`) the candidate is the endpoint's challenger variant and SageMaker splits the calls; the
 * records say which model each variant serves. A promotion writes the served-model record.
 * Not a registry version: the rollout's tasks read and promote nothing in the registry.
 */
export const MODEL_ROLLOUT_BACKEND = 'llm-model';

/**
 * What a model rollout of LLM endpoint `endpoint` is keyed by in the deployments table (its
 * records, lock and audit partition) and the rollout targets. It starts with `_`, which no model
 * name does (`ModelName`), so it never shares a lock or a record with a registry model or prompt.
 */
export const modelRolloutSubject = (endpoint: string): string => `_llm-endpoint.${endpoint}`;

/** What a rollout is keyed by: a model's (or prompt's) name, or an LLM endpoint's rollout subject. */
export const RolloutSubject = lazySchema(() =>
  z.union([
    ModelName,
    z.string().regex(/^_llm-endpoint\.[a-z][a-z0-9-]{0,39}$/, 'must be an LLM endpoint rollout subject'),
  ]),
);

/**
 * The version number a model rollout's records carry: the rollout moves an endpoint to a model
 * id (`candidateModel`), not to a registry version.
 */
export const MODEL_ROLLOUT_VERSION = 0;

/** `mlops-<env>-llm-<endpoint>`: what a model rollout's alarms are named after. */
export const modelRolloutAlarmBase = (envName: string, endpoint: string): string =>
  `mlops-${envName}-llm-${endpoint}`;

/** The alarms a model rollout of `endpoint` watches, named as a prompt rollout's. */
export const modelRolloutAlarmNames = (envName: string, endpoint: string): string[] =>
  challengerAlarmNames(modelRolloutAlarmBase(envName, endpoint));

/** `POST /llm/endpoints/{name}/rollouts`: the candidate model id, and the schedule as a prompt's. */
export const StartModelRolloutRequest = lazySchema(() =>
  z.strictObject({
    /** One of the endpoint's `candidateModels`. */
    candidate: z.string().min(1).max(256),
    /** Overrides the endpoint's canary steps for this rollout. */
    canarySteps: CanarySteps.optional(),
    /** Overrides the endpoint's bake time per step. */
    bakeMinutes: storableNumber().min(0).max(1440).optional(),
  }),
);
export type StartModelRolloutRequest = z.infer<typeof StartModelRolloutRequest>;
