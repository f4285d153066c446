/**
 * The audit record as one item of a DynamoDB transaction: written with the change it describes,
 * it is also the event outbox (the audit table's stream publishes it). Never overwritten.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../../contracts/events';
import { auditKeys } from '../../contracts/tables';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export function auditPut(auditTable: string, record: AuditRecord): TransactItem {
  return {
    Put: {
      TableName: auditTable,
      Item: { ...auditKeys.record(record.modelName, record.at, record.id), ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
