/**
 * A valid body per route where the schema alone does not give one (cross-field rules, names of
 * the seeded resources), so each generated case breaks exactly one thing of a request that would
 * otherwise reach the handler's own checks and its writes. The tier checks that each parses.
 */
export const EXAMPLE_BODIES: Record<string, unknown> = {
  RegisterVersion: {
    metrics: { accuracy: 0.91 },
    params: { depth: '6' },
    tags: { team: 'risk' },
    lineage: { trainingRunId: 'run-1', parentVersion: 1 },
    governance: { securityScan: 'PASSED', demographicParityDifference: 0.02 },
    artifact: { sha256: 'f'.repeat(64), sizeBytes: 1024 },
  },
  StartDeployment: { version: 1, canarySteps: [10, 100], bakeMinutes: 5 },
  CreateFeatureView: {
    name: 'hostile_new',
    entities: [{ name: 'customer_id', valueType: 'int64' }],
    features: [{ name: 'f1', dtype: 'float64' }],
    ttlSeconds: 3600,
  },
  UpdateFeatureView: {
    entities: [{ name: 'customer_id', valueType: 'int64' }],
    features: [
      { name: 'f1', dtype: 'float64' },
      { name: 'f2', dtype: 'int64' },
    ],
    expectedVersion: 1,
  },
  PushFeatures: {
    featureView: 'hostile_fv',
    rows: [{ customer_id: 7, event_timestamp: '2026-01-01T00:00:00Z', f1: 0.5 }],
  },
  GetOnlineFeatures: { features: ['hostile_fv:f1'], entities: { customer_id: [7, 8] } },
  MaterializeFeatureView: { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' },
  CreateTrainingSet: {
    features: ['hostile_fv:f1'],
    entityRows: [{ customer_id: 7, event_timestamp: '2026-01-01T00:00:00Z', label: 1 }],
  },
  CheckDrift: {
    modelName: 'hostile',
    reference: { rows: [{ x: 1 }, { x: 2 }, { x: 3 }] },
    current: { rows: [{ x: 1 }, { x: 5 }, { x: 9 }] },
  },
  CreateReferenceProfile: { data: { rows: [{ x: 1 }, { x: 2 }, { x: 3 }] } },
  Predict: { inputs: [{ name: 'features', shape: [1, 2], datatype: 'FP32', data: [0.1, 0.2] }] },
  CreateBatchUpload: { fileName: 'hostile/rows.csv', contentLength: 1024, contentType: 'text/csv' },
};
