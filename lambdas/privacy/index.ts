/**
 * The privacy capability's public surface: what another capability may use of it. Today only the
 * erasure reply shape; the tombstone check lives with the stores it guards (the feature store).
 */
export { publicErasure } from './domain/erasures';
export type { StoredErasure } from './domain/ports';
