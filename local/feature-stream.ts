/**
 * The feature stream locally: when the template has the stream and its event source mapping (a
 * declared view is fed by the stream), kinesalite serves the Kinesis API as the stream's stand-in
 * and the local event source mapping feeds the template's consumer function with the mapping's
 * batch size, tumbling window, bisection and retries. Kinesalite runs in this process (it is a
 * Node server, unlike DynamoDB Local's Java); with a data directory its records and the mapping's
 * checkpoint persist across restarts, as the stream's retention would keep them.
 * @see https://github.com/mhart/kinesalite
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ResourceInUseException,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { KinesisStreamStateResponse } from 'aws-lambda';
import type { CfnTemplate } from './cdk-template';
import { KinesisPoller } from './kinesis-poller';

/** The local stream's name: producers put records on it (`aws kinesis put-record --stream-name`). */
export const LOCAL_FEATURE_STREAM = 'mlops-feature-stream';
const LOCAL_ACCOUNT = '000000000000';
const LOCAL_REGION = 'us-east-1';
/** Local mode's stream is one shard: on-demand on AWS, and one consumer process here. */
const LOCAL_SHARDS = 1;

/** What the local mapping reads back from the template's `AWS::Lambda::EventSourceMapping`. */
export interface FeatureStreamMapping {
  readonly batchSize: number;
  readonly tumblingWindowSeconds: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly maximumRetryAttempts: number;
}

/** The feature stream's mapping in the template, or undefined when no view is fed by a stream. */
export function featureStreamMapping(template: CfnTemplate): FeatureStreamMapping | undefined {
  const hasStream = Object.values(template.Resources).some((r) => r.Type === 'AWS::Kinesis::Stream');
  const mapping = Object.values(template.Resources).find(
    (r) =>
      r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties?.TumblingWindowInSeconds !== undefined,
  );
  if (!hasStream || !mapping?.Properties) return undefined;
  const p = mapping.Properties;
  return {
    batchSize: Number(p.BatchSize ?? 100),
    tumblingWindowSeconds: Number(p.TumblingWindowInSeconds),
    bisectBatchOnFunctionError: p.BisectBatchOnFunctionError === true,
    maximumRetryAttempts: Number(p.MaximumRetryAttempts ?? -1),
  };
}

export interface LocalFeatureStream {
  /** The Kinesis endpoint (an SDK client's or the AWS CLI's `--endpoint-url`). */
  readonly endpoint: string;
  readonly streamName: string;
  readonly mapping: FeatureStreamMapping;
  /** Polls the stream once and closes every window that has ended (tests; the poller also ticks). */
  readonly poller: KinesisPoller;
  stop(): Promise<void>;
}

/**
 * Starts kinesalite with the feature stream and the mapping feeding `invoke` (the consumer
 * function), or returns undefined when the template has no feature stream.
 */
export async function startLocalFeatureStream(options: {
  readonly template: CfnTemplate;
  readonly invoke: (event: unknown) => Promise<unknown>;
  readonly dataDir?: string;
}): Promise<LocalFeatureStream | undefined> {
  const mapping = featureStreamMapping(options.template);
  if (mapping === undefined) return undefined;
  const kinesalite = require('kinesalite') as (opts: object) => Server;
  const server = kinesalite({
    createStreamMs: 0,
    ...(options.dataDir ? { path: join(options.dataDir, 'kinesis') } : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kinesis = new KinesisClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // The client speaks HTTP/2 by default (for SubscribeToShard); kinesalite serves HTTP/1.1.
    requestHandler: new NodeHttpHandler(),
  });
  const close = async () => {
    kinesis.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  try {
    await kinesis
      .send(new CreateStreamCommand({ StreamName: LOCAL_FEATURE_STREAM, ShardCount: LOCAL_SHARDS }))
      .catch((err) => {
        if (!(err instanceof ResourceInUseException)) throw err;
      });
    for (;;) {
      const { StreamDescriptionSummary } = await kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: LOCAL_FEATURE_STREAM }),
      );
      if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 20));
    }
  } catch (err) {
    await close();
    throw err;
  }
  const poller = new KinesisPoller({
    kinesis,
    streamName: LOCAL_FEATURE_STREAM,
    streamArn: `arn:aws:kinesis:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stream/${LOCAL_FEATURE_STREAM}`,
    handler: async (event) => (await options.invoke(event)) as KinesisStreamStateResponse | undefined,
    tumblingWindowSeconds: mapping.tumblingWindowSeconds,
    batchSize: mapping.batchSize,
    bisectBatchOnFunctionError: mapping.bisectBatchOnFunctionError,
    ...(mapping.maximumRetryAttempts >= 0 ? { maximumRetryAttempts: mapping.maximumRetryAttempts } : {}),
    // The on-failure destination is an SQS queue on AWS; locally the batch's description is logged.
    onFailure: async (failure) => console.error('feature stream batch failed:', JSON.stringify(failure)),
    ...(options.dataDir ? { checkpointFile: join(options.dataDir, 'feature-stream-checkpoint.json') } : {}),
  });
  poller.start();
  return {
    endpoint,
    streamName: LOCAL_FEATURE_STREAM,
    mapping,
    poller,
    stop: async () => {
      await poller.stop();
      await close();
    },
  };
}
