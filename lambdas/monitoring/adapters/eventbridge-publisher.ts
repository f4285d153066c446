/**
 * `EventPublisher` on EventBridge PutEvents to the platform bus, source `cdk-mlops.monitoring`. A
 * failed entry is an error, so the check (and its Lambda or state machine retry) sees it.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { MONITORING_EVENT_SOURCE } from '../../../contracts/events';
import type { EventPublisher } from '../domain/ports';

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async publish(detailType: string, detail: unknown): Promise<void> {
    const out = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.eventBusName,
            Source: MONITORING_EVENT_SOURCE,
            DetailType: detailType,
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    if (out.FailedEntryCount) {
      const entry = out.Entries?.[0];
      throw new Error(`PutEvents refused ${detailType}: ${entry?.ErrorCode} ${entry?.ErrorMessage}`);
    }
  }
}
