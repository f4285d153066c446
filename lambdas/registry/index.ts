/**
 * The registry's public surface: the only file of `lambdas/registry/` other capabilities import.
 * Everything else in the folder is private to the registry.
 */
export type { GovernanceCheck } from './domain/governance';
export { effectivePolicy, evaluateGovernance, failedChecks } from './domain/governance';
export type { Actor } from './domain/ports';
export { registryReaderFromEnv } from './reader-from-env';
export { RegistryReader, RegistryService } from './service';
export { governancePolicyFromEnv, registryServiceFromEnv } from './service-from-env';
