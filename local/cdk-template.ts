/**
 * The synthesized CloudFormation template of the platform stack, as local mode reads it: the
 * same rules, schedules, state machines and functions `cdk deploy` would create. Synthesized in
 * process from the same config (cdk.json context), without asset bundling (local mode runs the
 * handler modules directly) and without cdk-nag (`npm test` and `cdk synth` run that). The
 * platform stack and its nested stacks are read as one template (see `flattenTemplates`).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, NestedStack, type Stack } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { parsePlatformConfig } from '../contracts/config';
import { PlatformStack } from '../lib/platform-stack';
import { ENTRY_METADATA_KEY } from '../lib/shared/platform-function';
import { flattenTemplates, type StackTemplates } from './flatten-template';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Parameters?: Record<string, unknown>;
  readonly Outputs?: Record<string, { Value: unknown }>;
}

/** Synthesizes the platform stack for the given context, as one template; takes a second or two. */
export function synthesizePlatformTemplate(context: Record<string, unknown>): CfnTemplate {
  // An empty bundling-stacks list tells CDK to skip asset bundling (no esbuild run, no Docker).
  // Path metadata names each resource's construct, so local mode can give a table or bucket its
  // local name (see function-environment.ts).
  // No built-in CloudFormation validation: its rules engine takes ~8 s of a start and only warns;
  // `cdk synth` of the same app keeps it, and cfn-lint checks the templates in `npm test`.
  const app = new App({
    context: { ...context, 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true },
    builtinCloudFormationValidation: false,
  });
  const config = parsePlatformConfig(app.node.getAllContext());
  const stack = new PlatformStack(app, `Mlops-${config.envName}`, { config });
  const assembly = app.synth({ validateOnSynthesis: false });
  return flattenTemplates(stackTemplates(assembly, stack)) as CfnTemplate;
}

/**
 * A synthesized stack's template and its nested stacks' (read from the assembly directory, where
 * CDK writes each as `<id>.nested.template.json`), keyed as `flattenTemplates` takes them.
 */
export function stackTemplates(assembly: CloudAssembly, stack: Stack): StackTemplates {
  const read = (s: Stack): StackTemplates => {
    const template = NestedStack.isNestedStack(s)
      ? JSON.parse(readFileSync(path.join(assembly.directory, s.templateFile), 'utf8'))
      : assembly.getStackArtifact(s.artifactId).template;
    const nested: Record<string, StackTemplates> = {};
    for (const child of s.node.findAll()) {
      if (!NestedStack.isNestedStack(child) || child.nestedStackParent !== s) continue;
      const resource = child.nestedStackResource;
      if (!resource) throw new Error(`${child.node.path} has no stack resource`);
      nested[s.getLogicalId(resource)] = read(child);
    }
    return { template, nested };
  };
  return read(stack);
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

/** A function's properties local mode runs it with: its template timeout and memory. */
export interface FunctionSettings {
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
}

/** The entry, timeout and memory of the template's function `logicalId` (Lambda's defaults where unset). */
export function functionSettings(template: CfnTemplate, logicalId: string): FunctionSettings {
  const resource = template.Resources[logicalId];
  const entry = resource?.Metadata?.[ENTRY_METADATA_KEY];
  if (typeof entry !== 'string') throw new Error(`${logicalId} is not a function with a handler module`);
  const props = resource.Properties ?? {};
  return {
    entry,
    timeoutSeconds: typeof props.Timeout === 'number' ? props.Timeout : 3,
    memorySizeMb: typeof props.MemorySize === 'number' ? props.MemorySize : 128,
  };
}

/** The `Environment.Variables` the template gives function `logicalId`, intrinsics unresolved. */
export function functionEnvironmentVariables(
  template: CfnTemplate,
  logicalId: string,
): Record<string, unknown> {
  const environment = template.Resources[logicalId]?.Properties?.Environment as
    | { Variables?: Record<string, unknown> }
    | undefined;
  return environment?.Variables ?? {};
}

/**
 * The function behind each HTTP API route (`GET /models` -> logical id), as API Gateway finds it:
 * the route's target integration and the function ARN that integration calls.
 */
export function routeFunctions(template: CfnTemplate): Map<string, string> {
  const routes = new Map<string, string>();
  for (const [, route] of resourcesOfType(template, 'AWS::ApiGatewayV2::Route')) {
    const target = JSON.stringify(route.Properties?.Target ?? '');
    const integrationId = /"Ref":"([^"]+)"/.exec(target)?.[1];
    const uri = integrationId && template.Resources[integrationId]?.Properties?.IntegrationUri;
    const fn = (uri as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
    const key = route.Properties?.RouteKey;
    if (typeof key === 'string' && fn) routes.set(key, fn);
  }
  return routes;
}

/** Resources of one type, by logical id. */
export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}
