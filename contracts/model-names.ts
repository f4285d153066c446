/**
 * The names every capability's contract shares with the registry: a model's name, an alias, a
 * version number, and the registry's tag limits. Apart from `registry.ts` so that a contract
 * naming a model (a rollout, a monitor, a prediction) builds these few schemas at a cold start
 * and not the registry's requests and governance policy with them; `registry.ts` re-exports them.
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';

/** Model names are URL-safe and short enough for a DynamoDB key and an S3 prefix. */
export const ModelName = lazySchema(() =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/,
      'must be 1-128 characters of letters, digits, _ . - (not first)',
    ),
);

export const AliasName = lazySchema(() =>
  z
    .string()
    .regex(
      /^[a-z][a-z0-9_-]{0,63}$/,
      'must be 1-64 lowercase letters, digits, _ or -, starting with a letter',
    ),
);

export const VersionNumber = lazySchema(() => z.coerce.number().int().min(1).max(9_999_999_999));

/**
 * The alias of the version in production: rollouts point it at the version they promote, the
 * retraining pipeline compares challengers with it, monitoring checks traffic against its profile.
 */
export const CHAMPION_ALIAS = 'champion';

/** Most tags a version or model holds. */
export const MAX_TAGS = 50;

/** Tag keys the platform sets on versions (e.g. `mlops:referenceProfile`, `mlops:runId`). */
export const RESERVED_TAG_PREFIX = 'mlops:';
