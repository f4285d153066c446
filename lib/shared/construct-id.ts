/**
 * Construct IDs made from config names (models, feature views, API families). IDs are a
 * contract: a changed ID is a replaced resource, so every capability builds them here.
 */

/**
 * `churn-model_v2` -> `ChurnModelV2`: the name's alphanumeric runs, each with its first letter
 * upper-cased and the rest kept, joined. `registry` -> `Registry`, `mlflowRuns` -> `MlflowRuns`.
 */
export function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}
