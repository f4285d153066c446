/**
 * Environment variable names read by the Lambda handlers. The CDK constructs set them and local
 * mode sets them the same way, so a handler cannot tell the two apart.
 */
export const ENV = {
  /**
   * The platform's environment (`mlops:envName`), for the handlers that name a model's endpoint
   * with `endpointName(envName, model)` from `contracts/serving.ts`, the function the stack uses.
   */
  envName: 'MLOPS_ENV_NAME',
  /**
   * LLMOps: its table, and the SSM path whose `settings` parameter holds its `LlmConfig` as JSON
   * (endpoints, prices, rules, floors): a price table outgrows Lambda's 4 KB of environment.
   */
  llmTable: 'LLM_TABLE_NAME',
  llmConfigPath: 'LLM_CONFIG_PATH',
  /**
   * Local mode only: the stand-in LLM's base URL (OpenAI chat-completions protocol); every LLM
   * endpoint is served by it. Unset on AWS, where SageMaker and Bedrock serve.
   */
  llmLocalUrl: 'MLOPS_LLM_LOCAL_URL',
  /**
   * Retrieval on AWS: the Amazon S3 Vectors bucket and index holding every collection's chunk
   * vectors, and the Bedrock embedding model (and its output dimensions) that made them. Local
   * mode removes the bucket: collections keep their vectors in the LLM table there, embedded by
   * hashed word n-grams.
   */
  llmVectorBucket: 'LLM_VECTOR_BUCKET_NAME',
  llmVectorIndex: 'LLM_VECTOR_INDEX_NAME',
  llmEmbeddingModel: 'LLM_EMBEDDING_MODEL',
  llmEmbeddingDimensions: 'LLM_EMBEDDING_DIMENSIONS',
  /** The function that scores background evaluation runs (invoked asynchronously, page by page). */
  llmEvaluationWorkerFunction: 'LLM_EVALUATION_WORKER_FUNCTION',
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
  /** Local Kinesis (the feature stream's stand-in), for the stream's heartbeat. */
  kinesisEndpoint: 'MLOPS_KINESIS_ENDPOINT',
  /** Local Lambda service (Invoke API), for handlers that invoke other functions. */
  lambdaEndpoint: 'MLOPS_LAMBDA_ENDPOINT',
  /** Local SageMaker control plane (JSON 1.1) and runtime (InvokeEndpoint); see local/sagemaker. */
  sageMakerEndpoint: 'MLOPS_SAGEMAKER_ENDPOINT',
  sageMakerRuntimeEndpoint: 'MLOPS_SAGEMAKER_RUNTIME_ENDPOINT',
  /** Local CloudWatch stand-in that receives PutMetricData and evaluates alarms. */
  cloudWatchEndpoint: 'MLOPS_CLOUDWATCH_ENDPOINT',
  /** Local Step Functions API (StartExecution, DescribeExecution, ...); see local/state-machines. */
  stepFunctionsEndpoint: 'MLOPS_STEPFUNCTIONS_ENDPOINT',
  /** Local SSM Parameter Store (JSON 1.1 GetParameter(s), GetParametersByPath); see local/ssm. */
  ssmEndpoint: 'MLOPS_SSM_ENDPOINT',
  /**
   * Canary rollouts: their table, the state machine the route starts, and the SSM path holding one
   * String parameter per model with its `DeploymentTarget` (JSON); unset when no model has an endpoint.
   */
  deploymentsTable: 'DEPLOYMENTS_TABLE_NAME',
  deploymentStateMachineArn: 'DEPLOYMENT_STATE_MACHINE_ARN',
  deploymentTargetsPath: 'DEPLOYMENT_TARGETS_PATH',
  /** Feature store: definitions/jobs table, online store table, offline bucket (Parquet, manifests). */
  featureRegistryTable: 'FEATURE_REGISTRY_TABLE_NAME',
  onlineStoreTable: 'ONLINE_STORE_TABLE_NAME',
  /** The feature stream (Kinesis), where the heartbeat puts its records. */
  featureStreamName: 'FEATURE_STREAM_NAME',
  featureOfflineBucket: 'FEATURE_OFFLINE_BUCKET_NAME',
  /** `athena` on AWS; `duckdb` locally (an embedded engine over files fetched from S3). */
  featureOfflineEngine: 'FEATURE_OFFLINE_ENGINE',
  /** Athena workgroup and Glue database the training-set queries run in (AWS only). */
  featureAthenaWorkgroup: 'FEATURE_ATHENA_WORKGROUP',
  featureGlueDatabase: 'FEATURE_GLUE_DATABASE',
  /** The training-set worker function, invoked asynchronously; unset runs it in process (local). */
  featureTrainingWorkerFunction: 'FEATURE_TRAINING_WORKER_FUNCTION',
  /**
   * Monitoring: its table, its settings (JSON of `MonitoringSettings`: capture prefix, files per
   * Lambda), the SSM path holding one String parameter per monitored model with its
   * `MonitoredModel` (JSON; unset when no model is monitored), the fan-out state machine.
   */
  monitoringTable: 'MONITORING_TABLE_NAME',
  monitoringSettings: 'MONITORING_SETTINGS',
  monitoredModelsPath: 'MONITORED_MODELS_PATH',
  monitoringStateMachineArn: 'MONITORING_STATE_MACHINE_ARN',
  /**
   * Retraining: runs/locks table, the SSM path holding one String parameter per model with its
   * `RetrainingConfig` (JSON; unset when no model is retrained), its state machine.
   */
  pipelineTable: 'PIPELINE_TABLE_NAME',
  retrainingConfigsPath: 'RETRAINING_CONFIGS_PATH',
  pipelineStateMachineArn: 'PIPELINE_STATE_MACHINE_ARN',
  /**
   * Privacy: the erasure worker function the API invokes asynchronously (unset runs it in process),
   * and the monitoring table holding ground truth, which an erasure clears.
   */
  privacyErasureWorkerFunction: 'PRIVACY_ERASURE_WORKER_FUNCTION',
  /**
   * The prefixes of the artifacts bucket capture files are under (JSON array): serving's own, and
   * monitoring's `capturePrefix` when it reads capture from elsewhere. An erasure searches each.
   */
  privacyCapturePrefixes: 'PRIVACY_CAPTURE_PREFIXES',
  /** Experiment tracking (MLflow's REST API): experiments, runs, params, tags and metric history. */
  trackingTable: 'TRACKING_TABLE_NAME',
  /** A/B experiments, their aggregates and outcome markers. */
  experimentsTable: 'EXPERIMENTS_TABLE_NAME',
  /**
   * Per-caller rate limits: the token-bucket table, and the limits (JSON of `RateLimitsConfig`).
   * Unset, the router limits nothing (handlers under test).
   */
  rateLimitTable: 'RATE_LIMIT_TABLE_NAME',
  rateLimits: 'RATE_LIMITS',
  /**
   * Batch predictions: the jobs table, the state machine the API starts, and the engine settings
   * (JSON of `BatchEngineSettings`: Batch Transform instance type and count, rows per batch).
   */
  batchPredictionsTable: 'BATCH_PREDICTIONS_TABLE_NAME',
  batchStateMachineArn: 'BATCH_STATE_MACHINE_ARN',
  batchSettings: 'BATCH_SETTINGS',
  /** The reference trainer's image URI (the construct's image asset), for models that name no image. */
  defaultTrainingImage: 'DEFAULT_TRAINING_IMAGE',
} as const;
