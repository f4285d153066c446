/**
 * S3 layout shared by the constructs (which scope IAM to it) and the handlers (which write it).
 */

/** Model artifacts live under this prefix, content-addressed: `artifacts/sha256/<hex>/<file>`. */
export const ARTIFACTS_PREFIX = 'artifacts/';
