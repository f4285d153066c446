/**
 * The model server as a process, as SageMaker runs a serving container: model from
 * `MLOPS_MODEL_DIR` (default /opt/ml/model), port from `SAGEMAKER_BIND_TO_PORT` (default 8080;
 * 0 picks a free one). Prints one JSON line `{"event":"listening","port":N}` when ready so a
 * parent (the local SageMaker) knows the port; exits on SIGTERM.
 */
import { faultsFromEnv, startModelServer } from './server';

async function main(): Promise<void> {
  const running = await startModelServer({
    modelDir: process.env.MLOPS_MODEL_DIR ?? '/opt/ml/model',
    port: Number(process.env.SAGEMAKER_BIND_TO_PORT ?? 8080),
    host: process.env.MLOPS_MODEL_SERVER_HOST ?? '127.0.0.1',
    ...faultsFromEnv(process.env),
  });
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', port: running.port, loadError: running.loadError })}\n`,
  );
  const stop = () => void running.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // A parent that dies closes our stdin: exit instead of lingering as an orphan.
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((err) => {
  process.stderr.write(`model server failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
