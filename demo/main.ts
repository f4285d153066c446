/**
 * `npm run demo`, after `npm start` (in another terminal): the retraining loop on the demo model,
 * with a progress line per step; `npm run demo -- --approval` has v2's promotion wait for the
 * local approver's sign-off, which the demo then gives. Finds the platform through its data directory (MLOPS_DATA_DIR,
 * default ./.mlops-data). Exit code 0 when every step did what it shows.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { PlatformApiError, platformClient } from '../client';
import { findLocalApprover, findLocalPlatform } from '../local/connection';
import { localS3ClientConfig } from '../local/stand-ins';
import { showAlerts } from './alerts';
import { loadDataset } from './dataset';
import { localRoutes } from './local-routes';
import { progress } from './progress';
import { DemoAlreadyRan, runDemo } from './scenario';

async function main(): Promise<number> {
  const platform = findLocalPlatform();
  const p = progress();
  p.info(`cdk-mlops demo on ${platform.url}`);
  // The typed client, signing as the local platform's caller (region us-east-1, as it checks).
  const clientOf = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
    platformClient({ baseUrl: platform.url, region: 'us-east-1', credentials, description: 'local' });
  const api = clientOf(platform.credentials);
  const local = localRoutes(platform.url, platform.credentials);
  const s3 = new S3Client(localS3ClientConfig(platform.s3));
  const sagemaker = new SageMakerClient({
    endpoint: platform.sagemaker,
    region: 'us-east-1',
    credentials: platform.credentials,
  });
  // `--approval`: v2's promotion waits for the local approver's sign-off, which the demo gives.
  const approver = process.argv.includes('--approval') ? clientOf(findLocalApprover()) : undefined;
  try {
    const result = await runDemo({ api, local, s3, sagemaker, approver }, loadDataset(), p);
    p.section('7. Alerts: what the critical and warning topics sent');
    // The drift alarm is unnamed (its logical id locally); the canary's are named after the endpoint.
    await showAlerts(local, p, ['DriftAlarm', 'challenger-error-rate']);
    p.section('Done');
    p.info(
      `loop wall time (drift check to v${result.promotedVersion} promoted): ${result.loopSeconds.toFixed(1)} s`,
    );
    p.info(`v${result.rolledBackVersion} rolled back on ${result.alarm}`);
    p.info(
      `experiments: one stopped (${result.experiments.stoppedReason}); v${result.experiments.winner} won the other, rollout ${result.experiments.deploymentId}`,
    );
    p.info(`every step is on the bus: curl --aws-sigv4 ... "${platform.url}/_local/events"`);
    p.info(`every alert: curl --aws-sigv4 ... "${platform.url}/_local/alerts"`);
    return 0;
  } catch (err) {
    if (err instanceof DemoAlreadyRan) {
      console.error(err.message);
      return 2;
    }
    throw err;
  } finally {
    s3.destroy();
    sagemaker.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    // The platform's refusals name their code, as the CLI prints them.
    if (err instanceof PlatformApiError) console.error(`${err.message} (${err.code}, HTTP ${err.status})`);
    else console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
