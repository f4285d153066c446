/**
 * Who holds a model endpoint's rollout lock (a row of the deployments table), by the holder's
 * prefix: a rollout holds it by its deployment id, a stack deploy and an experiment by these.
 * Schema-free, so a function that only checks the lock builds no rollout or experiment schema;
 * `deployment.ts` and `experiments.ts` re-export them.
 */

/**
 * The rollout lock's holder while a stack deploy updates a model's endpoint (the endpoint custom
 * resource): `stack-<CloudFormation request id>`.
 */
export const STACK_UPDATE_LOCK_PREFIX = 'stack-';

/**
 * The rollout lock's holder while an experiment runs on the model's endpoint is
 * `experiment:<name>`: a rollout asking for the lock learns which experiment holds it, and an
 * experiment asking learns which rollout does.
 */
export const EXPERIMENT_LOCK_PREFIX = 'experiment:';
