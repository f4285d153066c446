import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { parsePlatformConfig } from '../../contracts/config';
import { CONSOLE_GROUPS } from '../../contracts/console-hosting';
import { buildApp } from '../../lib/app';
import { contentSecurityPolicy, PLACEHOLDER_HTML, WebConsole, type WebConsoleProps } from '../../lib/console';
import { cdkJsonContext, logicalId, SKIP_BUNDLING } from './helpers';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** A stack with a bare HTTP API and the console calling it, synthesized into its own folder. */
function consoleStack(
  props: Partial<WebConsoleProps> | ((stack: Stack) => Partial<WebConsoleProps>) = {},
  options: { nag?: boolean } = {},
) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'console-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: SKIP_BUNDLING });
  const stack = new Stack(app, 'ConsoleTest');
  const httpApi = new apigwv2.HttpApi(stack, 'Api', { createDefaultStage: false });
  const stage = new apigwv2.HttpStage(stack, 'Stage', { httpApi, stageName: '$default', autoDeploy: true });
  const web = new WebConsole(stack, 'Console', {
    api: { httpApi, stage, url: stage.url },
    assetsDirectory: path.join(outdir, 'no-console-build'),
    ...(typeof props === 'function' ? props(stack) : props),
  });
  // The stand-in API is no part of the console: its own findings are not this test's.
  Validations.of(stage).acknowledge({ id: 'AwsSolutions-APIG1', reason: 'test stand-in API' });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  return { app, outdir, web, httpApiId: logicalId(httpApi), template: Template.fromStack(stack) };
}

/** cdk-nag findings on the console's constructs (the bare API of the test stack has its own). */
const consoleFindings = (outdir: string): string[] => {
  const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports
    .flatMap(
      (r: { violations: Array<{ ruleName: string; violatingResources: Array<{ locations: string[] }> }> }) =>
        r.violations.flatMap((v) =>
          v.violatingResources.map((res) => `${v.ruleName} ${JSON.stringify(res)}`),
        ),
    )
    .filter((f: string) => /Console|CDKBucketDeployment/.test(f));
};

/**
 * The files the deployment writes, by name, with CDK's deploy-time markers put back as the
 * template values they stand for (`{ Ref: ... }`).
 */
function deployedFiles(template: Template, outdir: string): Record<string, unknown> {
  const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment'));
  const { SourceObjectKeys: keys, SourceMarkers: markers } = deployment.Properties as {
    SourceObjectKeys: string[];
    SourceMarkers: Array<Record<string, unknown>>;
  };
  const files: Record<string, unknown> = {};
  keys.forEach((key, i) => {
    const dir = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
    for (const name of ['index.html', 'config.json']) {
      if (!existsSync(path.join(dir, name))) continue;
      let text = readFileSync(path.join(dir, name), 'utf8');
      for (const [marker, value] of Object.entries(markers[i] ?? {})) {
        text = text.split(marker).join(`__${JSON.stringify(value).replace(/"/g, "'")}__`);
      }
      files[name] = name.endsWith('.json') ? JSON.parse(text) : text;
    }
  });
  return files;
}

/**
 * Fails unless the bucket policy's one Allow is CloudFront's `s3:GetObject` on behalf of
 * distribution `distributionId` (the OAC statement), but for CDK's auto-delete provider.
 */
function assertOnlyDistributionReads(template: Template, bucketId: string, distributionId: string): void {
  const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
    (p) => p.Properties.Bucket.Ref === bucketId,
  );
  const allows = (policy?.Properties.PolicyDocument.Statement ?? []).filter(
    (s: { Effect: string; Principal?: { AWS?: unknown } }) =>
      s.Effect === 'Allow' && !JSON.stringify(s.Principal?.AWS ?? '').includes('AutoDeleteObjects'),
  );
  expect(allows).toEqual([
    expect.objectContaining({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
    }),
  ]);
  expect(JSON.stringify(allows[0].Condition)).toContain(distributionId);
}

describe('WebConsole', () => {
  let c: ReturnType<typeof consoleStack>;
  beforeAll(() => {
    c = consoleStack({}, { nag: true });
  }, 60_000);

  describe('bucket', () => {
    it('is private, encrypted, TLS-only, ACL-free and logs server access', () => {
      c.template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: logicalId(c.web.logsBucket) },
          LogFilePrefix: 'console-bucket/',
        },
      });
    });

    it('lets only this distribution read it, through Origin Access Control', () => {
      assertOnlyDistributionReads(c.template, logicalId(c.web.bucket), logicalId(c.web.distribution));
      c.template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
      c.template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Origins: [
            Match.objectLike({
              S3OriginConfig: { OriginAccessIdentity: '' },
              OriginAccessControlId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OriginAccessControl'), 'Id'] },
            }),
          ],
        }),
      });
    });
  });

  it('fails the OAC-only check for a bucket that anyone may read', () => {
    // Prepare
    const bad = new Stack(new App({ context: SKIP_BUNDLING }), 'Bad');
    const bucket = new s3.Bucket(bad, 'Public', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY });
    bucket.grantPublicAccess();
    // Act & Assess
    expect(() => assertOnlyDistributionReads(Template.fromStack(bad), logicalId(bucket), 'Any')).toThrow();
  });

  describe('distribution', () => {
    it('serves HTTPS only, index.html at the root and for client-side routes, and logs requests', () => {
      c.template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: 'index.html',
          DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'https-only' }),
          CustomErrorResponses: [
            { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
            { ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
          ],
          Logging: Match.objectLike({
            Bucket: { 'Fn::GetAtt': [logicalId(c.web.logsBucket), 'RegionalDomainName'] },
            Prefix: 'cloudfront/',
          }),
        }),
      });
    });

    it('sends a CSP that allows the API and Cognito only, HSTS and no framing', () => {
      // Prepare
      const [policy] = Object.values(c.template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
      const security = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
      // Assess
      expect(csp).toContain(
        `connect-src 'self' ",{"Fn::GetAtt":["${c.httpApiId}","ApiEndpoint"]}," https://consoletest-`,
      );
      expect(csp).toContain('.amazoncognito.com https://cognito-identity.');
      expect(csp).toContain('https://cognito-idp.');
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(security).toEqual(
        expect.objectContaining({
          StrictTransportSecurity: expect.objectContaining({
            AccessControlMaxAgeSec: 63_072_000,
            Override: true,
          }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentTypeOptions: { Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
        }),
      );
      c.template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({
            ResponseHeadersPolicyId: { Ref: logicalId(c.web.responseHeadersPolicy) },
          }),
        }),
      });
    });

    it('builds a CSP whose connect-src names exactly the given origins', () => {
      // Act
      const csp = contentSecurityPolicy({
        api: 'https://a1.execute-api.eu-west-1.amazonaws.com',
        signIn: 'https://p.auth.eu-west-1.amazoncognito.com',
        cognito: ['https://cognito-idp.eu-west-1.amazonaws.com'],
      });
      // Assess
      expect(csp.split('; ')).toContain(
        "connect-src 'self' https://a1.execute-api.eu-west-1.amazonaws.com https://p.auth.eu-west-1.amazoncognito.com https://cognito-idp.eu-west-1.amazonaws.com",
      );
      expect(csp).not.toContain('*');
    });
  });

  describe('sign-in', () => {
    it('lets administrators alone create users, requires TOTP MFA and a strong password, with threat protection', () => {
      c.template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 14,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      });
    });

    it('has a public app client: authorization code (PKCE) to the console URL, no secret', () => {
      c.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        CallbackURLs: [
          {
            'Fn::Join': [
              '',
              ['https://', { 'Fn::GetAtt': [logicalId(c.web.distribution), 'DomainName'] }, '/'],
            ],
          },
        ],
        SupportedIdentityProviders: ['COGNITO'],
      });
    });

    it('gives no identity to a visitor who has not signed in', () => {
      c.template.hasResourceProperties('AWS::Cognito::IdentityPool', {
        AllowUnauthenticatedIdentities: false,
        AllowClassicFlow: false,
      });
      const [attachment] = Object.values(
        c.template.findResources('AWS::Cognito::IdentityPoolRoleAttachment'),
      );
      expect(Object.keys(attachment.Properties.Roles)).toEqual(['authenticated']);
      expect(attachment.Properties.RoleMappings.userPool).toEqual(
        expect.objectContaining({ Type: 'Token', AmbiguousRoleResolution: 'Deny' }),
      );
    });

    it('maps operators and viewers to their roles, operators first', () => {
      c.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
        GroupName: CONSOLE_GROUPS.operators,
        Precedence: 0,
        RoleArn: { 'Fn::GetAtt': [logicalId(c.web.auth.operatorsRole), 'Arn'] },
      });
      c.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
        GroupName: CONSOLE_GROUPS.viewers,
        Precedence: 1,
        RoleArn: { 'Fn::GetAtt': [logicalId(c.web.auth.viewersRole), 'Arn'] },
      });
    });
  });

  describe('roles', () => {
    const policyOf = (roleId: string) =>
      Object.values(c.template.findResources('AWS::IAM::Policy')).filter((p) =>
        p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId),
      );
    const invokeArn = (method: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':execute-api:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':',
          { Ref: c.httpApiId },
          `/$default/${method}/*`,
        ],
      ],
    });

    it.each([
      ['operators', '*'],
      ['viewers', 'GET'],
    ] as const)('lets %s do exactly execute-api:Invoke on %s routes of the API', (group, method) => {
      // Prepare
      const role = group === 'operators' ? c.web.auth.operatorsRole : c.web.auth.viewersRole;
      // Act
      const policies = policyOf(logicalId(role));
      // Assess: one policy, one statement, and no managed policy on the role
      expect(policies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([
        [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: invokeArn(method) }],
      ]);
      expect(
        c.template.findResources('AWS::IAM::Role')[logicalId(role)].Properties.ManagedPolicyArns,
      ).toBeUndefined();
    });

    it('is assumable only by signed-in identities of this identity pool', () => {
      c.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: 'cognito-identity.amazonaws.com' },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: {
                  'cognito-identity.amazonaws.com:aud': {
                    Ref: Stack.of(c.web).getLogicalId(c.web.auth.identityPool),
                  },
                },
                'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
              },
            },
          ],
        },
      });
    });
  });

  describe('deployment', () => {
    it('writes config.json with the API URL and the ids of the pools, client and sign-in domain', () => {
      // Act
      const config = deployedFiles(c.template, c.outdir)['config.json'] as Record<string, never>;
      // Assess
      const ref = (construct: { node: { defaultChild?: unknown } } | unknown) =>
        `__{'Ref':'${logicalId(construct as never)}'}__`;
      expect(config).toEqual({
        apiUrl: expect.stringMatching(/^https:\/\/__.*\.execute-api\..*\/$/),
        region: "__{'Ref':'AWS::Region'}__",
        auth: {
          kind: 'cognito',
          userPoolId: ref(c.web.auth.userPool),
          userPoolClientId: ref(c.web.auth.userPoolClient),
          identityPoolId: `__{'Ref':'${Stack.of(c.web).getLogicalId(c.web.auth.identityPool)}'}__`,
          domain: `https://${ref(c.web.auth.userPoolDomain)}.auth.__{'Ref':'AWS::Region'}__.amazoncognito.com`,
        },
      });
    });

    it('deploys a placeholder index.html made at synth time when the console is not built', () => {
      expect(deployedFiles(c.template, c.outdir)['index.html']).toBe(PLACEHOLDER_HTML);
      c.template.hasResourceProperties('Custom::CDKBucketDeployment', {
        DestinationBucketName: { Ref: logicalId(c.web.bucket) },
        SystemMetadata: { 'cache-control': 'no-cache' },
        Prune: true,
      });
    });
  });

  it('deploys the built console when its directory holds an index.html', () => {
    // Prepare
    const built = mkdtempSync(path.join(tmpdir(), 'console-dist-'));
    outdirs.push(built);
    writeFileSync(path.join(built, 'index.html'), '<!doctype html><title>built</title>');
    // Act
    const { template, outdir } = consoleStack({ assetsDirectory: built });
    // Assess
    expect(deployedFiles(template, outdir)).toEqual({
      'index.html': '<!doctype html><title>built</title>',
      'config.json': expect.objectContaining({ auth: expect.objectContaining({ kind: 'cognito' }) }),
    });
  });

  it('fails for a domain prefix Cognito would refuse, naming it', () => {
    expect(() => consoleStack({ domainPrefix: 'Console_Login' })).toThrow(
      'domainPrefix must be 1-63 lowercase letters, digits or -, not starting or ending with -, got Console_Login',
    );
  });

  it('is cdk-nag clean, every finding acknowledged', () => {
    expect(consoleFindings(c.outdir)).toEqual([]);
  });

  it('acknowledges the Essentials plan (COG8) only when threat protection is turned off', () => {
    // Act
    const { web, outdir } = consoleStack({ threatProtection: 'off' }, { nag: true });
    // Assess
    expect(consoleFindings(outdir)).toEqual([]);
    expect(Template.fromStack(Stack.of(web)).findResources('AWS::Cognito::UserPool')).toEqual({
      [logicalId(web.auth.userPool)]: expect.objectContaining({
        Properties: expect.objectContaining({ UserPoolTier: 'ESSENTIALS' }),
      }),
    });
  }, 60_000);
});

/** The rule ids acknowledged on a construct itself (cdk-nag's findings it lets pass). */
const acknowledgedRules = (construct: IConstruct): string[] =>
  construct.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.keys(m.data as Record<string, string>));

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const WEB_ACL_ARN =
  'arn:aws:wafv2:us-east-1:123456789012:global/webacl/console/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

describe('WebConsole on a custom domain, behind a web ACL', () => {
  let c: ReturnType<typeof consoleStack>;
  beforeAll(() => {
    c = consoleStack(
      (stack) => ({
        customDomain: {
          domainName: 'console.example.com',
          certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
        },
        webAclArn: WEB_ACL_ARN,
      }),
      { nag: true },
    );
  }, 60_000);

  it('answers the domain with its certificate, SNI and TLS 1.2 at least, behind the web ACL', () => {
    c.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['console.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: CERTIFICATE_ARN,
          SslSupportMethod: 'sni-only',
          MinimumProtocolVersion: 'TLSv1.2_2021',
        },
        WebACLId: WEB_ACL_ARN,
      }),
    });
  });

  it('signs users in back to the custom domain, its URL the console URL', () => {
    expect(c.web.url).toBe('https://console.example.com');
    c.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: Match.arrayWith(['https://console.example.com/']),
    });
  });

  it('is cdk-nag clean with no TLS (CFR4) or web ACL (CFR2) acknowledgement left', () => {
    expect(consoleFindings(c.outdir)).toEqual([]);
    expect(acknowledgedRules(c.web.distribution).join(' ')).not.toMatch(/CFR2|CFR4/);
  });

  it('fails without a web ACL or custom domain: the default distribution acknowledges CFR2 and CFR4', () => {
    // Act
    const { template, web } = consoleStack();
    // Assess
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    expect(distribution.Properties.DistributionConfig.WebACLId).toBeUndefined();
    expect(distribution.Properties.DistributionConfig.Aliases).toBeUndefined();
    expect(acknowledgedRules(web.distribution).join(' ')).toMatch(/CFR2[\s\S]*CFR4/);
  }, 60_000);
});

describe('the platform', () => {
  it('hosts the console in its own nested stack, with CORS on the API and the URLs as outputs', () => {
    // Act
    const { app, stack } = buildApp(cdkJsonContext(SKIP_BUNDLING));
    app.synth({ validateOnSynthesis: false });
    // Assess
    expect(stack.console).toBeDefined();
    expect(Stack.of(stack.console as WebConsole).node.id).toBe('ConsoleStack');
    const root = Template.fromStack(stack);
    for (const output of [
      'ConsoleUrl',
      'ConsoleUserPoolId',
      'ConsoleUserPoolClientId',
      'ConsoleIdentityPoolId',
    ]) {
      root.hasOutput(output, {});
    }
    Template.fromStack(Stack.of(stack.api)).hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['*'],
        AllowHeaders: Match.arrayWith([
          'authorization',
          'idempotency-key',
          'x-amz-date',
          'x-amz-security-token',
        ]),
      }),
    });
  }, 120_000);

  it('reads mlops:console with the console on by default, and refuses a bad domain prefix', () => {
    const base = { 'mlops:envName': 'dev' };
    expect(parsePlatformConfig(base).console).toEqual({
      enabled: true,
      callbackUrls: [],
      threatProtection: 'enforced',
    });
    expect(parsePlatformConfig({ ...base, 'mlops:console': '{"enabled":false}' }).console.enabled).toBe(
      false,
    );
    expect(() =>
      parsePlatformConfig({ ...base, 'mlops:console': { domainPrefix: 'my-aws-console' } }),
    ).toThrow(/mlops:console\.domainPrefix: must not contain aws/);
    expect(() => parsePlatformConfig({ 'mlops:envName': 'aws2' })).toThrow(
      /mlops:console\.domainPrefix: is required: the default, mlops-aws2-<account id>, holds aws/,
    );
    expect(() =>
      parsePlatformConfig({ ...base, 'mlops:console': { callbackUrls: ['http://console.example.com/'] } }),
    ).toThrow(/mlops:console\.callbackUrls\.0: must be https, or http:\/\/localhost/);
  });

  it('reads a custom domain and a web ACL from mlops:console, and refuses ones CloudFront cannot use', () => {
    const base = { 'mlops:envName': 'dev' };
    const customDomain = { domainName: 'console.example.com', certificateArn: CERTIFICATE_ARN };
    expect(
      parsePlatformConfig({ ...base, 'mlops:console': { customDomain, webAclArn: WEB_ACL_ARN } }).console,
    ).toMatchObject({ customDomain, webAclArn: WEB_ACL_ARN });
    expect(() =>
      parsePlatformConfig({
        ...base,
        'mlops:console': {
          customDomain: {
            ...customDomain,
            certificateArn: CERTIFICATE_ARN.replace('us-east-1', 'eu-west-1'),
          },
        },
      }),
    ).toThrow(/mlops:console\.customDomain\.certificateArn: must be an ACM certificate ARN in us-east-1/);
    expect(() =>
      parsePlatformConfig({
        ...base,
        'mlops:console': { customDomain: { ...customDomain, domainName: 'Console_Example' } },
      }),
    ).toThrow(/mlops:console\.customDomain\.domainName: must be a lowercase DNS name/);
    expect(() =>
      parsePlatformConfig({
        ...base,
        'mlops:console': { webAclArn: WEB_ACL_ARN.replace('global/webacl', 'regional/webacl') },
      }),
    ).toThrow(/mlops:console\.webAclArn: must be the ARN of an AWS WAF web ACL of scope CLOUDFRONT/);
  });

  it('puts the configured domain and web ACL on the platform console distribution', () => {
    // Act: constructed only, not synthesized
    const { stack } = buildApp(
      cdkJsonContext({
        ...SKIP_BUNDLING,
        'mlops:console': {
          customDomain: { domainName: 'console.example.com', certificateArn: CERTIFICATE_ARN },
          webAclArn: WEB_ACL_ARN,
        },
      }),
    );
    // Assess
    expect(stack.console?.url).toBe('https://console.example.com');
    Template.fromStack(Stack.of(stack.console as WebConsole)).hasResourceProperties(
      'AWS::CloudFront::Distribution',
      {
        DistributionConfig: Match.objectLike({
          Aliases: ['console.example.com'],
          ViewerCertificate: Match.objectLike({ AcmCertificateArn: CERTIFICATE_ARN }),
          WebACLId: WEB_ACL_ARN,
        }),
      },
    );
  }, 120_000);

  it('has no console, and no CORS on the API, when mlops:console turns it off', () => {
    // Act: constructed only, not synthesized
    const { stack } = buildApp(cdkJsonContext({ ...SKIP_BUNDLING, 'mlops:console': { enabled: false } }));
    // Assess
    expect(stack.console).toBeUndefined();
    expect(stack.node.tryFindChild('ConsoleStack')).toBeUndefined();
    const [api] = Object.values(
      Template.fromStack(Stack.of(stack.api)).findResources('AWS::ApiGatewayV2::Api'),
    );
    expect(api.Properties.CorsConfiguration).toBeUndefined();
  });
});
