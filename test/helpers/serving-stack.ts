/**
 * A stack with just what serving and rollouts need (storage, endpoints, the deployment state
 * machine), with cdk-nag, so the serving tests do not depend on every other capability's wiring.
 */
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type ModelEndpointConfig, ModelEndpointsConfig } from '../../contracts/deployment';
import { DEPLOYMENTS_TABLE } from '../../contracts/tables';
import { ModelDeployment } from '../../lib/deployment/model-deployment';
import { ModelEndpoint, type ModelEndpointProps } from '../../lib/serving/model-endpoint';
import { PlatformStorage } from '../../lib/storage/platform-storage';

export const TEST_GOVERNANCE = {
  metricFloors: { accuracy: 0.85 },
  maxDemographicParityDifference: 0.1,
  requireModelCard: true,
  requireSecurityScan: true,
  requireLoadTest: true,
};

export interface ServingStack {
  readonly app: App;
  readonly stack: Stack;
  readonly storage: PlatformStorage;
  readonly endpoints: Record<string, ModelEndpoint>;
  readonly deployment: ModelDeployment;
}

/** Builds storage + one endpoint per config entry + the deployment construct, bundling skipped. */
export function buildServingStack(
  entries: ReadonlyArray<Partial<ModelEndpointConfig> & { modelName: string }>,
  extra: Partial<ModelEndpointProps> = {},
  options: { nag?: boolean; alarmCheckSeconds?: number } = {},
): ServingStack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Serving', { env: { region: 'us-east-1', account: '123456789012' } });
  const storage = new PlatformStorage(stack, 'Storage', { removalPolicy: RemovalPolicy.DESTROY });
  const config = ModelEndpointsConfig.parse(entries);
  const endpoints: Record<string, ModelEndpoint> = {};
  for (const e of config) {
    endpoints[e.modelName] = new ModelEndpoint(stack, `Endpoint-${e.modelName}`, {
      envName: 'dev',
      ...e,
      ...extra,
      bucket: storage.artifactsBucket,
      encryptionKey: storage.key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
  const deployment = new ModelDeployment(stack, 'Deployment', {
    storage: { ...storage, deploymentsTable: storage.tables[DEPLOYMENTS_TABLE.id] },
    targets: config.map((e) => ({
      endpoint: endpoints[e.modelName],
      canarySteps: e.canarySteps,
      bakeMinutes: e.bakeMinutes,
    })),
    governance: TEST_GOVERNANCE,
    eventBus: new events.EventBus(stack, 'Bus'),
    removalPolicy: RemovalPolicy.DESTROY,
    ...(options.alarmCheckSeconds
      ? { alarmCheckInterval: { toSeconds: () => options.alarmCheckSeconds } as never }
      : {}),
  });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, storage, endpoints, deployment };
}
