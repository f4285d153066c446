/**
 * The cold-start floor: a handler holding one DynamoDB client, the least a platform function
 * loads. Bundled with the handlers' own settings, so its ratio is what the code adds.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({});

export const handler = async (event: { table: string }) =>
  client.send(new DescribeTableCommand({ TableName: event.table }));
