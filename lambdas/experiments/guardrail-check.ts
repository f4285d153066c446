/**
 * The guardrail schedule's function (EventBridge rule, every few minutes): evaluates every running
 * experiment and stops those whose split, guardrails or alarms say so.
 */
import { experimentsDepsFromEnv } from './deps';
import { evaluateRunningExperiments } from './domain/guardrails';

let deps: ReturnType<typeof experimentsDepsFromEnv> | undefined;

export const handler = async () => {
  deps ??= experimentsDepsFromEnv();
  return { experiments: await evaluateRunningExperiments(deps) };
};
