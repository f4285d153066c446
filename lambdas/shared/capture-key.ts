/**
 * The platform's capture key, the secret under which enriched predictions hash the entity keys
 * they carry to their endpoint (`captureKeyHash`) and erasures hash the keys they look for. One
 * item of the feature registry table, created by the first function that needs it (a conditional
 * put: of two racing, both read the one that won) and then remembered for the container's life.
 * It never appears in capture files, so their hashes cannot be reversed by hashing likely keys.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { featureKeys } from '../../contracts/tables';
import { isConditionFailure } from './dynamodb-errors';

/** Where the capture key is read from, creating it when it does not exist yet. */
export interface CaptureKeySource {
  secret(): Promise<string>;
}

export class DynamoDbCaptureKey implements CaptureKeySource {
  private cached?: Promise<string>;

  constructor(private readonly props: { client: DynamoDBDocumentClient; table: string }) {}

  secret(): Promise<string> {
    this.cached ??= this.load().catch((err: unknown) => {
      // A failed read is tried again by the next call, not remembered.
      this.cached = undefined;
      throw err;
    });
    return this.cached;
  }

  private async read(): Promise<string | undefined> {
    const out = await this.props.client.send(
      new GetCommand({ TableName: this.props.table, Key: featureKeys.captureKey, ConsistentRead: true }),
    );
    return typeof out.Item?.secret === 'string' ? out.Item.secret : undefined;
  }

  private async load(): Promise<string> {
    const found = await this.read();
    if (found) return found;
    try {
      await this.props.client.send(
        new PutCommand({
          TableName: this.props.table,
          Item: { ...featureKeys.captureKey, secret: randomBytes(32).toString('hex') },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      // Another function created it first: theirs is the key.
      if (!isConditionFailure(err)) throw err;
    }
    const created = await this.read();
    if (!created) throw new Error('the capture key was not stored');
    return created;
  }
}
