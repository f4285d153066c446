/**
 * Approval requests on DynamoDB, in the model's partition of the registry table (`APPROVAL#<id>`).
 * An OPEN request also carries `kind = APPROVAL_OPEN` and `name = <expiresAt>#<model>#<id>`, so the
 * registry table's `byKind` index lists every open request by expiry for the sweep; closing one
 * drops both, taking it out of the index. Every write is one transaction with its audit record,
 * conditioned on the request still having the status and decisions it was read with.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-indexes-general-sparse-indexes.html
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ApprovalRequest, ApprovalStatus } from '../../../contracts/approvals';
import type { AuditRecord } from '../../../contracts/events';
import { REGISTRY_TABLE, registryKeys } from '../../../contracts/tables';
import { auditPut, type TransactItem } from '../../shared/audit-outbox';
import { conditional } from '../../shared/dynamodb-errors';
import { ConflictError } from '../../shared/errors';
import { encodePageToken, readPage } from '../../shared/http';
import { transactWrite } from '../../shared/idempotent-effect';
import type { ApprovalStore, ApprovalUpdate, Page, PageRequest } from '../domain/ports';

/** The `byKind` partition of open requests. */
export const OPEN_APPROVAL_KIND = 'APPROVAL_OPEN';

const approvalKey = (modelName: string, id: string) => ({
  pk: registryKeys.modelPartition(modelName),
  sk: `APPROVAL#${id}`,
});

/**
 * The version's latest request: the item two racing opens of the version both condition on, so
 * only one commits. Outside `APPROVAL#`, so lists of requests never see it.
 */
const latestKey = (modelName: string, version: number) => ({
  pk: registryKeys.modelPartition(modelName),
  sk: `APPROVAL_LATEST#${String(version).padStart(10, '0')}`,
});

function toItem(request: ApprovalRequest): Record<string, unknown> {
  const open =
    request.status === 'OPEN'
      ? { kind: OPEN_APPROVAL_KIND, name: `${request.expiresAt}#${request.modelName}#${request.id}` }
      : {};
  return { ...approvalKey(request.modelName, request.id), ...open, ...request };
}

function fromItem(item: Record<string, unknown>): ApprovalRequest {
  const { pk: _pk, sk: _sk, kind: _kind, name: _name, ...request } = item;
  return request as unknown as ApprovalRequest;
}

/**
 * The write of an update, for a transaction of its own or the approved transition's: the whole
 * request, if it is still OPEN with the decisions it was read with.
 */
export function approvalUpdateItem(table: string, update: ApprovalUpdate): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: toItem(update.after),
      ConditionExpression: '#status = :expected AND size(decisions) = :decisions',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':expected': update.expectedStatus ?? 'OPEN',
        ':decisions': update.expectedDecisions,
      },
    },
  };
}

export interface DynamoDbApprovalStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly registryTable: string;
  readonly auditTable: string;
}

export class DynamoDbApprovalStore implements ApprovalStore {
  private readonly db: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly auditTable: string;

  constructor(props: DynamoDbApprovalStoreProps) {
    this.db = props.client;
    this.table = props.registryTable;
    this.auditTable = props.auditTable;
  }

  async putRequest(
    request: ApprovalRequest,
    audit: AuditRecord,
    replacing: string | undefined,
  ): Promise<void> {
    const latest = latestKey(request.modelName, request.version);
    await conditional(
      () =>
        transactWrite(this.db, [
          {
            Put: {
              TableName: this.table,
              Item: toItem(request),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: { ...latest, approvalId: request.id },
              ConditionExpression:
                replacing === undefined ? 'attribute_not_exists(pk)' : 'approvalId = :replacing',
              ...(replacing === undefined ? {} : { ExpressionAttributeValues: { ':replacing': replacing } }),
            },
          },
          {
            ConditionCheck: {
              TableName: this.table,
              Key: registryKeys.model(request.modelName),
              ConditionExpression: '#status = :active',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':active': 'ACTIVE' },
            },
          },
          auditPut(this.auditTable, audit),
        ]),
      () =>
        new ConflictError('CONCURRENT_MODIFICATION', `model ${request.modelName} changed meanwhile; retry`),
    );
  }

  async latestOf(modelName: string, version: number): Promise<string | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: latestKey(modelName, version), ConsistentRead: true }),
    );
    return out.Item ? String(out.Item.approvalId) : undefined;
  }

  async getRequest(modelName: string, id: string): Promise<ApprovalRequest | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: approvalKey(modelName, id), ConsistentRead: true }),
    );
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async listRequests(
    modelName: string,
    query: PageRequest & { readonly status?: ApprovalStatus },
  ): Promise<Page<ApprovalRequest>> {
    const items: ApprovalRequest[] = [];
    const read = (startKey: Record<string, unknown> | undefined) =>
      this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ...(query.status ? { FilterExpression: '#status = :status' } : {}),
          ...(query.status ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
          ExpressionAttributeValues: {
            ':pk': registryKeys.modelPartition(modelName),
            ':prefix': 'APPROVAL#',
            ...(query.status ? { ':status': query.status } : {}),
          },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: query.limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
    let out = await readPage(query.nextToken, read);
    for (;;) {
      for (const item of out.Items ?? []) items.push(fromItem(item));
      if (!out.LastEvaluatedKey || items.length >= query.limit) break;
      out = await read(out.LastEvaluatedKey);
    }
    const nextToken = encodePageToken(out.LastEvaluatedKey);
    return nextToken ? { items, nextToken } : { items };
  }

  async updateRequest(update: ApprovalUpdate, audit: AuditRecord): Promise<void> {
    await conditional(
      () =>
        transactWrite(this.db, [approvalUpdateItem(this.table, update), auditPut(this.auditTable, audit)]),
      () =>
        new ConflictError(
          'CONCURRENT_MODIFICATION',
          `approval ${update.after.id} of ${update.after.modelName} changed meanwhile; read it and retry`,
        ),
    );
  }

  async listExpiring(at: string, limit: number): Promise<ApprovalRequest[]> {
    const index = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: REGISTRY_TABLE.globalSecondaryIndexes[0].indexName,
        KeyConditionExpression: '#kind = :kind AND #name <= :at',
        ExpressionAttributeNames: { '#kind': 'kind', '#name': 'name' },
        ExpressionAttributeValues: { ':kind': OPEN_APPROVAL_KIND, ':at': `${at}#\uffff` },
        Limit: limit,
      }),
    );
    // The index is eventually consistent: read each request itself before acting on it.
    const found = await Promise.all(
      (index.Items ?? []).map((i) => this.getRequest(String(i.modelName), String(i.id))),
    );
    return found.filter((r): r is ApprovalRequest => r?.status === 'OPEN');
  }
}
