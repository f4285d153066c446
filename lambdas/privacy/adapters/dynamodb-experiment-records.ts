/**
 * The experiments table's items that name a randomization unit: predictions served inside an
 * experiment (`INFERENCE#<model>#<id>`, carrying `unit`), outcome-event markers (carrying `unit`)
 * and first-outcome unit markers (`EXPERIMENT#<name>#UNIT#<unit>`). None is keyed by the unit
 * alone, so an erasure finds them with a Scan, page by page (the page's last key is the run's
 * cursor), filtered on the units; the units' tombstones sit in the same table, where the predict
 * path and the outcome transactions check them.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html
 */
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unitTombstoneHash } from '../../../contracts/erasure-keys';
import { experimentKeys } from '../../../contracts/tables';
import { isConditionFailure } from '../../shared/dynamodb-errors';
import type { ExperimentItemChange, ExperimentRecords } from '../domain/ports';

export interface DynamoDbExperimentRecordsProps {
  readonly client: DynamoDBDocumentClient;
  /** The experiments table. */
  readonly table: string;
  /** Items a page evaluates (before the filter). @default 1000 */
  readonly pageSize?: number;
}

const EXPOSURE_SK = experimentKeys.exposure('', '').sk;
const EVENT_SK = experimentKeys.event('', '').sk;
const INFERENCE_PREFIX = 'INFERENCE#';
/** `EXPERIMENT#<name>#UNIT#<unit>`: experiment names hold no `#`, so the unit is what follows. */
const UNIT_MARKER = /^EXPERIMENT#[^#]+#UNIT#(.*)$/s;

export class DynamoDbExperimentRecords implements ExperimentRecords {
  constructor(private readonly props: DynamoDbExperimentRecordsProps) {}

  async tombstone(units: readonly string[]): Promise<void> {
    const puts = [...new Set(units)].map((u) => ({
      PutRequest: { Item: { ...experimentKeys.erasedUnit(unitTombstoneHash(u)) } },
    }));
    // BatchWriteItem takes 25 requests; unprocessed ones are sent again.
    for (let i = 0; i < puts.length; i += 25) {
      let pending: typeof puts | undefined = puts.slice(i, i + 25);
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt >= 8) throw new Error('DynamoDB left unit tombstones unwritten');
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        const out = await this.props.client.send(
          new BatchWriteCommand({ RequestItems: { [this.props.table]: pending } }),
        );
        pending = out.UnprocessedItems?.[this.props.table] as typeof puts | undefined;
      }
    }
  }

  async find(
    units: readonly string[],
    cursor?: string,
  ): Promise<{ items: ExperimentItemChange[]; next?: string }> {
    const wanted = new Set(units);
    const values: Record<string, unknown> = { ':unitSk': experimentKeys.unitMarkerSk };
    [...wanted].forEach((u, i) => {
      values[`:u${i}`] = u;
    });
    const out = await this.props.client.send(
      new ScanCommand({
        TableName: this.props.table,
        Limit: this.props.pageSize ?? 1000,
        // Predictions and outcome markers carry the unit; unit markers are told apart below.
        FilterExpression: `#unit IN (${Object.keys(values)
          .filter((k) => k !== ':unitSk')
          .join(', ')}) OR sk = :unitSk`,
        ProjectionExpression: 'pk, sk, #unit',
        ExpressionAttributeNames: { '#unit': 'unit' },
        ExpressionAttributeValues: values,
        ...(cursor ? { ExclusiveStartKey: JSON.parse(cursor) } : {}),
      }),
    );
    const items: ExperimentItemChange[] = [];
    for (const item of out.Items ?? []) {
      const pk = String(item.pk);
      const sk = String(item.sk);
      const unit = typeof item.unit === 'string' ? item.unit : undefined;
      if (sk === EXPOSURE_SK && unit !== undefined && wanted.has(unit) && pk.startsWith(INFERENCE_PREFIX)) {
        // `INFERENCE#<model>#<id>`: model names hold no `#`.
        const rest = pk.slice(INFERENCE_PREFIX.length);
        const at = rest.indexOf('#');
        items.push({
          pk,
          sk,
          change: 'delete',
          kind: 'prediction',
          inference: { model: rest.slice(0, at), id: rest.slice(at + 1) },
        });
      } else if (sk === EVENT_SK && unit !== undefined && wanted.has(unit)) {
        items.push({ pk, sk, change: 'redact', kind: 'outcomeMarker' });
      } else if (sk === experimentKeys.unitMarkerSk) {
        const m = UNIT_MARKER.exec(pk);
        if (m && wanted.has(m[1])) items.push({ pk, sk, change: 'delete', kind: 'unitMarker' });
      }
    }
    return {
      items,
      ...(out.LastEvaluatedKey ? { next: JSON.stringify(out.LastEvaluatedKey) } : {}),
    };
  }

  async apply(items: readonly ExperimentItemChange[]): Promise<void> {
    for (const item of items) {
      const Key = { pk: item.pk, sk: item.sk };
      if (item.change === 'delete') {
        await this.props.client.send(new DeleteCommand({ TableName: this.props.table, Key }));
        continue;
      }
      try {
        await this.props.client.send(
          new UpdateCommand({
            TableName: this.props.table,
            Key,
            UpdateExpression: 'REMOVE #unit',
            // A marker already without its unit (an earlier application) is left alone.
            ConditionExpression: 'attribute_exists(#unit)',
            ExpressionAttributeNames: { '#unit': 'unit' },
          }),
        );
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
  }
}
