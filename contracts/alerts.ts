/**
 * Alerting: who hears an alarm. Alarms go to one SNS topic per severity (`critical`, `warning`),
 * named after the environment so every stack (nested ones included) names the same topic without
 * a cross-stack reference; `mlops:alerts` says who is subscribed and how alarms are tuned per
 * model. The thresholds themselves default in `lib/observability/defaults.ts`.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-actions
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';

/** How urgently a person must act: `critical` pages, `warning` is read in working hours. */
export const AlertSeverity = lazySchema(() => z.enum(['critical', 'warning']));
export type AlertSeverity = z.infer<typeof AlertSeverity>;
export const ALERT_SEVERITIES: readonly AlertSeverity[] = AlertSeverity.options;

/** `mlops-<envName>-alerts-<severity>`: the topic alarms of that severity notify. */
export const alertTopicName = (envName: string, severity: AlertSeverity): string =>
  `mlops-${envName}-alerts-${severity}`;

/**
 * The severity an alert topic's name stands for (local mode reads it off an alarm action's ARN).
 * @returns undefined for a topic that is not a platform alert topic
 */
export function severityOfTopicArn(arn: string): AlertSeverity | undefined {
  const m = /:mlops-[a-z0-9-]+-alerts-(critical|warning)$/.exec(arn);
  return m ? (m[1] as AlertSeverity) : undefined;
}

/**
 * Every kind of alarm the platform raises, each with a severity and threshold in the defaults
 * file and overridable in `mlops:alerts` (platform-wide under `alarms`, per model under `models`).
 */
export const AlarmKindName = lazySchema(() =>
  z.enum([
    // Platform
    'outboxDeadLetters',
    'outboxIteratorAge',
    'approvedRolloutFailures',
    'stateMachineFailed',
    'lambdaErrors',
    'lambdaThrottles',
    'apiServerErrorRate',
    'apiLatencyP99',
    'dynamoDbThrottles',
    'trainingJobFailed',
    'featureFreshness',
    'rateLimitUnavailable',
    // Per model
    'driftShare',
    'qualityDrop',
    'variantLatency',
    'variantErrorRate',
    'endpointLatency',
    'endpointErrorRate',
    'requestRateLow',
    'cpuUtilizationHigh',
    'gpuUtilizationHigh',
    'gpuMemoryUtilizationHigh',
  ]),
);
export type AlarmKindName = z.infer<typeof AlarmKindName>;

/** The kinds a model's own settings may tune (`mlops:alerts.models.<model>`). */
export const MODEL_ALARM_KINDS = [
  'driftShare',
  'qualityDrop',
  'variantLatency',
  'variantErrorRate',
  'endpointLatency',
  'endpointErrorRate',
  'requestRateLow',
  'cpuUtilizationHigh',
  'gpuUtilizationHigh',
  'gpuMemoryUtilizationHigh',
] as const satisfies readonly AlarmKindName[];

/**
 * One alarm kind's tuning over its default. `threshold` is in the kind's own unit (see the
 * defaults file); drift share, quality drop and the canary alarms keep the thresholds their own
 * config gives (`driftShareThreshold`, `maxRelativeDrop`, `latencyThresholdMicroseconds`, ...), so
 * for them only `severity` applies.
 */
export const AlarmTuning = lazySchema(() =>
  z.strictObject({
    severity: AlertSeverity.optional(),
    threshold: z.number().finite().min(0).optional(),
    evaluationPeriods: z.number().int().min(1).max(100).optional(),
    datapointsToAlarm: z.number().int().min(1).max(100).optional(),
  }),
);
export type AlarmTuning = z.infer<typeof AlarmTuning>;

const severities = lazySchema(() => z.array(AlertSeverity).min(1).default(['critical', 'warning']));

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const CHATBOT_ARN =
  /^arn:aws[a-z-]*:chatbot::\d{12}:chat-configuration\/(slack-channel|microsoft-teams-channel|chime-webhook)\/[A-Za-z0-9_.-]{1,128}$/;

/**
 * Who hears alarms of the given severities: an email address (SNS asks it to confirm), an HTTPS
 * endpoint (PagerDuty's or Opsgenie's CloudWatch integration URL), an existing SNS topic (alarms
 * notify it besides the platform's topic), or an AWS Chatbot configuration (which must list the
 * platform's topic: Chatbot reads its topics from the configuration, which this stack does not
 * own; the topic ARNs are stack outputs).
 */
export const AlertSubscription = lazySchema(() =>
  z.union([
    z.strictObject({ email: z.email('must be an email address'), severities }),
    z.strictObject({
      url: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
      severities,
    }),
    z.strictObject({
      topicArn: z
        .string()
        .regex(TOPIC_ARN, 'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)'),
      severities,
    }),
    z.strictObject({
      chatbotConfigurationArn: z
        .string()
        .regex(
          CHATBOT_ARN,
          'must be an AWS Chatbot configuration ARN (arn:aws:chatbot::<account>:chat-configuration/...)',
        ),
      severities,
    }),
  ]),
);
export type AlertSubscription = z.infer<typeof AlertSubscription>;

/** CloudWatch takes 5 actions per alarm state: the platform topic and at most 4 existing ones. */
export const MAX_EXISTING_TOPICS_PER_SEVERITY = 4;

/** `mlops:alerts`. */
export const AlertsConfig = lazySchema(() =>
  z
    .strictObject({
      subscriptions: z.array(AlertSubscription).max(50).default([]),
      /** Platform-wide tuning by alarm kind. */
      alarms: z.partialRecord(AlarmKindName, AlarmTuning).default({}),
      /** Per-model tuning by alarm kind, over `alarms`. */
      models: z
        .record(
          z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a model name'),
          z.partialRecord(z.enum(MODEL_ALARM_KINDS), AlarmTuning),
        )
        .default({}),
    })
    .superRefine((config, ctx) => {
      for (const severity of ALERT_SEVERITIES) {
        const topics = config.subscriptions.filter((s) => 'topicArn' in s && s.severities.includes(severity));
        if (topics.length > MAX_EXISTING_TOPICS_PER_SEVERITY) {
          ctx.addIssue({
            code: 'custom',
            path: ['subscriptions'],
            message: `at most ${MAX_EXISTING_TOPICS_PER_SEVERITY} existing topics per severity (CloudWatch takes 5 actions per alarm state), got ${topics.length} for ${severity}`,
          });
        }
      }
      const check = (tuning: AlarmTuning, path: PropertyKey[]) => {
        if (tuning.datapointsToAlarm !== undefined && tuning.evaluationPeriods !== undefined) {
          if (tuning.datapointsToAlarm > tuning.evaluationPeriods) {
            ctx.addIssue({
              code: 'custom',
              path: [...path, 'datapointsToAlarm'],
              message: `must be at most evaluationPeriods (${tuning.evaluationPeriods}), got ${tuning.datapointsToAlarm}`,
            });
          }
        }
      };
      for (const [kind, tuning] of Object.entries(config.alarms)) if (tuning) check(tuning, ['alarms', kind]);
      for (const [model, kinds] of Object.entries(config.models)) {
        for (const [kind, tuning] of Object.entries(kinds))
          if (tuning) check(tuning, ['models', model, kind]);
      }
    }),
);
export type AlertsConfig = z.infer<typeof AlertsConfig>;
