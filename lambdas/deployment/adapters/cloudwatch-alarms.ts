/**
 * Alarm states from CloudWatch DescribeAlarms (metric and composite alarms), at most 100 names
 * per call.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
 */
import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmReader, AlarmState } from '../domain/ports';

const MAX_NAMES_PER_CALL = 100;

export class CloudWatchAlarmReader implements AlarmReader {
  constructor(private readonly client: CloudWatchClient) {}

  async describeAlarms(names: readonly string[]): Promise<AlarmState[]> {
    const found: AlarmState[] = [];
    for (let i = 0; i < names.length; i += MAX_NAMES_PER_CALL) {
      let NextToken: string | undefined;
      do {
        const out = await this.client.send(
          new DescribeAlarmsCommand({
            AlarmNames: names.slice(i, i + MAX_NAMES_PER_CALL),
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            NextToken,
          }),
        );
        for (const a of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
          if (!a.AlarmName) continue;
          found.push({
            name: a.AlarmName,
            state: (a.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState['state'],
            ...(a.StateReason ? { reason: a.StateReason } : {}),
          });
        }
        NextToken = out.NextToken;
      } while (NextToken);
    }
    return found;
  }
}
