/**
 * The alerts the demo's drift and bad canary raised, as the platform's SNS topics would have sent
 * them: the local CloudWatch evaluates the template's alarms, and each one with actions that
 * changes state is an alert at `GET /_local/alerts`.
 */
import type { LocalRoutes } from './local-routes';
import { until } from './platform-calls';
import type { Progress } from './progress';

interface Alert {
  readonly at: string;
  readonly alarmName: string;
  readonly description?: string;
  readonly severity?: string;
  readonly state: string;
}

/** Waits until an alarm whose name contains each of `expected` has alerted, then prints every alert. */
export async function showAlerts(
  local: LocalRoutes,
  p: Progress,
  expected: readonly string[],
): Promise<Alert[]> {
  const alerts = await until(
    `alerts of ${expected.join(', ')}`,
    async () => (await local.get<{ items: Alert[] }>('/_local/alerts')).items,
    (items) => expected.every((e) => items.some((a) => a.state === 'ALARM' && a.alarmName.includes(e))),
    { timeoutMs: 30_000 },
  );
  for (const a of alerts) {
    p.done(
      `${a.severity ?? 'external'} ${a.state} ${a.alarmName}${a.description ? `: ${a.description}` : ''}`,
    );
  }
  return alerts;
}
