/**
 * The worker's and the steps' ports from env: S3 for parts, row groups and the model (and SageMaker
 * for the steps' cleanup of a stopped run's transform model), the model being
 * decoded once per container and scored with the platform's in-Lambda ONNX evaluator (the native
 * onnxruntime binding cannot be bundled into the Lambda asset; see `lambdas/pipeline`).
 */
import { ENV } from '../../contracts/env';
import { withTimeouts } from '../shared/clients';
import { lazyPort } from '../shared/lazy-port';
import { s3Client } from '../shared/s3-client';
import { traced } from '../shared/tracing';
import { S3BatchFiles } from './adapters/s3-batch-files';
import { jobDepsFromEnv } from './deps';
import type { JobModels } from './domain/ports';
import type { StepDeps } from './domain/steps';
import type { LoadedModel, WorkerDeps } from './domain/worker';
import { enrichFromEnv } from './enrichment-deps';

const models = new Map<string, Promise<LoadedModel>>();

/**
 * The ONNX reader and evaluator (the ONNX protobuf schema, about 110 KB), imported by the first
 * model read: the steps that read no model (prepare, finalize, the transform's shards) load none.
 */
const onnx = async () => {
  const [{ onnxFeatureNames, scoreOnnx }, { describeOnnx, packageOnnxModel }] = await Promise.all([
    import('../pipeline'),
    import('../serving'),
  ]);
  return { onnxFeatureNames, scoreOnnx, describeOnnx, packageOnnxModel };
};

/** SageMaker's control plane, imported by the first cleanup of a stopped run's transform model. */
const sageMakerJobModels = (): JobModels =>
  lazyPort(async () => {
    const [{ SageMakerClient }, { SageMakerJobModels }] = await Promise.all([
      import('@aws-sdk/client-sagemaker'),
      import('./adapters/sagemaker-job-models'),
    ]);
    const endpoint = process.env[ENV.sageMakerEndpoint] || undefined;
    return new SageMakerJobModels(traced(new SageMakerClient({ ...withTimeouts(), endpoint })));
  }, {});

export function workerDepsFromEnv(): WorkerDeps {
  const files = new S3BatchFiles(s3Client());
  return {
    files,
    loadModel: (bucket, key) => {
      const id = `${bucket}/${key}`;
      let loaded = models.get(id);
      if (!loaded) {
        loaded = Promise.all([files.readBytes(bucket, key), onnx()]).then(
          ([bytes, { onnxFeatureNames, scoreOnnx }]) => ({
            featureNames: onnxFeatureNames(bytes),
            score: (features: number[][]) => scoreOnnx(bytes, features),
          }),
        );
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
    jobModels: sageMakerJobModels(),
    transformModel: async (job) => {
      const bytes = await files.readBytes(job.artifact.bucket, job.artifact.key);
      const { describeOnnx, onnxFeatureNames, packageOnnxModel } = await onnx();
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
