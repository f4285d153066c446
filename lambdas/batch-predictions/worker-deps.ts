/**
 * The worker's and the steps' ports from env: S3 for parts, row groups and the model (and SageMaker
 * for the steps' cleanup of a stopped run's transform model), the model being
 * decoded once per container and scored with the platform's in-Lambda ONNX evaluator (the native
 * onnxruntime binding cannot be bundled into the Lambda asset; see `lambdas/pipeline`).
 */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ENV } from '../../contracts/env';
import { onnxFeatureNames, scoreOnnx } from '../pipeline';
import { describeOnnx, packageOnnxModel } from '../serving';
import { withTimeouts } from '../shared/clients';
import { s3Client } from '../shared/s3-client';
import { traced } from '../shared/tracing';
import { S3BatchFiles } from './adapters/s3-batch-files';
import { SageMakerJobModels } from './adapters/sagemaker-job-models';
import { jobDepsFromEnv } from './deps';
import type { StepDeps } from './domain/steps';
import type { LoadedModel, WorkerDeps } from './domain/worker';
import { enrichFromEnv } from './enrichment-deps';

const models = new Map<string, Promise<LoadedModel>>();

export function workerDepsFromEnv(): WorkerDeps {
  const files = new S3BatchFiles(s3Client());
  return {
    files,
    loadModel: (bucket, key) => {
      const id = `${bucket}/${key}`;
      let loaded = models.get(id);
      if (!loaded) {
        loaded = files.readBytes(bucket, key).then((bytes) => ({
          featureNames: onnxFeatureNames(bytes),
          score: (features: number[][]) => scoreOnnx(bytes, features),
        }));
        models.set(id, loaded);
        loaded.catch(() => models.delete(id));
      }
      return loaded;
    },
  };
}

/** Triton's element types as the Open Inference Protocol names them (`TYPE_FP32` -> `FP32`). */
const oipDatatype = (tritonType: string) => tritonType.replace(/^TYPE_/, '').replace(/^STRING$/, 'BYTES');

export function stepDepsFromEnv(): StepDeps {
  const files = new S3BatchFiles(s3Client());
  const enrich = enrichFromEnv(files);
  return {
    ...jobDepsFromEnv(),
    files,
    ...(enrich ? { enrich } : {}),
    // The local SageMaker's where MLOPS_SAGEMAKER_ENDPOINT is set.
    jobModels: new SageMakerJobModels(
      traced(
        new SageMakerClient({ ...withTimeouts(), endpoint: process.env[ENV.sageMakerEndpoint] || undefined }),
      ),
    ),
    transformModel: async (job) => {
      const bytes = await files.readBytes(job.artifact.bucket, job.artifact.key);
      const { inputs } = describeOnnx(bytes);
      if (inputs.length !== 1)
        throw new Error(
          `model ${job.modelName} version ${job.version} has ${inputs.length} inputs; batch scoring feeds one`,
        );
      return {
        featureNames: onnxFeatureNames(bytes),
        input: { name: inputs[0].name, datatype: oipDatatype(inputs[0].tritonType) },
        tritonPackage: packageOnnxModel(job.modelName, job.version, bytes),
      };
    },
  };
}
