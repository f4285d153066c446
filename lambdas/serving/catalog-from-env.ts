/**
 * Discovery's catalog from env: the stack's deployment targets, the registry and the artifacts
 * bucket. Loaded by `deps.ts` on the first discovery request only, so the predict path never
 * loads its S3, SSM and ONNX code at cold start.
 */
import { ENV } from '../../contracts/env';
import { deploymentTargets } from '../deployment';
import { registryReaderFromEnv } from '../registry';
import { requiredEnv } from '../shared/clients';
import { s3Client } from '../shared/s3-client';
import { RegistryModelCatalog } from './adapters/model-catalog';
import type { ModelCatalog } from './domain/discovery';

export function catalogFromEnv(): ModelCatalog {
  return new RegistryModelCatalog({
    targets: deploymentTargets(),
    registry: registryReaderFromEnv(),
    s3: s3Client(),
    artifactsBucket: requiredEnv(ENV.artifactsBucket),
  });
}
