/**
 * Two environments of the platform in one account and Region: every physical name one template
 * sets (every resource property that names the resource in its service: `*Name`, `Name`, Glue's
 * `DatabaseInput.Name`, KMS aliases) differs from every name the other sets. Names CloudFormation
 * generates are unique by construction and do not appear here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { parsePlatformConfig } from '../../contracts/config';
import { PlatformStack } from '../../lib/platform-stack';
import { cdkJsonContext, REALISTIC_CONTEXT, SKIP_BUNDLING } from './helpers';

/**
 * Name-like properties that are not physical names, each with why: they are scoped to something
 * the environment already owns, or need not be unique.
 */
const NOT_PHYSICAL: ReadonlyArray<readonly [type: string, key: string, why: string]> = [
  ['AWS::CloudWatch::Alarm', 'MetricName', 'the metric an alarm reads, not the alarm'],
  ['AWS::IAM::Policy', 'PolicyName', 'inline policies are named within their role'],
  ['AWS::ApiGatewayV2::Stage', 'StageName', 'stages are named within their API'],
  ['AWS::ApiGatewayV2::Api', 'Name', 'API Gateway does not require API names to be unique'],
  ['Custom::MlopsSageMakerEndpoint', 'ModelName', 'the registry model the endpoint serves, not a resource'],
  ['Custom::MlopsEcsServices', 'ModelName', 'the registry model the services serve, not a resource'],
  [
    'AWS::Cognito::UserPoolGroup',
    'GroupName',
    "groups are named within their user pool, each environment's own",
  ],
  [
    'AWS::S3Vectors::Index',
    'IndexName',
    "vector indexes are named within their vector bucket, each environment's own",
  ],
];

type Resource = { Type: string; Properties?: Record<string, unknown> };

/** Every physical name in the templates of an environment, as `<type>.<key>=<value>`. */
function physicalNames(envName: string): Map<string, string> {
  const app = new App({
    context: cdkJsonContext({ ...REALISTIC_CONTEXT, ...SKIP_BUNDLING, 'mlops:envName': envName }),
  });
  const config = parsePlatformConfig(app.node.getAllContext());
  new PlatformStack(app, `Mlops-${envName}`, { config });
  const outdir = app.synth().directory;
  const names = new Map<string, string>();
  for (const file of readdirSync(outdir).filter((f) => f.endsWith('.template.json'))) {
    const resources: Record<string, Resource> =
      JSON.parse(readFileSync(path.join(outdir, file), 'utf8')).Resources ?? {};
    for (const [id, r] of Object.entries(resources)) {
      const props = r.Properties ?? {};
      const candidates: Array<[string, unknown]> = Object.entries(props).filter(
        ([k]) => /Name$/.test(k) && !NOT_PHYSICAL.some(([t, key]) => t === r.Type && key === k),
      );
      const database = (props.DatabaseInput as { Name?: unknown } | undefined)?.Name;
      if (database !== undefined) candidates.push(['DatabaseInput.Name', database]);
      for (const [key, value] of candidates) {
        // A reference to another resource (Ref, GetAtt) is that resource's name, counted where it is set.
        if (value && typeof value === 'object' && ('Ref' in value || 'Fn::GetAtt' in value)) continue;
        names.set(`${r.Type}.${key}=${JSON.stringify(value)}`, `${file}: ${id}`);
      }
    }
  }
  return names;
}

describe('two environments side by side', () => {
  let dev: Map<string, string>;
  let prod: Map<string, string>;

  beforeAll(() => {
    dev = physicalNames('dev');
    prod = physicalNames('prod');
  }, 300_000);

  it('finds the physical names of endpoints, configs, models, alarms, roles, parameters and the rest', () => {
    // Assess: the walk sees every kind of name the platform sets, so the comparison below means something.
    const kinds = new Set([...dev.keys()].map((k) => k.split('=')[0]));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        'AWS::CloudWatch::Alarm.AlarmName',
        'AWS::IAM::Role.RoleName',
        'AWS::SSM::Parameter.Name',
        'AWS::SageMaker::EndpointConfig.EndpointConfigName',
        'AWS::SageMaker::Model.ModelName',
        'Custom::MlopsSageMakerEndpoint.EndpointName',
      ]),
    );
    expect(dev.get('Custom::MlopsSageMakerEndpoint.EndpointName="mlops-dev-churn"')).toBeDefined();
    expect(prod.get('Custom::MlopsSageMakerEndpoint.EndpointName="mlops-prod-churn"')).toBeDefined();
  });

  it('shares no physical name between the two templates', () => {
    // Act
    const shared = [...dev.keys()]
      .filter((name) => prod.has(name))
      .map((name) => `${name} (${dev.get(name)})`);

    // Assess
    expect(shared).toEqual([]);
  });
});
