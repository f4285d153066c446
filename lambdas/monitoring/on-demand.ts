/**
 * The monitoring adapters whose SDK clients a cold start should not load: S3 (captures, reports),
 * CloudWatch (metrics) and Step Functions (the fan-out). `deps.ts` imports this module on the first
 * call of one of them (`lazyPort`); the bundle holds it in a chunk of its own.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ENV } from '../../contracts/env';
import { withTimeouts } from '../shared/clients';
import { s3Client } from '../shared/s3-client';
import { traced } from '../shared/tracing';
import { CloudWatchMetricsSink } from './adapters/cloudwatch-metrics';
import { S3ObjectStore } from './adapters/s3-object-store';
import { StepFunctionsFanOut } from './adapters/step-functions-fan-out';

export const objectStore = (bucket: string) => new S3ObjectStore(s3Client(), bucket);

export const cloudWatchMetricsSink = (endpoint: string | undefined) =>
  new CloudWatchMetricsSink(traced(new CloudWatchClient({ ...withTimeouts(), endpoint })));

export const stepFunctionsFanOut = (stateMachineArn: string) =>
  new StepFunctionsFanOut(
    traced(
      new SFNClient({ ...withTimeouts(), endpoint: process.env[ENV.stepFunctionsEndpoint] || undefined }),
    ),
    stateMachineArn,
  );
