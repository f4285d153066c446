/**
 * Read-only registry access from env, apart from the full service's wiring so that a function
 * that only reads (serving) loads neither the artifact store nor its presigner.
 */
import { ENV } from '../../contracts/env';
import { documentClient, requiredEnv } from '../shared/clients';
import { DynamoDbRegistryStore } from './adapters/dynamodb-registry-store';
import { RegistryReader } from './service';

let reader: RegistryReader | undefined;

/**
 * Read-only access for a function granted only reads of the registry table (`REGISTRY_TABLE`):
 * no audit table, bucket or policy is needed, and nothing can be written through it.
 */
export function registryReaderFromEnv(): RegistryReader {
  reader ??= new RegistryReader({
    store: new DynamoDbRegistryStore({
      client: documentClient(),
      registryTable: requiredEnv(ENV.registryTable),
      // Writes are the only use of the audit table; a reader makes none.
      auditTable: '',
    }),
  });
  return reader;
}
