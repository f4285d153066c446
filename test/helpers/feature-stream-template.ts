/**
 * The feature store construct alone, synthesized with declared views and a 1-second tumbling
 * window: the template local mode's feature stream reads its mapping from, in tests and benches.
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DeclaredFeatureViews } from '../../contracts/features';
import { FEATURE_REGISTRY_TABLE, ONLINE_STORE_TABLE } from '../../contracts/tables';
import { FeatureStore } from '../../lib/features/feature-store';
import { PlatformStorage } from '../../lib/storage/platform-storage';
import type { CfnTemplate } from '../../local/cdk-template';

export function featureStreamTemplate(views: unknown[]): CfnTemplate {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Features');
  const storage = new PlatformStorage(stack, 'Storage', { removalPolicy: RemovalPolicy.DESTROY });
  new FeatureStore(stack, 'Features', {
    storage: {
      ...storage,
      featureRegistryTable: storage.tables[FEATURE_REGISTRY_TABLE.id],
      onlineStoreTable: storage.tables[ONLINE_STORE_TABLE.id],
    },
    removalPolicy: RemovalPolicy.DESTROY,
    streamTumblingWindow: Duration.seconds(1),
    featureViews: DeclaredFeatureViews.parse(views),
  });
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}
