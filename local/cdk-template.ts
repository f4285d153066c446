/**
 * The synthesized CloudFormation template of the platform stack, as local mode reads it: the
 * same rules, schedules, state machines and functions `cdk deploy` would create. Synthesized in
 * process from the same config (cdk.json context), without asset bundling (local mode runs the
 * handler modules directly) and without cdk-nag (`npm test` and `cdk synth` run that).
 */
import { App } from 'aws-cdk-lib';
import { parsePlatformConfig } from '../contracts/config';
import { PlatformStack } from '../lib/platform-stack';
import { ENTRY_METADATA_KEY } from '../lib/shared/platform-function';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

/** Synthesizes the platform stack for the given context; takes a second or two. */
export function synthesizePlatformTemplate(context: Record<string, unknown>): CfnTemplate {
  // An empty bundling-stacks list tells CDK to skip asset bundling (no esbuild run, no Docker).
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const config = parsePlatformConfig(app.node.getAllContext());
  const stack = new PlatformStack(app, `Mlops-${config.envName}`, { config });
  const assembly = app.synth({ validateOnSynthesis: false });
  return assembly.getStackArtifact(stack.artifactId).template as CfnTemplate;
}

/** Lambda functions of the template by logical id, with the handler module each runs. */
export function functionEntries(template: CfnTemplate): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const entry = resource.Metadata?.[ENTRY_METADATA_KEY];
    if (typeof entry === 'string') entries.set(id, entry);
  }
  return entries;
}

/** Resources of one type, by logical id. */
export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}
