/**
 * An endpoint config's storage-volume KMS key, where SageMaker takes one: GPU families with NVMe
 * instance storage (`LOCAL_NVME_FAMILIES`) get none, since SageMaker refuses it for them, and the
 * cdk-nag finding that follows is acknowledged with that reason.
 */
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';
import { acknowledge } from '../shared/nag';
import { LOCAL_NVME_FAMILIES } from './defaults';

/** `{ kmsKeyId }` for the config, or nothing on an NVMe instance type. */
export function volumeKey(instanceType: string, key: kms.IKey): { kmsKeyId?: string } {
  return LOCAL_NVME_FAMILIES.test(instanceType) ? {} : { kmsKeyId: key.keyArn };
}

/** Acknowledges AwsSolutions-SM2 on `config` where `volumeKey` gave none. */
export function acknowledgeNvmeVolume(config: IConstruct, instanceType: string): void {
  if (!LOCAL_NVME_FAMILIES.test(instanceType)) return;
  acknowledge(
    config,
    'AwsSolutions-SM2',
    `${instanceType} has NVMe instance storage, which SageMaker encrypts in hardware and for which it refuses a KMS volume key.`,
  );
}
