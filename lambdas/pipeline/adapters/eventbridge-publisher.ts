/**
 * `PipelineEventPublisher` on EventBridge PutEvents to the platform bus, source
 * `cdk-mlops.pipeline`. A refused entry is an error, so the check fails and its schedule's retry
 * (or the next tick) reports again with the same check id.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PIPELINE_EVENT_SOURCE } from '../../../contracts/events';
import type { PipelineEventPublisher } from '../domain/data-volume-check';

export class EventBridgePipelinePublisher implements PipelineEventPublisher {
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
            Source: PIPELINE_EVENT_SOURCE,
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
