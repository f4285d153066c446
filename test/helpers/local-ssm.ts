/**
 * The local Parameter Store (`local/ssm/server.ts`) as tests use it: started over the given
 * parameters, with an SSM client pointed at it, and stopped with that client.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { type LocalParameter, LocalSsm } from '../../local/ssm/server';

export interface RunningSsm {
  readonly ssm: LocalSsm;
  /** The endpoint (what `SSM_ENDPOINT` and `LocalEndpoints.ssm` take). */
  readonly url: string;
  readonly client: SSMClient;
  close(): Promise<void>;
}

/** Starts a Parameter Store holding `parameters`; `close()` stops it and its client. */
export async function startLocalSsm(parameters: readonly LocalParameter[]): Promise<RunningSsm> {
  const ssm = new LocalSsm([...parameters]);
  const url = await ssm.listen();
  const client = new SSMClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    ssm,
    url,
    client,
    close: async () => {
      client.destroy();
      await ssm.close();
    },
  };
}

/**
 * For a test file: a function that starts a Parameter Store over `parameters` (as many as the
 * file needs); every one is stopped in `afterAll`.
 */
export function useLocalSsm(): (parameters: readonly LocalParameter[]) => Promise<RunningSsm> {
  const running: RunningSsm[] = [];
  afterAll(async () => {
    await Promise.all(running.splice(0).map((r) => r.close()));
  });
  return async (parameters) => {
    const started = await startLocalSsm(parameters);
    running.push(started);
    return started;
  };
}
