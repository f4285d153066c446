import { RemovalPolicy, Token } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import type { RateLimitsConfig } from '../../contracts/rate-limits';
import { ROUTES, type RouteFunction } from '../../contracts/routes';
import { pascal } from '../shared/construct-id';
import { allowCloudWatchLogsToUseKey } from '../storage/platform-storage';
import { ACCESS_LOG_FIELDS, API_DEFAULTS, CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS } from './defaults';

/** Properties of `PlatformApi`. */
export interface PlatformApiProps {
  /** The function serving each route's `function` in `contracts/routes.ts`. */
  readonly functions: Readonly<Record<RouteFunction, lambda.IFunction>>;
  /**
   * Steady-state requests per second for the stage, across all routes (1..10000).
   * @default 100
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst capacity in requests for the stage (1..5000).
   * @default 200
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Per-caller rate limits: the token-bucket table and the limits. Every route function gets
   * both in its environment and may read and update the table's items, and its router answers a
   * caller over its limit with 429; the stage throttling above stays the bound across callers.
   * @default - no per-caller limits
   */
  readonly rateLimits?: { readonly table: dynamodb.ITable; readonly limits: RateLimitsConfig };
  /**
   * Key encrypting the access log group. Its key policy must let CloudWatch Logs use it; this
   * construct adds that statement when it can (`PlatformStorage`'s key already has it).
   * @default - a new KMS key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How long access logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * Origins whose pages may call the API from a browser: API Gateway answers their CORS preflight
   * (unsigned, so IAM auth would refuse it) and adds the CORS headers to every response. Requests
   * still need SigV4; browsers send no cookies or other ambient credentials to it.
   * @default - no CORS: browsers refuse the API's responses to pages of any other origin
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
   */
  readonly corsAllowOrigins?: string[];
  /**
   * Route-level CloudWatch metrics on the stage (`ApiId`, `Stage`, `Method`, `Resource`), graphed
   * per route by the platform dashboard; six custom metrics per route, billed as such.
   * @default true
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
   */
  readonly detailedMetrics?: boolean;
  /**
   * What happens to the access log group (and a key this construct creates) on removal.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The platform's HTTP API: one API Gateway HTTP API route per declaration in
 * `contracts/routes.ts`, every one behind IAM (SigV4) auth, Lambda proxy integrations with payload
 * format 2.0, stage throttling and JSON access logs in a KMS-encrypted log group.
 *
 * IAM auth is set both as the API's default authorizer and on each route, so a route added later
 * without thought is still signed-only, and a reader of one route sees its auth.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control-iam.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export class PlatformApi extends Construct {
  /** The HTTP API. */
  public readonly httpApi: apigwv2.HttpApi;
  /** The `$default` stage, which carries the throttling and access logs. */
  public readonly stage: apigwv2.HttpStage;
  /** The access log group. */
  public readonly accessLogGroup: logs.LogGroup;
  /** Routes by their id in `contracts/routes.ts`. */
  public readonly routes: Readonly<Record<string, apigwv2.HttpRoute>>;

  constructor(scope: Construct, id: string, props: PlatformApiProps) {
    super(scope, id);
    const rateLimit = props.throttlingRateLimit ?? API_DEFAULTS.throttlingRateLimit;
    const burstLimit = props.throttlingBurstLimit ?? API_DEFAULTS.throttlingBurstLimit;
    checkRange('throttlingRateLimit', rateLimit, 1, 10_000);
    checkRange('throttlingBurstLimit', burstLimit, 1, 5_000);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    const encryptionKey =
      props.encryptionKey ??
      new kms.Key(this, 'AccessLogsKey', {
        description: 'Encrypts the platform API access logs',
        enableKeyRotation: true,
        removalPolicy,
      });
    allowCloudWatchLogsToUseKey(encryptionKey);
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      encryptionKey,
      retention: props.accessLogRetention ?? API_DEFAULTS.accessLogRetention,
      removalPolicy,
    });

    const iamAuth = new HttpIamAuthorizer();
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'cdk-mlops platform API (IAM auth on every route)',
      defaultAuthorizer: iamAuth,
      // The default stage is created below: HttpApi's own cannot take throttling or access logs.
      createDefaultStage: false,
      corsPreflight: props.corsAllowOrigins && {
        allowOrigins: props.corsAllowOrigins,
        allowMethods: [...new Set(ROUTES.map((r) => apigwv2.CorsHttpMethod[r.method]))],
        allowHeaders: CORS_ALLOW_HEADERS,
        exposeHeaders: CORS_EXPOSE_HEADERS,
        maxAge: API_DEFAULTS.corsMaxAge,
      },
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit, burstLimit },
      detailedMetricsEnabled: props.detailedMetrics ?? API_DEFAULTS.detailedMetrics,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const integrations = new Map<RouteFunction, HttpLambdaIntegration>();
    const integrationFor = (name: RouteFunction): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (!integration) {
        const handler = props.functions[name];
        if (!handler) throw new Error(`functions.${name} is required by the routes in contracts/routes.ts`);
        if (props.rateLimits) limitCallers(name, handler, props.rateLimits);
        integration = new HttpLambdaIntegration(`${pascal(name)}Integration`, handler, {
          payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
          // One API-wide invoke permission per function instead of one per route: the resource
          // policy of a function serving many routes would otherwise approach its 20 KB limit.
          // https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
          scopePermissionToRoute: false,
        });
        integrations.set(name, integration);
      }
      return integration;
    };

    const routes: Record<string, apigwv2.HttpRoute> = {};
    for (const route of ROUTES) {
      routes[route.id] = new apigwv2.HttpRoute(this, route.id, {
        httpApi: this.httpApi,
        routeKey: apigwv2.HttpRouteKey.with(route.path, apigwv2.HttpMethod[route.method]),
        integration: integrationFor(route.function),
        authorizer: iamAuth,
      });
    }
    this.routes = routes;
  }

  /** The invoke URL of the `$default` stage, ending in `/`. */
  public get url(): string {
    return this.stage.url;
  }

  /**
   * Lets `grantee` call every route of the `$default` stage (SigV4-signed requests).
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.httpApi.arnForExecuteApi('*', '/*', this.stage.stageName)],
    });
  }

  /**
   * 5xx responses of the API.
   * @default - sum over 5 minutes
   */
  public metricServerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.httpApi.metricServerError(props);
  }

  /**
   * Time from request received to response sent, including integration latency.
   * @default - average over 5 minutes
   */
  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.httpApi.metricLatency(props);
  }
}

/** Lets a route function keep its callers' buckets: the table's name, the limits, two actions. */
function limitCallers(
  name: string,
  handler: lambda.IFunction,
  rateLimits: NonNullable<PlatformApiProps['rateLimits']>,
): void {
  if (!(handler instanceof lambda.Function)) {
    throw new Error(
      `functions.${name} must be a lambda.Function to take rate limits (its environment is set here)`,
    );
  }
  handler.addEnvironment(ENV.rateLimitTable, rateLimits.table.tableName);
  handler.addEnvironment(ENV.rateLimits, JSON.stringify(rateLimits.limits));
  // GCRA needs the conditional update and, when it fails, a read of the bucket; the table is
  // encrypted with a customer managed key, which both use.
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html
  rateLimits.table.grant(handler, 'dynamodb:UpdateItem', 'dynamodb:GetItem');
  rateLimits.table.encryptionKey?.grant(
    handler,
    'kms:Decrypt',
    'kms:Encrypt',
    'kms:GenerateDataKey',
    'kms:DescribeKey',
  );
}

function checkRange(prop: string, value: number, min: number, max: number): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${prop} must be ${min}..${max}, got ${value}`);
  }
}
