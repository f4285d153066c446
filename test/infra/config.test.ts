import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { INSTANCE_HOURLY_PRICE_USD } from '../../contracts/deployment';
import { buildApp, PlatformConfigError } from '../../lib/app';
import { toRemovalPolicy } from '../../lib/platform-stack';
import { cdkJsonContext, SKIP_BUNDLING } from './helpers';

const ROOT = path.join(__dirname, '..', '..');

describe('buildApp config', () => {
  it('reads cdk.json context and -c strings into a typed config', () => {
    // Act
    const { config, stack } = buildApp(
      cdkJsonContext({ ...SKIP_BUNDLING, 'mlops:envName': 'qa', 'mlops:apiThrottlingRateLimit': '42' }),
    );
    // Assess
    expect(config.apiThrottlingRateLimit).toBe(42);
    expect(config.governance.metricFloors).toEqual({ accuracy: 0.85 });
    expect(stack.stackName).toBe('Mlops-qa');
  });

  it('fails for a bad field, naming it and the value given', () => {
    const build = () => buildApp(cdkJsonContext({ ...SKIP_BUNDLING, 'mlops:apiThrottlingRateLimit': '0' }));
    expect(build).toThrow(PlatformConfigError);
    expect(build).toThrow(/mlops:apiThrottlingRateLimit: .*got "0"/);
  });

  it('fails for a governance object given as bad JSON text through -c', () => {
    const governance = JSON.stringify({ metricFloors: { accuracy: 'high' } });
    expect(() => buildApp(cdkJsonContext({ ...SKIP_BUNDLING, 'mlops:governance': governance }))).toThrow(
      /mlops:governance\.metricFloors\.accuracy/,
    );
  });

  it('refuses an environment name with -, which could make two environments own one physical name', () => {
    // env `prod-a` with model `b` and env `prod` with model `a-b` would both own `mlops-prod-a-b`.
    const build = () => buildApp(cdkJsonContext({ ...SKIP_BUNDLING, 'mlops:envName': 'prod-a' }));
    expect(build).toThrow(PlatformConfigError);
    expect(build).toThrow(/mlops:envName: must be 1-16 lowercase letters or digits/);
  });

  it("lays mlops:instancePrices over the list prices in each model dashboard's cost", () => {
    // Act: JSON text, as -c passes it
    const { config, stack } = buildApp(
      cdkJsonContext({
        ...SKIP_BUNDLING,
        'mlops:endpoints': [{ modelName: 'churn' }],
        'mlops:instancePrices': JSON.stringify({ 'ml.g5.xlarge': 2.5, 'ml.p4d.24xlarge': 37.69 }),
      }),
    );
    // Assess
    expect(config.instancePrices).toEqual({ 'ml.g5.xlarge': 2.5, 'ml.p4d.24xlarge': 37.69 });
    const endpoint = stack.endpoints.churn;
    const dashboards = Template.fromStack(Stack.of(endpoint)).findResources('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(Object.values(dashboards)[0]?.Properties?.DashboardBody);
    expect(body).toContain('2.5 * instances');
    expect(body).not.toContain(`${INSTANCE_HOURLY_PRICE_USD['ml.g5.xlarge']} * instances`);
  });

  it.each([
    [{ 'ml.g5.xlarge': 0 }, /mlops:instancePrices\.ml\.g5\.xlarge: .*>0/],
    [{ 'ml.g5.xlarge': 5000 }, /mlops:instancePrices\.ml\.g5\.xlarge: must be at most 1000 USD/],
    [{ 'ml.g5.xlarge': '1.2' }, /mlops:instancePrices\.ml\.g5\.xlarge: .*number/],
    [{ GPU: 1 }, /mlops:instancePrices\.GPU: must be an instance type like ml\.g5\.xlarge/],
  ])('fails for instance prices %j, naming the type', (prices, message) => {
    const build = () => buildApp(cdkJsonContext({ ...SKIP_BUNDLING, 'mlops:instancePrices': prices }));
    expect(build).toThrow(PlatformConfigError);
    expect(build).toThrow(message);
  });

  it('fails for an unknown mlops: key rather than ignoring a typo', () => {
    expect(() => buildApp(cdkJsonContext({ ...SKIP_BUNDLING, 'mlops:apiThrotlingRateLimit': 5 }))).toThrow(
      /apiThrotlingRateLimit/,
    );
  });
});

describe('bin/mlops.ts', () => {
  it('fails synth with exit code 1 and the field name, without a stack trace', () => {
    // Prepare: the CLI hands context and the output folder to the app through these variables.
    const env = {
      ...process.env,
      CDK_OUTDIR: mkdtempSync(path.join(tmpdir(), 'mlops-bin-')),
      CDK_CONTEXT_JSON: JSON.stringify(cdkJsonContext({ 'mlops:apiThrottlingBurstLimit': '-1' })),
    };
    // Act
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin', 'mlops.ts')], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('mlops:apiThrottlingBurstLimit');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('removal policy mapping', () => {
  it.each([
    ['destroy', RemovalPolicy.DESTROY],
    ['retain', RemovalPolicy.RETAIN],
  ] as const)('maps %s to %s', (given, expected) => {
    expect(toRemovalPolicy(given)).toBe(expected);
  });
});
