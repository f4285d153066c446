/**
 * Rollout targets at the config's maximum of 20 endpoints (2 on ECS): they live in SSM parameters,
 * so every function's environment stays within Lambda's 4 KB, the readers may only read their
 * path, and cdk-nag passes though the rollout role's policy overflows into managed policies.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../contracts/env';
import { buildApp, type PlatformApp } from '../../lib/app';
import {
  cdkJsonContext,
  deploymentTargetValue,
  inlineFunction,
  logicalId,
  platformTemplate,
  SKIP_BUNDLING,
  throwawayStack,
} from './helpers';

/** Lambda's limit on a function's environment: keys and values, 4 KB. */
const LAMBDA_ENV_MAX_CHARS = 4096;
/**
 * What an unresolved name or ARN counts as: CloudFormation-generated physical names (tables,
 * buckets, state machine ARNs) stay well below this.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
 */
const TOKEN_CHARS = 128;

/** An upper bound of a value's length once CloudFormation resolves it. */
function resolvedLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value && typeof value === 'object' && 'Fn::Join' in value) {
    const [sep, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return parts.reduce<number>((n, p) => n + resolvedLength(p), sep.length * Math.max(0, parts.length - 1));
  }
  return TOKEN_CHARS;
}

/** Fails unless every function's environment (keys + values, as AWS counts them) fits in 4 KB. */
function assertEnvironmentsFit(template: Template): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
    const vars: Record<string, unknown> = fn.Properties.Environment?.Variables ?? {};
    sizes[id] = Object.entries(vars).reduce((n, [k, v]) => n + k.length + resolvedLength(v), 0);
  }
  const over = Object.entries(sizes).filter(([, size]) => size > LAMBDA_ENV_MAX_CHARS);
  if (over.length > 0)
    throw new Error(`environment over 4 KB: ${over.map(([id, s]) => `${id} ${s}`).join(', ')}`);
  return sizes;
}

const reportedRules = (app: App): string[] => {
  const report = JSON.parse(readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports.flatMap((r: { violations: Array<{ ruleName: string }> }) =>
    r.violations.map((v) => v.ruleName),
  );
};

const ENDPOINTS = Array.from({ length: 20 }, (_, i) => ({
  modelName: `model-${String(i).padStart(2, '0')}`,
  ...(i < 2 ? { backend: 'ecs', instanceType: 'g5.xlarge' } : {}),
}));

describe('deployment targets with 20 endpoints', () => {
  let platform: PlatformApp;
  let template: Template;

  beforeAll(() => {
    platform = buildApp(
      cdkJsonContext({
        ...SKIP_BUNDLING,
        'mlops:endpoints': ENDPOINTS,
      }),
    );
    template = platformTemplate(platform.stack);
  });

  it('passes cdk-nag, the rollout role overflowing into managed policies included', () => {
    expect(() => platform.app.synth()).not.toThrow();
    // AwsSolutions only: CloudFormation's own validation reports the resource count (see above).
    expect(reportedRules(platform.app).filter((r) => !/^F\d+$/.test(r))).toEqual([]);
    expect(Object.keys(template.findResources('AWS::IAM::ManagedPolicy')).join()).toMatch(
      /DeploymentTasksRoleOverflowPolicy/,
    );
  });

  it("keeps every function's environment under Lambda's 4 KB", () => {
    const sizes = assertEnvironmentsFit(template);
    // The functions that read targets hold only their path: half the limit, however many models.
    for (const fn of [
      platform.stack.deployment.handler,
      platform.stack.deployment.tasks,
      platform.stack.pipeline.tasks,
    ]) {
      expect(sizes[logicalId(fn)]).toBeLessThan(LAMBDA_ENV_MAX_CHARS / 2);
      expect(
        template.findResources('AWS::Lambda::Function')[logicalId(fn)].Properties.Environment.Variables[
          ENV.deploymentTargetsPath
        ],
      ).toBe('/cdk-mlops/dev/deployment-targets');
    }
  });

  it('fails the environment check for the targets as one JSON variable', () => {
    // Prepare: what the functions had before, the 20 targets in DEPLOYMENT_TARGETS
    const stack = throwawayStack();
    const targets = Object.fromEntries(
      ENDPOINTS.map((e) => [e.modelName, deploymentTargetValue(template, e.modelName)]),
    );
    inlineFunction(stack, 'Fn', {
      environment: { DEPLOYMENT_TARGETS: stack.toJsonString(targets) },
    });
    // Act & Assess
    expect(() => assertEnvironmentsFit(Template.fromStack(stack))).toThrow(/environment over 4 KB/);
  });

  it('stores one Standard String parameter per model under the path, each within 4 KB', () => {
    // Other capabilities keep their own settings beside (the LLM settings): only this path counts.
    const parameters = Object.values(template.findResources('AWS::SSM::Parameter')).filter((p) =>
      String(p.Properties.Name).startsWith('/cdk-mlops/dev/deployment-targets/'),
    );
    expect(parameters.map((p) => p.Properties.Name).sort()).toEqual(
      ENDPOINTS.map((e) => `/cdk-mlops/dev/deployment-targets/${e.modelName}`),
    );
    for (const p of parameters) {
      expect(p.Properties).toMatchObject({ Type: 'String', Tier: 'Standard' });
      expect(resolvedLength(p.Properties.Value)).toBeLessThan(4096);
    }
    expect(deploymentTargetValue(template, 'model-05')).toMatchObject({
      endpointName: 'mlops-dev-model-05',
      backend: 'sagemaker',
    });
  });

  it('lets the four readers call GetParametersByPath on the path only, and nothing else of SSM reads it', () => {
    const policies = {
      ...template.findResources('AWS::IAM::Policy'),
      ...template.findResources('AWS::IAM::ManagedPolicy'),
    };
    const ssmStatements = Object.values(policies).flatMap((p) =>
      (
        p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>
      ).filter((s) => [s.Action].flat().some((a) => a.startsWith('ssm:'))),
    );
    // The LLM functions (the route and its evaluation worker) read only their own settings
    // parameters, nothing of this path.
    const [targetStatements, others] = [
      ssmStatements.filter((s) => JSON.stringify(s.Resource).includes('deployment-targets')),
      ssmStatements.filter((s) => !JSON.stringify(s.Resource).includes('deployment-targets')),
    ];
    expect(others).toHaveLength(2);
    for (const other of others) {
      expect(other).toMatchObject({ Action: 'ssm:GetParameter' });
      expect(JSON.stringify(other.Resource)).toMatch(/:parameter\/cdk-mlops\/dev\/llm\/\*"/);
    }
    // The route, the rollout tasks, the retraining tasks, the predictions function (OIP discovery),
    // and the experiments' route and schedule (an experiment holds the endpoint's challenger).
    expect(targetStatements).toHaveLength(6);
    for (const s of targetStatements) {
      expect(s.Action).toBe('ssm:GetParametersByPath');
      expect(JSON.stringify(s.Resource)).toMatch(/:parameter\/cdk-mlops\/dev\/deployment-targets"/);
      expect(JSON.stringify(s.Resource)).not.toContain('*');
    }
  });
});
