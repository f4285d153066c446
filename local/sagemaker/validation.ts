/**
 * SageMaker's error shape and the input checks of the local control plane, with the messages
 * SageMaker gives, so a caller's error handling can be tried locally.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/CommonErrors.html
 */
import { arnOf, type DataCaptureConfig, type ProductionVariantConfig } from './state';

/** An error in SageMaker's wire shape: `__type` and `message`. */
export class SageMakerError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A ValidationException, the type SageMaker gives for bad input and unknown resources. */
export const validation = (message: string) => new SageMakerError('ValidationException', message);
const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** A SageMaker resource name: at most 63 of `[a-zA-Z0-9-]`, no leading or trailing hyphen. */
export function requireName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw validation(
      `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`,
    );
  }
  return value;
}

/** Checks CreateEndpointConfig's variants and data capture; models must exist, as on AWS. */
export function checkEndpointConfigInput(
  input: Record<string, unknown>,
  modelExists: (name: string) => boolean,
): { variants: ProductionVariantConfig[]; capture?: DataCaptureConfig } {
  const variants = input.ProductionVariants as ProductionVariantConfig[] | undefined;
  if (!Array.isArray(variants) || variants.length < 1 || variants.length > 10)
    throw validation('ProductionVariants must have 1 to 10 members');
  const seen = new Set<string>();
  for (const v of variants) {
    requireName(v.VariantName, 'productionVariants.member.variantName');
    if (seen.has(v.VariantName)) throw validation(`Duplicate variant name ${v.VariantName}`);
    seen.add(v.VariantName);
    if (!modelExists(v.ModelName))
      throw validation(`Could not find model "${arnOf('model', String(v.ModelName))}".`);
    if (v.InitialVariantWeight !== undefined && !(v.InitialVariantWeight >= 0))
      throw validation('InitialVariantWeight must be >= 0');
  }
  const capture = input.DataCaptureConfig as DataCaptureConfig | undefined;
  if (capture) {
    if (!(capture.InitialSamplingPercentage >= 0 && capture.InitialSamplingPercentage <= 100)) {
      throw validation('InitialSamplingPercentage must be 0..100');
    }
    if (!/^s3:\/\/[^/]+/.test(capture.DestinationS3Uri ?? ''))
      throw validation('DestinationS3Uri must be an S3 URI');
    if (!Array.isArray(capture.CaptureOptions) || capture.CaptureOptions.length === 0)
      throw validation('CaptureOptions is required');
  }
  return { variants, capture };
}

/** The operations the wire server dispatches to, by X-Amz-Target suffix. */
export const CONTROL_OPERATIONS = [
  'CreateModel',
  'DescribeModel',
  'DeleteModel',
  'CreateEndpointConfig',
  'DescribeEndpointConfig',
  'DeleteEndpointConfig',
  'CreateEndpoint',
  'UpdateEndpoint',
  'UpdateEndpointWeightsAndCapacities',
  'DescribeEndpoint',
  'DeleteEndpoint',
  'ListEndpoints',
  'CreateTransformJob',
  'DescribeTransformJob',
  'StopTransformJob',
] as const;
export type ControlOperation = (typeof CONTROL_OPERATIONS)[number];
