/**
 * The platform's deploy-time configuration, read from cdk.json context (`mlops:*` keys) with
 * `-c key=value` overrides. Values given with `-c` arrive as strings, so numbers are coerced and
 * objects may be JSON text. Local mode reads the same keys from cdk.json.
 */
import * as z from 'zod';
import { AlertsConfig } from './alerts';
import { BatchPredictionsConfig } from './batch-predictions';
import { ConsoleHostingConfig, DEFAULT_CONSOLE_HOSTING } from './console-hosting';
import { InstancePricesConfig, ModelEndpointsConfig } from './deployment';
import { DeclaredFeatureViews } from './features';
import { lazySchema } from './lazy-schema';
import { LlmConfig } from './llm';
import { MonitoringConfig } from './monitoring';
import { RetrainingConfigs } from './pipeline';
import { DEFAULT_RATE_LIMITS, RateLimitsConfig } from './rate-limits';
import { GovernancePolicy } from './registry';
import { endpointName } from './serving';

const jsonObject = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }, schema);

export const PlatformConfig = lazySchema(() =>
  z
    .strictObject({
      /**
       * The environment, e.g. `dev`, `prod`: in the stack name (`Mlops-<envName>`), the SSM paths and
       * every physical name (`mlops-<envName>-<model>` endpoints, their configs, models and alarms),
       * so environments share an account and Region without sharing a name. No `-`: model names
       * may hold one, so env `prod-a` with model `b` and env `prod` with model `a-b` would both
       * own `mlops-prod-a-b`.
       */
      envName: z
        .string()
        .regex(
          /^[a-z][a-z0-9]{0,15}$/,
          'must be 1-16 lowercase letters or digits, starting with a letter (no -: physical names join it to model names with -)',
        ),
      /**
       * What happens to tables, buckets and key when the stack is deleted. No `snapshot`: none of
       * these resources supports CloudFormation snapshots.
       */
      removalPolicy: z.enum(['destroy', 'retain']).default('retain'),
      /** Steady-state requests per second across the API. */
      apiThrottlingRateLimit: z.coerce.number().int().min(1).max(10_000).default(100),
      /** Burst capacity of the API's token bucket. */
      apiThrottlingBurstLimit: z.coerce.number().int().min(1).max(5_000).default(200),
      /** The default governance policy for reaching Production; models may override parts of it. */
      governance: jsonObject(GovernancePolicy).default({
        metricFloors: { accuracy: 0.85 },
        maxDemographicParityDifference: 0.1,
        requireModelCard: true,
        requireSecurityScan: true,
        requireLoadTest: true,
      }),
      /** Models served by their own endpoint, with canary rollouts (see `ModelEndpointConfig`). */
      endpoints: jsonObject(ModelEndpointsConfig).default([]),
      /** Feature views `cdk deploy` creates or evolves (see `DeclaredFeatureView`). */
      featureViews: jsonObject(DeclaredFeatureViews).default([]),
      /** Drift and quality monitoring: monitored models and their schedules (see `MonitoringConfig`). */
      monitoring: jsonObject(MonitoringConfig).optional(),
      /** Retraining pipelines per model: data, schedule, triggers, training job (see `RetrainingConfig`). */
      retraining: jsonObject(RetrainingConfigs).default([]),
      /** LLMOps: LLM endpoints, the price table, guardrail rules, score floors (see `LlmConfig`). */
      llm: jsonObject(LlmConfig).default({
        endpoints: [],
        prices: [],
        guardrails: {
          pii: ['email', 'creditCard', 'usSsn', 'phone'],
          deniedTopics: [],
          maxInputTokens: 32_000,
        },
        scoreFloors: {},
        cacheTtlSeconds: 3600,
        promptRollouts: [],
      }),
      /**
       * Per-caller token buckets by route group (see `RateLimitsConfig`); stage throttling above
       * stays the bound across callers.
       */
      rateLimits: jsonObject(RateLimitsConfig).default({ default: DEFAULT_RATE_LIMITS, principals: {} }),
      /**
       * USD per instance-hour by instance type over the list prices of `INSTANCE_HOURLY_PRICE_USD`,
       * for the model dashboards' cost estimate (see `InstancePricesConfig`).
       */
      instancePrices: jsonObject(InstancePricesConfig).default({}),
      /** Who hears the platform's alarms, and per-model alarm tuning (see `AlertsConfig`). */
      alerts: jsonObject(AlertsConfig).default({ subscriptions: [], alarms: {}, models: {} }),
      /** Batch predictions: buckets, engine sizes, schedules (see `BatchPredictionsConfig`). */
      batchPredictions: jsonObject(BatchPredictionsConfig).default({
        buckets: [],
        rowsPerBatch: 500,
        maxConcurrency: 100,
        transformInstanceType: 'ml.g5.xlarge',
        transformInstanceCount: 1,
        schedules: [],
      }),
      /** The web console on AWS: CloudFront, S3 and Cognito (see `ConsoleHostingConfig`). */
      console: jsonObject(ConsoleHostingConfig).default(DEFAULT_CONSOLE_HOSTING),
    })
    // Endpoint names carry the environment (`mlops-<envName>-<model>`): refuse one that would not
    // fit SageMaker's names here, naming the model, rather than at synth.
    .superRefine((config, ctx) => {
      config.endpoints.forEach((e, i) => {
        try {
          endpointName(config.envName, e.modelName);
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            path: ['endpoints', i, 'modelName'],
            message: (error as Error).message,
          });
        }
      });
      // The default sign-in domain prefix carries the environment; Cognito refuses these words in it.
      if (
        config.console.enabled &&
        !config.console.domainPrefix &&
        /aws|amazon|cognito/.test(config.envName)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['console', 'domainPrefix'],
          message: `is required: the default, mlops-${config.envName}-<account id>, holds aws, amazon or cognito`,
        });
      }
      // Tuning for a model the platform neither serves nor monitors is a typo, not a no-op.
      const known = new Set([
        ...config.endpoints.map((e) => e.modelName),
        ...(config.monitoring?.models ?? []).map((m) => m.modelName),
      ]);
      for (const model of Object.keys(config.alerts.models)) {
        if (!known.has(model)) {
          ctx.addIssue({
            code: 'custom',
            path: ['alerts', 'models', model],
            message: `${model} is neither in mlops:endpoints nor in mlops:monitoring`,
          });
        }
      }
    }),
);
export type PlatformConfig = z.infer<typeof PlatformConfig>;

export const CONTEXT_PREFIX = 'mlops:';

/**
 * Parses `mlops:*` context entries into a `PlatformConfig`.
 * @throws Error naming every bad field, e.g. `mlops:apiThrottlingRateLimit: must be >= 1, got 0`.
 */
export function parsePlatformConfig(context: Record<string, unknown>): PlatformConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(context)) {
    if (key.startsWith(CONTEXT_PREFIX)) raw[key.slice(CONTEXT_PREFIX.length)] = value;
  }
  const parsed = PlatformConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.join('.');
    const given = issue.path.reduce<unknown>(
      (obj, k) =>
        obj && typeof obj === 'object' ? (obj as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined,
      raw,
    );
    return `${CONTEXT_PREFIX}${path}: ${issue.message}${given === undefined ? '' : `, got ${JSON.stringify(given)}`}`;
  });
  throw new Error(`Invalid platform config:\n  ${problems.join('\n  ')}`);
}
