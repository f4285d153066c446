/**
 * The experiments capability's public surface: what another capability may use of it. The predict
 * path assigns units to arms with the same function outcomes are attributed with.
 */
export { assign, bucketOf } from './domain/assignment';
