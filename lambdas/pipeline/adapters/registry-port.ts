/**
 * The registry as the pipeline sees it, through the registry's own domain functions, so a
 * retrained version is registered, verified and tagged with the same rules, audit records and
 * events as through the API. The artifact is written to its content-addressed key directly (the
 * pipeline holds the bytes) instead of through a presigned upload.
 */

import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ModelVersion, RegisterVersionRequest } from '../../../contracts/registry';
import { CHAMPION_ALIAS } from '../../../contracts/registry';
import { artifactKey } from '../../registry/domain/artifacts';
import type { RegistryDeps } from '../../registry/domain/ports';
import * as versions from '../../registry/domain/versions';
import type { RegistryPort } from '../domain/ports';

export { CHAMPION_ALIAS };

export class RegistryDomainPort implements RegistryPort {
  constructor(
    private readonly deps: RegistryDeps,
    private readonly s3: S3Client,
  ) {}

  get policy() {
    return this.deps.policy;
  }

  getModel(modelName: string) {
    return this.deps.store.getModel(modelName);
  }

  async champion(modelName: string): Promise<ModelVersion | undefined> {
    const alias = await this.deps.store.getAlias(modelName, CHAMPION_ALIAS);
    return alias ? this.deps.store.getVersion(modelName, alias.version) : undefined;
  }

  async registerStored(
    modelName: string,
    req: RegisterVersionRequest,
    artifact: Uint8Array,
    actor: string,
  ): Promise<ModelVersion> {
    const who = { principal: actor };
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.deps.artifacts.bucket,
        Key: artifactKey(req.artifact.sha256, req.artifact.fileName),
        Body: artifact,
        ChecksumSHA256: Buffer.from(req.artifact.sha256, 'hex').toString('base64'),
        ContentType: req.artifact.contentType,
      }),
    );
    const { version } = await versions.registerVersion(this.deps, who, modelName, req);
    return versions.verifyArtifact(this.deps, who, modelName, version.version);
  }

  async tagVersion(
    modelName: string,
    version: number,
    tags: Record<string, string>,
    actor: string,
  ): Promise<void> {
    await versions.updateVersion(this.deps, { principal: actor }, modelName, version, { tags });
  }
}
