/**
 * Serving's public surface: the only file of `lambdas/serving/` other capabilities import. The
 * model package (Triton layout) is built here for deployment's rollouts and the retraining
 * pipeline alike.
 */
export { ensureModelPackage } from './adapters/s3-model-packager';
export { describeOnnx, packageOnnxModel } from './domain/model-package';
export { readTarGz } from './domain/tar';
