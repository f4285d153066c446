/**
 * The registry side of an erasure, through the registry's public service only: model names, and
 * tags on every version whose lineage names a training set built from the erased entity's rows
 * (`tagVersion` merges, audits and publishes as any tag change).
 */
import { ERASURE_TAGS } from '../../../contracts/privacy';
import type { RegistryService } from '../../registry';
import type { ModelLineage } from '../domain/ports';

export class RegistryLineage implements ModelLineage {
  constructor(private readonly registry: () => RegistryService) {}

  modelNames(): Promise<string[]> {
    return this.registry().modelNames();
  }

  async flagVersionsTrainedOn(
    trainingSets: ReadonlyArray<{ jobId: string; uris: readonly string[] }>,
    erasureId: string,
    actor: string,
  ): Promise<string[]> {
    if (trainingSets.length === 0) return [];
    const named = (uri: string | undefined) =>
      uri !== undefined &&
      trainingSets.some((t) => t.uris.includes(uri) || uri.includes(`/features/training/${t.jobId}/`));
    const versions = await this.registry().versionsWhere((lineage) => named(lineage.datasetUri));
    for (const v of versions) {
      await this.registry().tagVersion(
        v.modelName,
        v.version,
        { [ERASURE_TAGS.flagged]: 'true', [ERASURE_TAGS.lastErasure]: erasureId },
        { principal: actor },
      );
    }
    return versions.map((v) => `${v.modelName}:${v.version}`);
  }
}
