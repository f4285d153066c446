/**
 * `npm run demo`, after `npm start` (in another terminal): the retraining loop on the demo model,
 * with a progress line per step; `npm run demo -- --approval` has v2's promotion wait for the
 * local approver's sign-off, which the demo then gives. Finds the platform through its data directory (MLOPS_DATA_DIR,
 * default ./.mlops-data). Exit code 0 when every step did what it shows.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { findLocalApprover, findLocalPlatform } from '../local/connection';
import { signedClient } from '../local/signed-client';
import { localS3ClientConfig } from '../local/stand-ins';
import { showAlerts } from './alerts';
import { loadDataset } from './dataset';
import { progress } from './progress';
import { DemoAlreadyRan, runDemo } from './scenario';

async function main(): Promise<number> {
  const platform = findLocalPlatform();
  const p = progress();
  p.info(`cdk-mlops demo on ${platform.url}`);
  const api = signedClient(platform.url, platform.credentials);
  const s3 = new S3Client(localS3ClientConfig(platform.s3));
  const sagemaker = new SageMakerClient({
    endpoint: platform.sagemaker,
    region: 'us-east-1',
    credentials: platform.credentials,
  });
  // `--approval`: v2's promotion waits for the local approver's sign-off, which the demo gives.
  const approver = process.argv.includes('--approval')
    ? signedClient(platform.url, findLocalApprover())
    : undefined;
  try {
    const result = await runDemo({ api, s3, sagemaker, approver }, loadDataset(), p);
    p.section('7. Alerts: what the critical and warning topics sent');
    // The drift alarm is unnamed (its logical id locally); the canary's are named after the endpoint.
    await showAlerts(api, p, ['DriftAlarm', 'challenger-error-rate']);
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
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
