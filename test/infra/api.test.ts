import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { ROUTES, type RouteFunction, routeKey } from '../../contracts/routes';
import { ACCESS_LOG_FIELDS } from '../../lib/api/defaults';
import { PlatformApi } from '../../lib/api/platform-api';
import type { PlatformStack } from '../../lib/platform-stack';
import {
  assertEveryRouteUsesIam,
  inlineFunction,
  logicalId,
  PROD_LIKE_CONTEXT,
  SKIP_BUNDLING,
  synthPlatform,
  templateOf,
  throwawayStack,
} from './helpers';

/** One stand-in function serving every route function the route table names. */
const everyRouteFunction = (fn: lambda.IFunction) =>
  Object.fromEntries([...new Set(ROUTES.map((r) => r.function))].map((name) => [name, fn])) as Record<
    RouteFunction,
    lambda.IFunction
  >;

let stack: PlatformStack;
let template: Template;

beforeAll(() => {
  // Nothing here reads Lambda code, so skip bundling.
  ({ stack, template } = synthPlatform({ ...PROD_LIKE_CONTEXT, ...SKIP_BUNDLING }));
});

describe('routes', () => {
  it('creates exactly one route per declaration in contracts/routes.ts', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length);
    for (const route of ROUTES) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey(route) });
    }
  });

  it("keeps every route on the one HTTP API, in the API's nested stack", () => {
    // API Gateway allows 300 routes per API by default; a capability's routes join this one.
    const api = templateOf(stack.api);
    expect(Stack.of(stack.api)).not.toBe(stack);
    api.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    api.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length);
    api.allResourcesProperties('AWS::ApiGatewayV2::Route', { ApiId: { Ref: logicalId(stack.api.httpApi) } });
    expect(ROUTES.length).toBeLessThan(300);
  });

  it('requires IAM auth on every route', () => {
    assertEveryRouteUsesIam(template);
  });

  it('fails the IAM check for a route without an authorizer', () => {
    // Prepare
    const bad = throwawayStack();
    const api = new apigwv2.HttpApi(bad, 'Api');
    api.addRoutes({
      path: '/open',
      methods: [apigwv2.HttpMethod.GET],
      integration: new HttpLambdaIntegration('Open', inlineFunction(bad, 'Fn')),
    });
    // Act & Assess
    expect(() => assertEveryRouteUsesIam(Template.fromStack(bad))).toThrow();
  });

  it('also sets IAM as the default authorizer, so a route added later is signed-only', () => {
    expect(stack.api.httpApi.defaultAuthorizer).toBeInstanceOf(HttpIamAuthorizer);
  });

  it('proxies each route function once, the registry among them, with payload format 2.0', () => {
    const functions = new Set(ROUTES.map((r) => r.function));
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', functions.size);
    for (const integration of Object.values(template.findResources('AWS::ApiGatewayV2::Integration'))) {
      expect(integration.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [logicalId(stack.registry.handler), 'Arn'] },
    });
  });
});

describe('stage', () => {
  it('takes throttling from config, given as -c strings', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 250, ThrottlingBurstLimit: 300 },
    });
  });

  it('fails for throttling out of range, naming the prop', () => {
    const bad = throwawayStack();
    const functions = everyRouteFunction(inlineFunction(bad, 'Fn'));
    expect(() => new PlatformApi(bad, 'Api', { functions, throttlingRateLimit: 0 })).toThrow(
      'throttlingRateLimit must be 1..10000, got 0',
    );
    expect(() => new PlatformApi(bad, 'Api2', { functions, throttlingBurstLimit: 9000 })).toThrow(
      'throttlingBurstLimit must be 1..5000, got 9000',
    );
  });

  it('writes route-level metrics by default, none when detailedMetrics is off', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: Match.objectLike({ DetailedMetricsEnabled: true }),
    });
    const off = throwawayStack();
    new PlatformApi(off, 'Api', {
      functions: everyRouteFunction(inlineFunction(off, 'Fn')),
      detailedMetrics: false,
    });
    Template.fromStack(off).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: Match.objectLike({ DetailedMetricsEnabled: false }),
    });
  });

  it('writes JSON access logs with the caller identity', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    // The field names are what operators query with Logs Insights: a contract, not a detail.
    expect(format).toEqual(ACCESS_LOG_FIELDS);
    expect(format.userArn).toBe('$context.identity.userArn');
    expect(stage.Properties.AccessLogSettings.DestinationArn).toEqual({
      'Fn::GetAtt': [logicalId(stack.api.accessLogGroup), 'Arn'],
    });
  });

  it('encrypts the access log group with the platform key and keeps it a year', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [logicalId(stack.storage.key), 'Arn'] },
      RetentionInDays: 365,
    });
  });

  it('lets CloudWatch Logs of this account use the key, and nobody else', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchLogsInThisAccount',
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });
});

describe('grantInvoke', () => {
  it('grants execute-api:Invoke on the $default stage of this API only', () => {
    // Prepare
    const other = throwawayStack();
    const api = new PlatformApi(other, 'Api', { functions: everyRouteFunction(inlineFunction(other, 'Fn')) });
    const caller = new iam.Role(other, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    // Act
    api.grantInvoke(caller);
    // Assess
    Template.fromStack(other).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(api.httpApi) }, '/$default/*/*'])],
            },
          },
        ],
      },
    });
  });
});

describe('metrics', () => {
  it('names the API in server error and latency metrics', () => {
    // Resolved in the API's own (nested) stack, where the metric's alarm would live.
    const errors = Stack.of(stack.api).resolve(stack.api.metricServerErrors().dimensions);
    expect(errors).toEqual({ ApiId: { Ref: logicalId(stack.api.httpApi) } });
    expect(stack.api.metricServerErrors().metricName).toBe('5xx');
    expect(stack.api.metricLatency().metricName).toBe('Latency');
  });
});
