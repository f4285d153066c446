/**
 * The registry as a rollout sees it, through the registry's own domain functions and store, so a
 * promotion passes the same governance checks, writes the same audit records and emits the same
 * events as the registry API would.
 */

import { CHAMPION_ALIAS } from '../../../contracts/registry';
import * as aliases from '../../registry/domain/aliases';
import type { RegistryDeps } from '../../registry/domain/ports';
import * as versions from '../../registry/domain/versions';
import { ConflictError } from '../../shared/errors';
import type { RegistryPort } from '../domain/ports';

export { CHAMPION_ALIAS };

export class RegistryDomainPort implements RegistryPort {
  constructor(private readonly deps: RegistryDeps) {}

  async getVersion(modelName: string, version: number) {
    const found = await this.deps.store.getVersion(modelName, version);
    return found ? { status: found.status, stage: found.stage, artifactKey: found.artifact.key } : undefined;
  }

  async aliasVersion(modelName: string, alias: string): Promise<number | undefined> {
    return (await this.deps.store.getAlias(modelName, alias))?.version;
  }

  async promote(modelName: string, version: number, actor: { principal: string; requestId: string }) {
    const current = await this.deps.store.getVersion(modelName, version);
    // A retried task finds the stage already moved: that is success, not a conflict.
    if (current?.stage !== 'Production') {
      try {
        await versions.transitionStage(this.deps, actor, modelName, version, {
          stage: 'Production',
          archiveExistingVersions: true,
        });
      } catch (err) {
        if (!(err instanceof ConflictError && err.code === 'STAGE_UNCHANGED')) throw err;
      }
    }
    if ((await this.aliasVersion(modelName, CHAMPION_ALIAS)) !== version) {
      await aliases.setAlias(this.deps, actor, modelName, CHAMPION_ALIAS, version);
    }
  }
}
