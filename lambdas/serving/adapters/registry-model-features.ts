/**
 * A model's registered feature list, its `mlops:features` tag, read through the registry's
 * service. Cached per container for `ttlMs`, so the predict hot path does not pay a registry read
 * per request; a changed tag takes effect within that time.
 */
import { MODEL_FEATURES_TAG } from '../../../contracts/serving';
import { TtlCache } from '../../shared/ttl-cache';
import type { ModelFeatureList } from '../domain/ports';

/** The registry read this needs (the registry's `RegistryReader` provides it). */
export interface ModelTagsSource {
  getModel(modelName: string): Promise<{ readonly tags?: Readonly<Record<string, string>> } | undefined>;
}

export class RegistryModelFeatures implements ModelFeatureList {
  private readonly cache: TtlCache<string[] | undefined>;

  constructor(
    private readonly registry: ModelTagsSource,
    ttlMs = 30_000,
    now: () => number = Date.now,
  ) {
    this.cache = new TtlCache(ttlMs, now);
  }

  featureRefs(modelName: string): Promise<string[] | undefined> {
    return this.cache.get(modelName, () => this.read(modelName));
  }

  private async read(modelName: string): Promise<string[] | undefined> {
    const tag = (await this.registry.getModel(modelName))?.tags?.[MODEL_FEATURES_TAG];
    const refs = tag
      ?.split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    return refs && refs.length > 0 ? refs : undefined;
  }
}
