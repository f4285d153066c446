/**
 * Environment variable names read by the Lambda handlers. The CDK constructs set them and local
 * mode sets them the same way, so a handler cannot tell the two apart.
 */
export const ENV = {
  registryTable: 'REGISTRY_TABLE_NAME',
  auditTable: 'AUDIT_TABLE_NAME',
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  artifactsBucket: 'ARTIFACTS_BUCKET_NAME',
  eventBusName: 'EVENT_BUS_NAME',
  /** JSON of the default governance policy (see `GovernancePolicy`). */
  governancePolicy: 'GOVERNANCE_POLICY',
  /** Seconds a presigned artifact upload URL stays valid. */
  uploadUrlTtlSeconds: 'UPLOAD_URL_TTL_SECONDS',
  /** Local mode only: endpoints of the stand-ins. Unset on AWS, where the SDK default applies. */
  dynamoDbEndpoint: 'MLOPS_DYNAMODB_ENDPOINT',
  s3Endpoint: 'MLOPS_S3_ENDPOINT',
  eventBridgeEndpoint: 'MLOPS_EVENTBRIDGE_ENDPOINT',
} as const;
