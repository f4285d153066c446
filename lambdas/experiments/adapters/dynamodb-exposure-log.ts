/**
 * Exposures in the experiments table: one item per (model, inference id), its own partition so
 * prediction rates spread, with `expiresAt` so DynamoDB's TTL deletes it once ground truth may no
 * longer come. Reads are BatchGetItem of up to 100 keys, unprocessed keys retried after a pause.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { unitTombstoneHash } from '../../../contracts/erasure-keys';
import { EXPOSURE_RETENTION_DAYS, type ExperimentExposure } from '../../../contracts/experiments';
import { experimentKeys } from '../../../contracts/tables';
import type { ExposureLog } from '../domain/ports';

export interface DynamoDbExposureLogProps {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;
  readonly now?: () => Date;
}

/** BatchGetItem's limit of keys per request. */
const BATCH_GET = 100;
const MAX_BATCH_ATTEMPTS = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class DynamoDbExposureLog implements ExposureLog {
  constructor(private readonly props: DynamoDbExposureLogProps) {}

  private now(): Date {
    return this.props.now?.() ?? new Date();
  }

  /**
   * Puts the exposure unless its unit was erased: the put and the check of the unit's tombstone are
   * one transaction, so an erasure (tombstone first, then its pass over the table) never misses one.
   */
  async record(modelName: string, inferenceId: string, exposure: ExperimentExposure): Promise<boolean> {
    const now = this.now();
    try {
      await this.props.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.props.table,
                Key: experimentKeys.erasedUnit(unitTombstoneHash(exposure.unit)),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.props.table,
                Item: {
                  ...experimentKeys.exposure(modelName, inferenceId),
                  ...exposure,
                  at: now.toISOString(),
                  expiresAt: Math.floor(now.getTime() / 1000) + EXPOSURE_RETENTION_DAYS * 86_400,
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (
        err instanceof TransactionCanceledException &&
        err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      )
        return false;
      throw err;
    }
  }

  async find(modelName: string, inferenceIds: readonly string[]): Promise<Map<string, ExperimentExposure>> {
    const found = new Map<string, ExperimentExposure>();
    const ids = [...new Set(inferenceIds)];
    const idOf = new Map(ids.map((id) => [experimentKeys.exposure(modelName, id).pk, id]));
    const table = this.props.table;
    const nowSeconds = this.now().getTime() / 1000;
    for (let i = 0; i < ids.length; i += BATCH_GET) {
      let keys: Record<string, unknown>[] | undefined = ids
        .slice(i, i + BATCH_GET)
        .map((id) => experimentKeys.exposure(modelName, id));
      for (let attempt = 0; keys?.length; attempt++) {
        if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error('DynamoDB left exposure reads unprocessed');
        if (attempt > 0) await sleep(Math.random() * 25 * 2 ** attempt);
        const out: BatchGetCommandOutput = await this.props.client.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: keys } } }),
        );
        for (const item of out.Responses?.[table] ?? []) {
          const id = idOf.get(item.pk as string);
          // TTL deletes lazily: an expired item may still be read.
          if (id === undefined || Number(item.expiresAt) < nowSeconds) continue;
          found.set(id, {
            experiment: item.experiment as string,
            unit: item.unit as string,
            arm: item.arm as string,
            ...(item.prediction !== undefined
              ? { prediction: item.prediction as ExperimentExposure['prediction'] }
              : {}),
          });
        }
        keys = out.UnprocessedKeys?.[table]?.Keys;
      }
    }
    return found;
  }
}
