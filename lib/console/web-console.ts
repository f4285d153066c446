import { Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { ConsoleHostingConfig } from '../../contracts/console-hosting';
import { platformStackName } from '../shared/capability-stack';
import { consoleSources } from './assets';
import { ConsoleAuth } from './console-auth';
import { CONSOLE_DEFAULTS, CONSOLE_DIST_DIR, LOG_PREFIXES } from './defaults';
import { acknowledgeConsoleFindings } from './nag-acknowledgements';
import { consoleHeadersPolicy } from './security-headers';

/** The API the console calls: `PlatformApi` has this shape. */
export interface ConsoleApi {
  readonly httpApi: apigwv2.IHttpApi;
  readonly stage: apigwv2.IHttpStage;
  /** The stage's invoke URL, ending in `/`. */
  readonly url: string;
}

/** Properties of `WebConsole`. */
export interface WebConsoleProps {
  /** The platform API; the console's users may invoke it and nothing else. */
  readonly api: ConsoleApi;
  /**
   * The built console: index.html and its assets.
   * @default CONSOLE_DIST_DIR (`console/dist`); a placeholder page when it holds no index.html
   */
  readonly assetsDirectory?: string;
  /**
   * Prefix of the hosted sign-in domain, unique in the Region across all accounts.
   * @default `<platform stack name, lower case>-<account id>`, e.g. `mlops-dev-123456789012`
   */
  readonly domainPrefix?: string;
  /**
   * Sign-in callback and sign-out URLs besides the console's CloudFront URL.
   * @default - the console's URL only
   */
  readonly callbackUrls?: readonly string[];
  /**
   * Cognito threat protection; `enforced` and `audit` put the user pool on the Plus plan.
   * @default 'enforced'
   */
  readonly threatProtection?: ConsoleHostingConfig['threatProtection'];
  /**
   * The console on your own name: the distribution answers `domainName` with `certificate` (an
   * ACM certificate in us-east-1 covering it) and TLS 1.2 at least; `url` becomes
   * `https://<domainName>`. The DNS record pointing at the distribution is yours to make.
   * @default - the distribution's `cloudfront.net` name and certificate
   */
  readonly customDomain?: { readonly domainName: string; readonly certificate: acm.ICertificate };
  /**
   * ARN of an AWS WAF web ACL of scope CLOUDFRONT (in us-east-1) to put in front of the
   * distribution.
   * @default - no web ACL
   */
  readonly webAclArn?: string;
  /**
   * Key of the deployment function's log group. Its key policy must let CloudWatch Logs use it
   * (`PlatformStorage`'s key does).
   * @default - the log group is encrypted by CloudWatch Logs' own key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the buckets, the log group and the user pool on removal. DESTROY empties the buckets first;
   * RETAIN turns on the user pool's deletion protection.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The web console on AWS: its static files in a private bucket that only this CloudFront
 * distribution reads (Origin Access Control), served over HTTPS with security headers and
 * client-side routes falling back to index.html; `config.json` beside them, written at deploy
 * time; and Cognito sign-in whose IAM credentials may call the platform API only (`ConsoleAuth`).
 *
 * The API must answer the console's CORS preflight: `PlatformApi`'s `corsAllowOrigins`.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-with-identity-providers.html
 */
export class WebConsole extends Construct {
  /** The console's static files and config.json. */
  public readonly bucket: s3.Bucket;
  /** CloudFront standard logs and the console bucket's server access logs. */
  public readonly logsBucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  public readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  public readonly deployment: s3deploy.BucketDeployment;
  /** User pool, app client, hosted sign-in domain, identity pool and the two invoke roles. */
  public readonly auth: ConsoleAuth;

  constructor(scope: Construct, id: string, props: WebConsoleProps) {
    super(scope, id);
    this.customDomainName = props.customDomain?.domainName;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const destroy = removalPolicy === RemovalPolicy.DESTROY;
    const region = Stack.of(this).region;
    // Server access logs through a bucket policy rather than an ACL, as the artifacts bucket's.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    this.logsBucket = new s3.Bucket(this, 'LogsBucket', {
      // Log delivery writes only to SSE-S3 targets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // CloudFront standard logging grants its log files to the bucket owner with an ACL, so ACLs
      // stay enabled here (the access-logs bucket of storage disables them).
      // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'ExpireLogs', expiration: CONSOLE_DEFAULTS.logsExpiration }],
      removalPolicy,
      autoDeleteObjects: destroy,
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      // SSE-S3: the files are the app's public code, and a KMS key would need its policy to name
      // the distribution, which is made after the key's stack.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: LOG_PREFIXES.bucket,
      removalPolicy,
      autoDeleteObjects: destroy,
    });

    const domainPrefix =
      props.domainPrefix ?? `${platformStackName(this).toLowerCase()}-${Stack.of(this).account}`;
    checkDomainPrefix(domainPrefix);
    const signInDomain = `${domainPrefix}.auth.${region}.amazoncognito.com`;
    this.responseHeadersPolicy = consoleHeadersPolicy(this, 'Headers', {
      api: props.api.httpApi.apiEndpoint,
      signIn: `https://${signInDomain}`,
      cognito: [
        `https://cognito-identity.${region}.${Aws.URL_SUFFIX}`,
        `https://cognito-idp.${region}.${Aws.URL_SUFFIX}`,
      ],
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `cdk-mlops web console (${platformStackName(this)})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
      // Client-side routes (`/models/churn`) are no objects: S3 answers 403 through OAC (no
      // s3:ListBucket) or 404, and the app's index.html takes over.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: CONSOLE_DEFAULTS.priceClass,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: LOG_PREFIXES.cloudfront,
      ...(props.customDomain
        ? {
            domainNames: [props.customDomain.domainName],
            certificate: props.customDomain.certificate,
            // With a certificate of its own the distribution may refuse TLS below 1.2.
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      webAclId: props.webAclArn,
    });

    this.auth = new ConsoleAuth(this, 'Auth', {
      httpApi: props.api.httpApi,
      stageName: props.api.stage.stageName,
      consoleUrl: this.url,
      domainPrefix,
      callbackUrls: props.callbackUrls ?? [],
      threatProtection: props.threatProtection ?? 'enforced',
      removalPolicy,
    });

    // The deployment function's own role and log group, as every platform function's: the
    // managed AWSLambdaBasicExecutionRole would let it write to every log group in the account.
    const deploymentLogs = new logs.LogGroup(this, 'DeploymentLogs', {
      encryptionKey: props.encryptionKey,
      retention: CONSOLE_DEFAULTS.deploymentLogRetention,
      removalPolicy,
    });
    const deploymentRole = new iam.Role(this, 'DeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `cdk-mlops console files deployment (${platformStackName(this)})`,
    });
    deploymentLogs.grantWrite(deploymentRole);
    this.deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      role: deploymentRole,
      logGroup: deploymentLogs,
      sources: consoleSources(props.assetsDirectory ?? CONSOLE_DIST_DIR, {
        apiUrl: props.api.url,
        region,
        auth: {
          kind: 'cognito',
          userPoolId: this.auth.userPool.userPoolId,
          userPoolClientId: this.auth.userPoolClient.userPoolClientId,
          identityPoolId: this.auth.identityPool.ref,
          domain: `https://${this.auth.userPoolDomain.domainName}.auth.${region}.amazoncognito.com`,
        },
      }),
      destinationBucket: this.bucket,
      // Browsers revalidate every file (an unchanged one costs a 304), and CloudFront keeps a
      // no-cache object only for its cache policy's minimum TTL (1 s): a deploy shows at once,
      // with no invalidation, so the deployment needs no CloudFront permission.
      // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Expiration.html
      cacheControl: [s3deploy.CacheControl.noCache()],
      memoryLimit: 512,
    });

    acknowledgeConsoleFindings({
      distribution: this.distribution,
      deployment: this.deployment,
      consoleBucket: this.bucket,
      customDomain: props.customDomain !== undefined,
      webAcl: props.webAclArn !== undefined,
    });
  }

  /** The custom domain's name, when the console has one. */
  private readonly customDomainName?: string;

  /**
   * The console's URL without a trailing `/`: `https://<custom domain>`, else
   * `https://<distribution>.cloudfront.net`.
   */
  public get url(): string {
    return `https://${this.customDomainName ?? this.distribution.distributionDomainName}`;
  }
}

/** Refuses a prefix Cognito would refuse at deploy time; a token part (the account) is skipped. */
function checkDomainPrefix(prefix: string): void {
  const literal = Token.isUnresolved(prefix) ? prefix.replace(/\$\{Token\[[^\]]+\]\}/g, '0') : prefix;
  const parsed = ConsoleHostingConfig.shape.domainPrefix.safeParse(literal);
  if (!parsed.success) {
    throw new Error(`domainPrefix ${parsed.error.issues[0].message}, got ${prefix}`);
  }
}
