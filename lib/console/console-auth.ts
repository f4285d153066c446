import { RemovalPolicy } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CONSOLE_GROUPS, type ConsoleHostingConfig } from '../../contracts/console-hosting';
import { platformStackName } from '../shared/capability-stack';
import { acknowledge } from '../shared/nag';
import { CONSOLE_DEFAULTS } from './defaults';

/** Properties of `ConsoleAuth`. */
export interface ConsoleAuthProps {
  /** The API the credentials may call, and nothing else. */
  readonly httpApi: apigwv2.IHttpApi;
  /** The stage of `httpApi` the console calls, e.g. `$default`. */
  readonly stageName: string;
  /** The console's origin, `https://<distribution>.cloudfront.net`. */
  readonly consoleUrl: string;
  /** The hosted sign-in domain's prefix (`<prefix>.auth.<region>.amazoncognito.com`). */
  readonly domainPrefix: string;
  /** More callback and sign-out URLs besides `consoleUrl`. */
  readonly callbackUrls: readonly string[];
  /** Cognito threat protection; anything but `off` puts the pool on the Plus feature plan. */
  readonly threatProtection: ConsoleHostingConfig['threatProtection'];
  /** What happens to the user pool on removal; RETAIN also turns on its deletion protection. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Sign-in for the console: a user pool where only administrators create users (TOTP MFA
 * required), its hosted sign-in domain, a public app client (authorization code with PKCE), and
 * an identity pool for signed-in users only that hands out one of two roles by user pool group:
 * `operators` may invoke any route of the API, `viewers` GET routes only. The roles can do
 * nothing but `execute-api:Invoke` on this environment's API.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control-iam.html
 */
export class ConsoleAuth extends Construct {
  public readonly userPool: cognito.UserPool;
  public readonly userPoolClient: cognito.UserPoolClient;
  public readonly userPoolDomain: cognito.UserPoolDomain;
  public readonly identityPool: cognito.CfnIdentityPool;
  /** Role of the `operators` group: every route. */
  public readonly operatorsRole: iam.Role;
  /** Role of the `viewers` group, and the identity pool's authenticated role: GET routes only. */
  public readonly viewersRole: iam.Role;

  constructor(scope: Construct, id: string, props: ConsoleAuthProps) {
    super(scope, id);
    const plus = props.threatProtection !== 'off';
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Administrators create every user (`admin-create-user`): the console reaches production
      // models, so nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      // Required, not optional: a console user can promote and deploy models. TOTP only: an
      // authenticator app costs nothing, where SMS needs an SNS role, a spend limit and a sandbox exit.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: CONSOLE_DEFAULTS.temporaryPasswordValidity,
        passwordHistorySize: 5,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: 'Your cdk-mlops console account',
        emailBody: `Sign in at ${props.consoleUrl} as {username} with the temporary password {####}. You will choose a password and set up an authenticator app.`,
      },
      featurePlan: plus ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      standardThreatProtectionMode: plus
        ? props.threatProtection === 'enforced'
          ? cognito.StandardThreatProtectionMode.FULL_FUNCTION
          : cognito.StandardThreatProtectionMode.AUDIT_ONLY
        : undefined,
      deletionProtection: props.removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy: props.removalPolicy,
    });
    if (!plus) {
      acknowledge(
        this.userPool,
        'AwsSolutions-COG8',
        'Threat protection is off in mlops:console.threatProtection, which keeps the Essentials plan; MFA stays required.',
      );
    }

    this.userPoolDomain = this.userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });

    const urls = [`${props.consoleUrl}/`, ...props.callbackUrls];
    this.userPoolClient = this.userPool.addClient('Console', {
      // A browser app cannot keep a secret; PKCE protects its authorization code instead.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: urls,
        logoutUrls: urls,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: CONSOLE_DEFAULTS.idTokenValidity,
      accessTokenValidity: CONSOLE_DEFAULTS.accessTokenValidity,
      refreshTokenValidity: CONSOLE_DEFAULTS.refreshTokenValidity,
    });

    this.identityPool = new cognito.CfnIdentityPool(this, 'IdentityPool', {
      allowUnauthenticatedIdentities: false,
      // Enhanced flow only: the pool picks the role, a caller cannot ask for another.
      allowClassicFlow: false,
      cognitoIdentityProviders: [
        {
          clientId: this.userPoolClient.userPoolClientId,
          providerName: this.userPool.userPoolProviderName,
          // Tokens of a signed-out or disabled user stop yielding credentials.
          serverSideTokenCheck: true,
        },
      ],
    });

    const invokeArn = (method: string) => props.httpApi.arnForExecuteApi(method, '/*', props.stageName);
    this.operatorsRole = this.invokeRole('OperatorsRole', 'any route', invokeArn('*'));
    this.viewersRole = this.invokeRole('ViewersRole', 'GET routes only', invokeArn('GET'));

    // The group's role reaches the ID token as cognito:preferred_role; a user in both groups
    // gets the one with the lower precedence.
    new cognito.UserPoolGroup(this, 'OperatorsGroup', {
      userPool: this.userPool,
      groupName: CONSOLE_GROUPS.operators,
      description: 'Console users who may call every API route',
      role: this.operatorsRole,
      precedence: 0,
    });
    new cognito.UserPoolGroup(this, 'ViewersGroup', {
      userPool: this.userPool,
      groupName: CONSOLE_GROUPS.viewers,
      description: 'Console users who may call GET routes only',
      role: this.viewersRole,
      precedence: 1,
    });

    new cognito.CfnIdentityPoolRoleAttachment(this, 'IdentityPoolRoles', {
      identityPoolId: this.identityPool.ref,
      // No unauthenticated role: a visitor who has not signed in gets no credentials at all.
      roles: { authenticated: this.viewersRole.roleArn },
      roleMappings: {
        userPool: {
          identityProvider: `${this.userPool.userPoolProviderName}:${this.userPoolClient.userPoolClientId}`,
          type: 'Token',
          // A user in no group gets no credentials rather than the default role.
          ambiguousRoleResolution: 'Deny',
        },
      },
    });
  }

  /** The hosted sign-in origin, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  public get signInUrl(): string {
    return this.userPoolDomain.baseUrl();
  }

  /** A role only this identity pool's signed-in users assume, allowed `execute-api:Invoke` on `arn`. */
  private invokeRole(id: string, what: string, arn: string): iam.Role {
    const role = new iam.Role(this, id, {
      description: `cdk-mlops console users (${platformStackName(this)}): execute-api:Invoke on ${what}`,
      assumedBy: new iam.FederatedPrincipal(
        'cognito-identity.amazonaws.com',
        {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': this.identityPool.ref },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
        'sts:AssumeRoleWithWebIdentity',
      ),
    });
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [arn] }));
    acknowledge(
      role,
      'AwsSolutions-IAM5',
      `Route paths end in /*: the role may call ${what} of this API's stage, and no other API.`,
      { arn },
    );
    return role;
  }
}
