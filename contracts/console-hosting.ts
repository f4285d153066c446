/**
 * How the web console is hosted on AWS (`mlops:console`): a private S3 bucket behind CloudFront,
 * a Cognito user pool for sign-in and an identity pool that turns a signed-in user into IAM
 * credentials allowed to call this environment's API, and nothing else. Local mode ignores it:
 * the local API server serves the console itself, signed with the local credentials.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-identity.html
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';

/**
 * The user pool groups the console knows, and what each may do with the API: `operators` any
 * route, `viewers` GET routes only. A signed-in user in neither group gets no credentials.
 */
export const CONSOLE_GROUPS = {
  operators: 'operators',
  viewers: 'viewers',
} as const;
export type ConsoleGroup = keyof typeof CONSOLE_GROUPS;

/**
 * Cognito's rules for a prefix domain (`<prefix>.auth.<region>.amazoncognito.com`).
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html
 */
const DomainPrefix = lazySchema(() =>
  z
    .string()
    .regex(
      /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
      'must be 1-63 lowercase letters, digits or -, not starting or ending with -',
    )
    .refine((p) => !/aws|amazon|cognito/.test(p), 'must not contain aws, amazon or cognito'),
);

/** Cognito takes https callbacks, and plain http only for localhost. */
const CallbackUrl = lazySchema(() =>
  z
    .url({ protocol: /^https?$/ })
    .refine(
      (u) => u.startsWith('https://') || /^http:\/\/localhost(?::\d+)?(?:\/|$)/.test(u),
      'must be https, or http://localhost',
    ),
);

/**
 * CloudFront reads viewer certificates from ACM in us-east-1 only, whatever the stack's Region.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html
 */
const CloudFrontCertificateArn = lazySchema(() =>
  z
    .string()
    .regex(
      /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/,
      'must be an ACM certificate ARN in us-east-1 (CloudFront reads certificates there only)',
    ),
);

/** A lowercase DNS name: labels of letters, digits and -, a top-level label of letters. */
const DomainName = lazySchema(() =>
  z
    .string()
    .max(253)
    .regex(
      /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
      'must be a lowercase DNS name, e.g. console.example.com',
    ),
);

/**
 * A web ACL for CloudFront has scope CLOUDFRONT: it lives in us-east-1, under `global/webacl/`.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html
 */
const CloudFrontWebAclArn = lazySchema(() =>
  z
    .string()
    .regex(
      /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/,
      'must be the ARN of an AWS WAF web ACL of scope CLOUDFRONT (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)',
    ),
);

export const ConsoleHostingConfig = lazySchema(() =>
  z.strictObject({
    /** Off: no bucket, distribution or pools; the API gets no CORS configuration either. */
    enabled: z.boolean().default(true),
    /**
     * The hosted sign-in domain's prefix, unique in the Region across all AWS accounts.
     * Unset: `mlops-<envName>-<account id>`.
     */
    domainPrefix: DomainPrefix.optional(),
    /**
     * Sign-in callback and sign-out URLs besides the console's own CloudFront URL, e.g. a custom
     * domain in front of it or `http://localhost:<port>/` to run a development build against the
     * cloud pool.
     */
    callbackUrls: z.array(CallbackUrl).max(50).default([]),
    /**
     * Cognito threat protection (compromised credentials, adaptive authentication): `enforced`
     * blocks risky sign-ins, `audit` only records them; both need the Plus feature plan, billed per
     * monthly active user. `off` keeps the Essentials plan.
     * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html
     */
    threatProtection: z.enum(['enforced', 'audit', 'off']).default('enforced'),
    /**
     * Serve the console on your own name: the distribution answers `domainName` with the ACM
     * certificate (us-east-1) and TLS 1.2 at least, and the console's URL (sign-in callbacks, API
     * links in alerts, the `ConsoleUrl` output) becomes `https://<domainName>`. Point the name at the
     * distribution (a Route 53 alias or a CNAME) yourself. Unset: the `cloudfront.net` name.
     */
    customDomain: z
      .strictObject({ domainName: DomainName, certificateArn: CloudFrontCertificateArn })
      .optional(),
    /**
     * An AWS WAF web ACL (scope CLOUDFRONT, made elsewhere: it must live in us-east-1) in front of
     * the distribution. Unset: no web ACL.
     */
    webAclArn: CloudFrontWebAclArn.optional(),
  }),
);
export type ConsoleHostingConfig = z.infer<typeof ConsoleHostingConfig>;

/** The console when the config says nothing: on, with its defaults. */
export const DEFAULT_CONSOLE_HOSTING: ConsoleHostingConfig = ConsoleHostingConfig.parse({});
