/**
 * Defaults of `WebConsole`, in one place so the props' `@default` docs and the code agree.
 */
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * Where `npm run console:build` writes the console's static files (index.html next to its
 * assets). Synth does not build them: when the directory is missing, a placeholder page made at
 * synth time is deployed instead, so the platform deploys before the console is built.
 */
export const CONSOLE_DIST_DIR = path.join(__dirname, '..', '..', 'console', 'dist');

/** The file the console reads at start, next to index.html (see `ConsoleRuntimeConfig`). */
export const CONSOLE_CONFIG_FILE = 'config.json';

export const CONSOLE_DEFAULTS = {
  /** Server access logs and CloudFront logs are an audit trail: a year, as the artifacts bucket's. */
  logsExpiration: Duration.days(365),
  /**
   * North America and Europe edges only: operators sign in from a handful of places, and the
   * console is a few hundred kilobytes; the other classes cost more per request.
   * @see https://aws.amazon.com/cloudfront/pricing/
   */
  priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
  /** An ID token (and so the AWS credentials made from it) lasts an hour, Cognito's default. */
  idTokenValidity: Duration.hours(1),
  accessTokenValidity: Duration.hours(1),
  /** A working day: sign in once in the morning, not again until the next. */
  refreshTokenValidity: Duration.hours(12),
  /**
   * How long a browser may keep the HSTS rule: two years, the value hstspreload.org asks for.
   * @see https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security
   */
  hstsMaxAge: Duration.days(730),
  /** The deployment function's logs, kept as long as every platform function's. */
  deploymentLogRetention: logs.RetentionDays.ONE_YEAR,
  /** A temporary password an administrator sets must be changed within a week. */
  temporaryPasswordValidity: Duration.days(7),
} as const;

/** Where the logs land in the console's logs bucket. */
export const LOG_PREFIXES = {
  cloudfront: 'cloudfront/',
  bucket: 'console-bucket/',
} as const;
