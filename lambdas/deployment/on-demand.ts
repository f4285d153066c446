/**
 * The deployment adapters a cold start should not load: the deployment targets on SSM (Powertools'
 * SSM provider), model packages and object probes on S3 (with serving's ONNX reader). Imported by
 * `deps.ts` and `targets-from-env.ts` on first use (`lazyPort`).
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { ENV } from '../../contracts/env';
import { withTimeouts } from '../shared/clients';
import { s3Client } from '../shared/s3-client';
import { traced } from '../shared/tracing';
import { S3ModelPackages } from './adapters/s3-model-packages';
import { S3ObjectProbe } from './adapters/s3-object-probe';
import { SsmDeploymentTargets } from './adapters/ssm-deployment-targets';

export const ssmDeploymentTargets = (path: string) =>
  new SsmDeploymentTargets({
    client: traced(new SSMClient({ ...withTimeouts(), endpoint: process.env[ENV.ssmEndpoint] || undefined })),
    path,
  });

export const modelPackages = (bucket: string) => new S3ModelPackages(s3Client(), bucket);

export const objectProbe = () => new S3ObjectProbe(s3Client());
