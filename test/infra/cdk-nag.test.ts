import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp, type PlatformApp } from '../../lib/app';
import { cdkJsonContext, SKIP_BUNDLING } from './helpers';

/** Rule ids cdk-nag reported in the app's validation report. */
const reportedRules = (app: App): string[] => {
  const report = JSON.parse(readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports.flatMap((r: { violations: Array<{ ruleName: string }> }) =>
    r.violations.map((v) => v.ruleName),
  );
};

/** A stack with one bucket that breaks AwsSolutions-S1 (no access logs) and S10 (plain HTTP). */
const appWithPlainBucket = (acknowledge: boolean): App => {
  const app = new App({ context: SKIP_BUNDLING });
  const stack = new Stack(app, 'NonCompliant');
  const bucket = new s3.Bucket(stack, 'Plain', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  if (acknowledge) {
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'test: logging elsewhere' });
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S10', reason: 'test: private network only' });
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
};

describe('cdk-nag AwsSolutions', () => {
  let platform: PlatformApp;

  beforeAll(() => {
    // The app as `cdk synth` builds it from cdk.json (removalPolicy destroy, so the
    // autoDeleteObjects provider is in it too). Without bundling, which changes only where each
    // function's code is: cdk-nag reads no code, and `cdk synth` in npm test runs the same rules
    // over the bundled app.
    platform = buildApp(cdkJsonContext(SKIP_BUNDLING));
  });

  it('passes on the whole app, every remaining finding acknowledged', () => {
    expect(() => platform.app.synth()).not.toThrow();
    expect(reportedRules(platform.app)).toEqual([]);
  });

  it('passes with the account and Region concrete, as the CLI sets them from credentials', () => {
    // Prepare: cdk-nag prints a concrete account and Region literally in the findings it names
    const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
    Object.assign(process.env, { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1' });
    try {
      // Act
      const { app } = buildApp(cdkJsonContext(SKIP_BUNDLING));
      // Assess
      expect(() => app.synth()).not.toThrow();
      expect(reportedRules(app)).toEqual([]);
    } finally {
      for (const [key, value] of [
        ['CDK_DEFAULT_ACCOUNT', saved.account],
        ['CDK_DEFAULT_REGION', saved.region],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('fails synthesis for a bucket without access logs and TLS enforcement', () => {
    // Prepare
    const app = appWithPlainBucket(false);
    // Act & Assess: proves the plugin is wired so that a finding stops synth
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
    expect(reportedRules(app)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  it('passes the same bucket once each finding is acknowledged with a reason', () => {
    expect(() => appWithPlainBucket(true).synth()).not.toThrow();
  });

  it("fails synthesis for a finding inside one of the platform's nested stacks", () => {
    // Prepare: the platform, and a plain bucket in the registry's nested stack
    const { app, stack } = buildApp(cdkJsonContext(SKIP_BUNDLING));
    const registryStack = Stack.of(stack.registry);
    expect(registryStack).not.toBe(stack);
    new s3.Bucket(registryStack, 'Plain', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    // Act & Assess: the plugin walks nested stacks too
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
    expect(reportedRules(app)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});
