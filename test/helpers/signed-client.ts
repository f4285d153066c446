/** The signing client of the local platform's callers, as the tests use it. */
export { type SignedClient, signedClient } from '../../local/signed-client';
