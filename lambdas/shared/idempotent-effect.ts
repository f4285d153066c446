/**
 * Domain-level idempotency: the Idempotency-Key stored with the effect it keys, in the effect's
 * own DynamoDB transaction, holding the answer the request gives. Powertools' record (see
 * `idempotency.ts`) only says a request is in progress or done; a crash between the effect's
 * commit and that record's completion left it in progress, and once it expired the retry ran
 * again (a second version) or was refused (409 `STAGE_UNCHANGED`). Here the key commits with the
 * effect or not at all, so a retry after any crash finds either no effect (and applies it once)
 * or the effect's record (and answers what the first attempt would have answered).
 *
 * How the parts meet: `withIdempotency` opens a scope for a keyed request; the domain, just before
 * its write, states the answer the write gives (`answerOnCommit`); the adapter sends its write
 * through `transactWrite`, which adds the key's item (`attribute_not_exists`) to the transaction.
 * A transaction refused on that item means the key's effect is already committed
 * (`EffectAlreadyApplied`), and the wrapper answers from the stored record.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
import { type DynamoDBClient, GetItemCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { TransactItem } from './audit-outbox';
import {
  currentEffectScope,
  EffectAlreadyApplied,
  type EffectRecord,
  type EffectScope,
} from './effect-scope';

export { EffectAlreadyApplied };

/** The key's item for a transaction, when the current request is keyed and has stated its answer. */
function effectPut(): { scope: EffectScope; item: TransactItem } | undefined {
  const scope = currentEffectScope();
  if (!scope?.answer || scope.committed) return undefined;
  const record: EffectRecord = {
    payloadHash: scope.payloadHash,
    status: scope.answer.status ?? scope.status,
    ...(scope.answer.body === undefined ? {} : { body: JSON.stringify(scope.answer.body) }),
  };
  return {
    scope,
    item: {
      Put: {
        TableName: scope.tableName,
        Item: { id: scope.id, expiration: scope.expiration, ...record },
        ConditionExpression: 'attribute_not_exists(id)',
      },
    },
  };
}

/**
 * Sends a transaction, with the current keyed request's effect record as its last item when the
 * domain has stated its answer. DynamoDB holds at most 100 items per transaction; callers that
 * fill one to the limit leave room for this item.
 * @throws EffectAlreadyApplied when the record exists (the transaction then changed nothing)
 */
export async function transactWrite(db: DynamoDBDocumentClient, items: TransactItem[]): Promise<void> {
  const effect = effectPut();
  const all = effect ? [...items, effect.item] : items;
  try {
    await db.send(new TransactWriteCommand({ TransactItems: all }));
  } catch (err) {
    const reasons = err instanceof TransactionCanceledException ? (err.CancellationReasons ?? []) : [];
    if (effect && reasons[all.length - 1]?.Code === 'ConditionalCheckFailed') {
      throw new EffectAlreadyApplied({ cause: err });
    }
    throw err;
  }
  if (effect) effect.scope.committed = true;
}

/**
 * Commits the keyed request's answer alone, for an effect that is not a DynamoDB write but is
 * itself idempotent (a Step Functions execution named from the key, labels put by id): the effect
 * comes first, and a retry after a crash between the two applies the same effect again and
 * commits the record then. Outside a keyed request, or with no answer stated, it does nothing.
 * @throws EffectAlreadyApplied when an earlier attempt committed the record
 */
export async function commitEffect(db: DynamoDBDocumentClient): Promise<void> {
  if (effectPut()) await transactWrite(db, []);
}

/**
 * The stored record of a key, read consistently; `undefined` when no effect committed. Takes the
 * plain client: a document client made `from` it would replace the marshalling options of the
 * document client the adapters share (they share one config).
 */
export async function readEffect(
  client: DynamoDBClient,
  scope: Pick<EffectScope, 'tableName' | 'id'>,
): Promise<EffectRecord | undefined> {
  const out = await client.send(
    new GetItemCommand({ TableName: scope.tableName, Key: { id: { S: scope.id } }, ConsistentRead: true }),
  );
  return out.Item ? (unmarshall(out.Item) as EffectRecord) : undefined;
}
