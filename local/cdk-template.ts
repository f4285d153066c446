/**
 * The synthesized CloudFormation template of the platform stack, as local mode reads it: the
 * same rules, schedules, state machines and functions `cdk deploy` would create, synthesized from
 * the same config (cdk.json context) by `synthesize-template.ts`. A template is kept in
 * `node_modules/.cache/cdk-mlops-templates` under a hash of its context and of every source it is
 * built from, so starting the platform again on unchanged code skips the synth and the CDK's own
 * loading (about 5 s of CPU each time; the tests start the platform dozens of times).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ENTRY_METADATA_KEY } from '../contracts/template-metadata';

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

const ROOT = path.join(__dirname, '..');
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'cdk-mlops-templates');
/**
 * What a synthesized template is built from: the app's constructs, the contracts they read, the
 * handler sources and trainer image they name, the console's built files (an asset), this
 * synthesis, and the CDK's version (in the lock file).
 */
const SOURCES = [
  'lib',
  'contracts',
  'lambdas',
  'containers',
  path.join('console', 'dist'),
  path.join('local', 'synthesize-template.ts'),
  path.join('local', 'flatten-template.ts'),
  'package-lock.json',
];

/** Synthesizes the platform stack for the given context, as one template, or reads it as kept. */
export function synthesizePlatformTemplate(context: Record<string, unknown>): CfnTemplate {
  const kept = keptTemplatePath(context);
  try {
    return JSON.parse(readFileSync(kept, 'utf8')) as CfnTemplate;
  } catch {
    // Not synthesized for this context and code yet: below.
  }
  // Loaded only now: the CDK takes seconds to load.
  const { synthesizeTemplate } = require('./synthesize-template') as typeof import('./synthesize-template');
  const template = synthesizeTemplate(context);
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside and renamed: a platform starting meanwhile reads all of it or none.
    const partial = `${kept}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(template));
    renameSync(partial, kept);
  } catch {
    // A read-only install synthesizes every time.
  }
  return template;
}

/** Where the template of `context` on the code as it is now is kept. */
export function keptTemplatePath(context: Record<string, unknown>): string {
  const hash = createHash('sha256').update(JSON.stringify(context));
  for (const source of SOURCES) hashTree(hash, source);
  return path.join(CACHE_DIR, `${hash.digest('hex')}.json`);
}

/** Adds every file under `relative` (sorted, by path and content) to `hash`. */
function hashTree(hash: ReturnType<typeof createHash>, relative: string): void {
  const absolute = path.join(ROOT, relative);
  let entries: string[];
  try {
    if (!statSync(absolute).isDirectory()) {
      hash.update(`\0${relative}\0`).update(readFileSync(absolute));
      return;
    }
    entries = readdirSync(absolute).sort();
  } catch {
    hash.update(`\0${relative}\0missing`);
    return;
  }
  for (const entry of entries) {
    if (entry === 'node_modules') continue;
    hashTree(hash, path.join(relative, entry));
  }
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
