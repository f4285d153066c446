/**
 * Room to grow in CloudFormation: with every capability on and the config at its maxima, each
 * template the app synthesizes (the platform stack and every nested stack) stays well under
 * CloudFormation's quotas: 500 resources (held here to 400: 20% headroom), 1 MB (CDK uploads
 * templates as assets, so the 51,200-byte inline limit does not apply), 200 parameters and 200
 * outputs (the references between nested stacks).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ENDPOINT_RESOURCES, groupEndpoints } from '../../lib/serving/endpoint-groups';
import { alarmsWithoutActions } from './alarm-actions';
import { ECS_ENDPOINTS, fullFleetApp, SAGEMAKER_ENDPOINTS, SKIP_BUNDLING } from './helpers';
import { unexplainedWildcards } from './iam-wildcards';

const MAX_RESOURCES = 400;
const MAX_BYTES = 1024 * 1024;
const MAX_PARAMETERS = 200;
const MAX_OUTPUTS = 200;

interface TemplateSize {
  readonly file: string;
  readonly resources: number;
  readonly parameters: number;
  readonly outputs: number;
  readonly bytes: number;
}

/**
 * Lambda's limit on a function's environment, all variables together.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
 */
const MAX_ENVIRONMENT_BYTES = 4096;

/** One function's environment as the template writes it (references as their JSON). */
interface FunctionEnvironment {
  readonly fn: string;
  readonly bytes: number;
}

let sizes: TemplateSize[];
let environments: FunctionEnvironment[];
let parsed: Array<{ name: string; template: Record<string, never> }>;
let withoutActions: string[];

beforeAll(() => {
  const outdir = fullFleetApp(SKIP_BUNDLING).synth().directory;
  // `MLOPS_FULL_TEMPLATES_DIR=<dir>` keeps the synthesized templates there, e.g. for cfn-lint.
  const keep = process.env.MLOPS_FULL_TEMPLATES_DIR;
  if (keep) cpSync(outdir, keep, { recursive: true });
  const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
  withoutActions = alarmsWithoutActions(outdir);
  parsed = templates.map((name) => ({
    name,
    template: JSON.parse(readFileSync(path.join(outdir, name), 'utf8')),
  }));
  environments = templates.flatMap((file) => {
    const resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> =
      JSON.parse(readFileSync(path.join(outdir, file), 'utf8')).Resources ?? {};
    return Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([id, r]) => ({
        fn: `${file}: ${id}`,
        bytes: Buffer.byteLength(
          JSON.stringify((r.Properties?.Environment as { Variables?: unknown } | undefined)?.Variables ?? {}),
        ),
      }));
  });
  sizes = templates.map((file) => {
    const template = JSON.parse(readFileSync(path.join(outdir, file), 'utf8'));
    return {
      file,
      resources: Object.keys(template.Resources ?? {}).length,
      parameters: Object.keys(template.Parameters ?? {}).length,
      outputs: Object.keys(template.Outputs ?? {}).length,
      bytes: statSync(path.join(outdir, file)).size,
    };
  });
}, 300_000);

describe('CloudFormation quotas with a full config', () => {
  it('gives every alarm of every template an ALARM and an OK action to an alert topic', () => {
    expect(withoutActions).toEqual([]);
  });

  it('synthesizes the platform stack and one nested stack per capability and endpoint group', () => {
    const groups = groupEndpoints(
      Array.from({ length: SAGEMAKER_ENDPOINTS + ECS_ENDPOINTS }, (_, i) => ({
        backend: i >= SAGEMAKER_ENDPOINTS ? ('ecs' as const) : ('sagemaker' as const),
      })),
    ).length;
    // 14 capabilities: storage ... llm, and the web console (CloudFront, S3, Cognito).
    expect(sizes).toHaveLength(1 + 14 + groups);
    expect(sizes.filter((s) => /Endpoints\d+Stack/.test(s.file))).toHaveLength(groups);
  });

  it.each([
    ['resources', MAX_RESOURCES],
    ['parameters', MAX_PARAMETERS],
    ['outputs', MAX_OUTPUTS],
    ['bytes', MAX_BYTES],
  ] as const)('keeps every template under %s < %d', (key, max) => {
    const over = sizes.filter((s) => s[key] >= max).map((s) => `${s.file}: ${s[key]}`);
    expect(over).toEqual([]);
  });

  it("keeps every function's environment under Lambda's 4 KB, per-model settings being in Parameter Store", () => {
    // Every platform function and CDK's own are counted (monitoring's and the pipeline's among them).
    expect(environments.length).toBeGreaterThan(20);
    const over = environments
      .filter((e) => e.bytes >= MAX_ENVIRONMENT_BYTES)
      .map((e) => `${e.fn}: ${e.bytes}`);
    expect(over).toEqual([]);
  });

  it('fails the budget check for all endpoints in one stack', () => {
    // An ungrouped layout: the check above would catch it.
    const oneStack =
      SAGEMAKER_ENDPOINTS * ENDPOINT_RESOURCES.sagemaker + ECS_ENDPOINTS * ENDPOINT_RESOURCES.ecs;
    expect(oneStack).toBeGreaterThan(MAX_RESOURCES);
  });
});

describe('IAM with a full config', () => {
  it('grants no action on Resource "*" but those with no resource-level permissions, or scoped by a condition, or explained', () => {
    expect(unexplainedWildcards(parsed)).toEqual([]);
  });

  it('fails a statement granting on "*" an action that has resource-level permissions', () => {
    // Prepare: a good and a bad statement
    const policy = (actions: string[], condition?: unknown) => ({
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: actions,
              Resource: '*',
              ...(condition ? { Condition: condition } : {}),
            },
          ],
        },
      },
    });
    const template = {
      Resources: {
        Good: policy(['xray:PutTraceSegments', 'ecs:Poll'], { ArnEquals: { 'ecs:cluster': 'arn' } }),
        Bad: policy(['xray:PutTraceSegments', 's3:GetObject', 'ecs:Poll']),
      },
    };
    // Act
    const found = unexplainedWildcards([{ name: 't', template }]);
    // Assess
    expect(found).toEqual([{ template: 't', resource: 'Bad', actions: ['s3:GetObject', 'ecs:Poll'] }]);
  });
});
