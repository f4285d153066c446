/**
 * The worker's and the steps' ports from env: S3 for parts, row groups and the model, which is
 * decoded once per container and scored with the platform's in-Lambda ONNX evaluator (the native
 * onnxruntime binding cannot be bundled into the Lambda asset; see `lambdas/pipeline`).
 */
import { onnxFeatureNames, scoreOnnx } from '../pipeline';
import { s3Client } from '../shared/s3-client';
import { S3BatchFiles } from './adapters/s3-batch-files';
import { jobDepsFromEnv } from './deps';
import type { StepDeps } from './domain/steps';
import type { LoadedModel, WorkerDeps } from './domain/worker';

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

export function stepDepsFromEnv(): StepDeps {
  return { ...jobDepsFromEnv(), files: new S3BatchFiles(s3Client()) };
}
