/**
 * The model endpoint's rollout lock and routing record in the deployments table, as the rollout
 * writes them: the lock item (`deploymentKeys.lock`) held as `experiment:<name>` for as long as the
 * experiment runs, and the routing record (`deploymentKeys.routing`) the predict path reads, with
 * the experiment's assignment beside the weights.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EndpointRouting } from '../../../contracts/deployment';
import type { ExperimentRouting } from '../../../contracts/experiments';
import { endpointName } from '../../../contracts/serving';
import { deploymentKeys } from '../../../contracts/tables';
import { isConditionFailure } from '../../shared/dynamodb-errors';
import type { EndpointControl } from '../domain/ports';

export interface DynamoDbEndpointControlProps {
  readonly client: DynamoDBDocumentClient;
  readonly deploymentsTable: string;
  /** The platform's environment, which names its endpoints. */
  readonly envName: string;
}

/** An experiment's lock does not lapse like a rollout's: it is released when the experiment ends. */
const NEVER = '9999-12-31T23:59:59.999Z';

export class DynamoDbEndpointControl implements EndpointControl {
  constructor(private readonly props: DynamoDbEndpointControlProps) {}

  async acquire(modelName: string, holder: string, now: string) {
    const { client, deploymentsTable } = this.props;
    try {
      await client.send(
        new PutCommand({
          TableName: deploymentsTable,
          Item: {
            ...deploymentKeys.lock(modelName),
            deploymentId: holder,
            expiresAt: NEVER,
            acquiredAt: now,
          },
          // The rollout's own condition: free, ours, or lapsed.
          ConditionExpression: 'attribute_not_exists(pk) OR deploymentId = :id OR expiresAt < :now',
          ExpressionAttributeValues: { ':id': holder, ':now': now },
        }),
      );
      return { acquired: true } as const;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const held = await client.send(
        new GetCommand({
          TableName: deploymentsTable,
          Key: deploymentKeys.lock(modelName),
          ConsistentRead: true,
        }),
      );
      return { acquired: false, holder: String(held.Item?.deploymentId ?? 'unknown') } as const;
    }
  }

  async release(modelName: string, holder: string): Promise<void> {
    try {
      await this.props.client.send(
        new DeleteCommand({
          TableName: this.props.deploymentsTable,
          Key: deploymentKeys.lock(modelName),
          ConditionExpression: 'deploymentId = :id',
          ExpressionAttributeValues: { ':id': holder },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async route(
    modelName: string,
    holder: string,
    experiment: ExperimentRouting | undefined,
    now: string,
  ): Promise<void> {
    const { client, deploymentsTable, envName } = this.props;
    if (!experiment) {
      try {
        await client.send(
          new DeleteCommand({
            TableName: deploymentsTable,
            Key: deploymentKeys.routing(modelName),
            ConditionExpression: 'deploymentId = :id',
            ExpressionAttributeValues: { ':id': holder },
          }),
        );
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
      return;
    }
    const [control, treatment] = experiment.arms;
    const record: EndpointRouting & { experiment: ExperimentRouting } = {
      modelName,
      endpointName: endpointName(envName, modelName),
      weights: { champion: control.trafficPercent, challenger: treatment.trafficPercent },
      deploymentId: holder,
      updatedAt: now,
      experiment,
    };
    await client.send(
      new PutCommand({
        TableName: deploymentsTable,
        Item: { ...deploymentKeys.routing(modelName), ...record },
      }),
    );
  }
}
