import type { GovernancePolicy, ModelVersion } from '../../../contracts/registry';

export const strictPolicy: GovernancePolicy = {
  metricFloors: { accuracy: 0.85 },
  maxDemographicParityDifference: 0.1,
  requireModelCard: true,
  requireSecurityScan: true,
  requireLoadTest: true,
};

export function aVersion(overrides: Partial<ModelVersion> = {}): ModelVersion {
  return {
    modelName: 'churn',
    version: 3,
    description: '',
    status: 'READY',
    stage: 'Staging',
    metrics: { accuracy: 0.91 },
    params: {},
    tags: {},
    lineage: {},
    governance: {
      modelCardUrl: 'https://example.com/cards/churn-3',
      securityScan: 'PASSED',
      loadTest: 'PASSED',
      demographicParityDifference: 0.04,
    },
    artifact: {
      bucket: 'b',
      key: 'k',
      sha256: 'a'.repeat(64),
      sizeBytes: 10,
      contentType: 'application/octet-stream',
    },
    createdAt: '2026-11-24T00:00:00.000Z',
    updatedAt: '2026-11-24T00:00:00.000Z',
    createdBy: 'arn:aws:iam::123456789012:user/alice',
    ...overrides,
  };
}
