/**
 * The predict path's traffic split on DynamoDB Local: what the rollout's store records
 * (`putRouting`) is what the predictions function's reader returns, reused for its TTL, and an
 * endpoint with no record is at rest (the champion alone). No SageMaker call is involved.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEPLOYMENTS_TABLE } from '../../contracts/tables';
import { DynamoDbDeploymentStore } from '../../lambdas/deployment/adapters/dynamodb-deployment-store';
import { DynamoDbEndpointRouting } from '../../lambdas/serving/adapters/dynamodb-endpoint-routing';
import { stickyVariant } from '../../lambdas/serving/domain/routing';
import { useStandIns } from '../helpers/stand-ins';

const standIns = useStandIns({ tables: true });

describe('DynamoDbEndpointRouting', () => {
  it('reads the split the rollout recorded, reuses it for its TTL, and sees an unrecorded endpoint at rest', async () => {
    // Prepare
    const client = DynamoDBDocumentClient.from(standIns.dynamoDb);
    const store = new DynamoDbDeploymentStore({
      client,
      deploymentsTable: DEPLOYMENTS_TABLE.id,
      auditTable: 'Audit',
    });
    let now = 0;
    const routing = new DynamoDbEndpointRouting({
      envName: 'dev',
      client,
      deploymentsTable: DEPLOYMENTS_TABLE.id,
      ttlMs: 5000,
      now: () => now,
    });
    const split = (champion: number, challenger: number) =>
      store.putRouting({
        modelName: 'churn',
        endpointName: 'mlops-dev-churn',
        weights: { champion, challenger },
        deploymentId: 'd1',
        updatedAt: new Date().toISOString(),
      });

    // Act
    await split(50, 50);
    const during = await routing.variants('churn');
    await split(100, 0);
    const cached = await routing.variants('churn');
    now = 5000;
    const after = await routing.variants('churn');
    const unrecorded = await routing.variants('fraud');

    // Assess
    expect(routing.endpointName('churn')).toBe('mlops-dev-churn');
    expect(during).toEqual([
      { name: 'champion', weight: 50 },
      { name: 'challenger', weight: 50 },
    ]);
    expect(cached).toEqual(during);
    expect(after).toEqual([
      { name: 'champion', weight: 100 },
      { name: 'challenger', weight: 0 },
    ]);
    expect(unrecorded).toEqual([{ name: 'champion', weight: 100 }]);
    // Sticky routing over the recorded 50/50 split sends keys to both variants, each key to one.
    const keys = Array.from({ length: 200 }, (_, i) => `customer-${i}`);
    const chosen = keys.map((k) => stickyVariant(during, k));
    expect(new Set(chosen)).toEqual(new Set(['champion', 'challenger']));
    expect(keys.map((k) => stickyVariant(during, k))).toEqual(chosen);
    expect(keys.every((k) => stickyVariant(after, k) === 'champion')).toBe(true);
  });
});
