import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEPLOYMENTS_TABLE, EXPERIMENTS_TABLE } from '../../contracts/tables';
import { DynamoDbEndpointControl } from '../../lambdas/experiments/adapters/dynamodb-endpoint-control';
import { DynamoDbExperimentStore } from '../../lambdas/experiments/adapters/dynamodb-experiment-store';
import type { ExperimentsHandlerDeps } from '../../lambdas/experiments/deps';

/**
 * The experiments capability over the stand-ins' tables (`useStandIns({ tables: true })`), as the
 * handler builds it in the stack: its own table, the deployments table's endpoint locks, the
 * `dev` environment. Versions 1 and 2 exist; a test overrides what it varies.
 */
export function experimentsDeps(
  dynamoDb: DynamoDBClient,
  overrides: Partial<ExperimentsHandlerDeps> = {},
): ExperimentsHandlerDeps {
  return {
    store: new DynamoDbExperimentStore({
      client: dynamoDb,
      table: EXPERIMENTS_TABLE.id,
      auditTable: 'Audit',
    }),
    endpoints: new DynamoDbEndpointControl({
      client: DynamoDBDocumentClient.from(dynamoDb, {
        marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
      }),
      deploymentsTable: DEPLOYMENTS_TABLE.id,
      envName: 'dev',
    }),
    versions: { exists: async (_model, version) => version <= 2 },
    now: () => new Date(),
    newId: () => `id-${Math.random().toString(36).slice(2)}`,
    newSalt: () => `salt-${Math.random().toString(36).slice(2)}`,
    ...overrides,
  };
}
