/**
 * What a crash between a keyed request's effect and its answer leaves in the idempotency table:
 * Powertools' record of every keyed request in progress, its in-progress lease run out, so a
 * retry gets past it to the record committed with the effect (if any).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { IDEMPOTENCY_TABLE } from '../../contracts/tables';

export async function crashLeftRequestsInProgress(client: DynamoDBClient): Promise<void> {
  // The platform's marshalling options: a document client shares (and would reset) its client's.
  const db = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const out = await db.send(new ScanCommand({ TableName: IDEMPOTENCY_TABLE.id }));
  for (const item of out.Items ?? []) {
    if (String(item.id).startsWith('effect#')) continue;
    const { data: _data, ...rest } = item;
    await db.send(
      new PutCommand({
        TableName: IDEMPOTENCY_TABLE.id,
        Item: { ...rest, status: 'INPROGRESS', in_progress_expiration: Date.now() - 1_000 },
      }),
    );
  }
}
