/**
 * Puts one event on the platform bus with a capability's source (`cdk-mlops.monitoring`,
 * `cdk-mlops.pipeline`...), for events that are not changes of record (those go through the audit
 * outbox). A refused entry is an error, so the caller (and its Lambda or state machine retry) sees
 * it rather than losing the event.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

export class EventBridgePublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
    private readonly source: string,
  ) {}

  async publish(detailType: string, detail: unknown): Promise<void> {
    const out = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.eventBusName,
            Source: this.source,
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
