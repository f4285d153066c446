/**
 * Publishes audit records to the platform's EventBridge bus. Fed by the audit table's stream: an
 * audit record commits in the same transaction as the change it describes, so every committed
 * change is published at least once, and nothing is published for a change that rolled back.
 * Failed entries are reported as batch item failures, so only they are retried.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { ENV } from '../../contracts/env';
import { type AuditRecord, eventSourceOf } from '../../contracts/events';
import { eventBridgeClient, requiredEnv } from '../shared/clients';
import { logger } from '../shared/logger';

/** PutEvents takes at most 10 entries per call. */
const PUT_EVENTS_BATCH = 10;

export function toEventEntry(record: AuditRecord, busName: string): PutEventsRequestEntry {
  return {
    EventBusName: busName,
    Source: eventSourceOf(record.action),
    DetailType: record.action,
    Detail: JSON.stringify(record),
    Time: new Date(record.at),
  };
}

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const busName = requiredEnv(ENV.eventBusName);
  const pending: Array<{ sequence: string; entry: PutEventsRequestEntry; record: AuditRecord }> = [];
  for (const r of event.Records) {
    if (r.eventName !== 'INSERT' || !r.dynamodb?.NewImage) continue;
    const { pk: _pk, sk: _sk, ...record } = unmarshall(r.dynamodb.NewImage as Record<string, AttributeValue>);
    pending.push({
      sequence: r.dynamodb.SequenceNumber ?? '',
      entry: toEventEntry(record as AuditRecord, busName),
      record: record as AuditRecord,
    });
  }
  const failed: string[] = [];
  for (let i = 0; i < pending.length; i += PUT_EVENTS_BATCH) {
    const batch = pending.slice(i, i + PUT_EVENTS_BATCH);
    try {
      const out = await eventBridgeClient().send(
        new PutEventsCommand({ Entries: batch.map((b) => b.entry) }),
      );
      out.Entries?.forEach((e, j) => {
        if (!e.ErrorCode) return;
        // The request that made the change, so its failure is found with the rest of its lines.
        const { id, action, requestId } = batch[j].record;
        logger.error('PutEvents entry failed', {
          code: e.ErrorCode,
          message: e.ErrorMessage,
          auditId: id,
          action,
          ...(requestId ? { correlation_id: requestId } : {}),
        });
        failed.push(batch[j].sequence);
      });
    } catch (error) {
      logger.error('PutEvents failed', {
        error: error as Error,
        entries: batch.length,
        correlation_ids: batch.flatMap((b) => (b.record.requestId ? [b.record.requestId] : [])),
      });
      failed.push(...batch.map((b) => b.sequence));
    }
  }
  // Stream order matters for retries: report from the first failure on, so no later record is
  // checkpointed past an earlier one that still has to be sent.
  if (failed.length === 0) return { batchItemFailures: [] };
  const first = pending.findIndex((p) => failed.includes(p.sequence));
  return { batchItemFailures: pending.slice(first).map((p) => ({ itemIdentifier: p.sequence })) };
};
