/**
 * The console's response headers: a Content-Security-Policy that lets the page talk to the
 * platform API and Cognito only, HSTS, no framing, no MIME sniffing, and a referrer policy that
 * keeps the sign-in code of a callback URL on the console's own origin.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-response-headers-policies.html
 */
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';
import { CONSOLE_DEFAULTS } from './defaults';

/** The origins the console calls besides its own. */
export interface ConsoleOrigins {
  /** The platform API, `https://<api id>.execute-api.<region>.amazonaws.com`. */
  readonly api: string;
  /** The hosted sign-in domain, whose `/oauth2/token` the page calls with its PKCE code. */
  readonly signIn: string;
  /** Cognito's user pool and identity pool endpoints (`GetId`, `GetCredentialsForIdentity`). */
  readonly cognito: readonly string[];
}

/**
 * The console's CSP. Scripts come from the console's origin only (no inline script, no eval);
 * styles may be inline because charting code sets `style` attributes, which cannot carry a
 * nonce on a static site; `connect-src` names each origin the page calls, so a script injected
 * despite the rest cannot send credentials elsewhere with fetch.
 * @see https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy
 */
export function contentSecurityPolicy(origins: ConsoleOrigins): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${[origins.api, origins.signIn, ...origins.cognito].join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self' ${origins.signIn}`,
    "frame-ancestors 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

/** The response headers policy of every console response. */
export function consoleHeadersPolicy(
  scope: Construct,
  id: string,
  origins: ConsoleOrigins,
): cloudfront.ResponseHeadersPolicy {
  return new cloudfront.ResponseHeadersPolicy(scope, id, {
    comment: 'cdk-mlops web console: CSP (API and Cognito only), HSTS, no framing',
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(origins), override: true },
      strictTransportSecurity: {
        accessControlMaxAge: CONSOLE_DEFAULTS.hstsMaxAge,
        includeSubdomains: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
    },
    customHeadersBehavior: {
      customHeaders: [
        // A sign-in window opened from another site cannot script the console's window.
        { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()', override: true },
      ],
    },
  });
}
