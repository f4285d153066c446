/**
 * Packages a registry version's ONNX artifact for SageMaker: reads it from the artifacts bucket,
 * writes model.tar.gz in the Triton layout to `modelPackageKey(model, version)`, the ModelDataUrl
 * a deployment's CreateModel names. Idempotent: an existing package is kept (same version, same
 * content-addressed artifact, same bytes).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/triton.html
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { modelPackageKey } from '../../../contracts/serving';
import { UnprocessableError } from '../../shared/errors';
import { packageOnnxModel } from '../domain/model-package';

export interface ModelPackageRequest {
  readonly bucket: string;
  readonly modelName: string;
  readonly version: number;
  /** The version's artifact key, `artifacts/sha256/<hex>/<file>`. */
  readonly artifactKey: string;
}

/** Ensures the package exists; returns its `s3://` URL. Throws 422 if the artifact is not ONNX. */
export async function ensureModelPackage(s3: S3Client, req: ModelPackageRequest): Promise<string> {
  const key = modelPackageKey(req.modelName, req.version);
  const url = `s3://${req.bucket}/${key}`;
  try {
    await s3.send(new HeadObjectCommand({ Bucket: req.bucket, Key: key }));
    return url;
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw err;
  }
  const object = await s3.send(new GetObjectCommand({ Bucket: req.bucket, Key: req.artifactKey }));
  const onnx = await object.Body!.transformToByteArray();
  let archive: Buffer;
  try {
    archive = packageOnnxModel(req.modelName, req.version, onnx);
  } catch (cause) {
    throw new UnprocessableError(
      'ARTIFACT_NOT_ONNX',
      `${req.modelName} version ${req.version}: the artifact is not an ONNX model`,
      { cause },
    );
  }
  await s3.send(
    new PutObjectCommand({ Bucket: req.bucket, Key: key, Body: archive, ContentType: 'application/gzip' }),
  );
  return url;
}
