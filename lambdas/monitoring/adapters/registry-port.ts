/**
 * `RegistryPort` over the registry's own store and domain: versions are read from the registry
 * table, and tags are added with the registry's `updateVersion`, so linking a profile is audited
 * and published (ModelVersionUpdated) like any other version change.
 */
import type { ModelVersion } from '../../../contracts/registry';
import type { RegistryDeps } from '../../registry/domain/ports';
import { updateVersion } from '../../registry/domain/versions';
import type { RegistryPort } from '../domain/ports';

export class RegistryDomainPort implements RegistryPort {
  constructor(private readonly deps: RegistryDeps) {}

  getVersion(modelName: string, version: number): Promise<ModelVersion | undefined> {
    return this.deps.store.getVersion(modelName, version);
  }

  async aliasVersion(modelName: string, alias: string): Promise<number | undefined> {
    return (await this.deps.store.getAlias(modelName, alias))?.version;
  }

  async tagVersion(
    modelName: string,
    version: number,
    tags: Record<string, string>,
    principal: string,
  ): Promise<void> {
    const current = await this.deps.store.getVersion(modelName, version);
    await updateVersion(this.deps, { principal }, modelName, version, {
      tags: { ...current?.tags, ...tags },
    });
  }
}
