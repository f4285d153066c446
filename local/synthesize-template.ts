/**
 * Synthesizes the platform stack for local mode, in process: the same app and config `cdk synth`
 * uses, without asset bundling (local mode runs the handler sources directly) and without cdk-nag
 * (`npm test` and `cdk synth` run that). The platform stack and its nested stacks are read as one
 * template (see `flattenTemplates`). `cdk-template.ts` keeps what this returns.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, NestedStack, type Stack } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { parsePlatformConfig } from '../contracts/config';
import { PlatformStack } from '../lib/platform-stack';
import type { CfnTemplate } from './cdk-template';
import { flattenTemplates, type StackTemplates } from './flatten-template';

/** Synthesizes the platform stack for the given context, as one template; takes a few seconds. */
export function synthesizeTemplate(context: Record<string, unknown>): CfnTemplate {
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
