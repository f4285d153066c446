/**
 * Feature view definitions for the lookup hot path, cached per container for a few seconds: a
 * lookup then costs one BatchGetItem round per view, not a GetItem first. A view's change (or
 * deletion) reaches lookups within `ttlMs`; pushes and training sets always read it fresh.
 */
import type { FeatureView } from '../../../contracts/features';
import type { FeatureViewStore } from '../domain/ports';

export class CachedViewReader {
  private readonly cache = new Map<string, { view: FeatureView | undefined; expiresAt: number }>();

  /** @param ttlMs how long a definition (or its absence) is reused, default 10 s */
  constructor(
    private readonly store: Pick<FeatureViewStore, 'get'>,
    private readonly ttlMs = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(name: string): Promise<FeatureView | undefined> {
    const hit = this.cache.get(name);
    const now = this.clock();
    if (hit && hit.expiresAt > now) return hit.view;
    const view = await this.store.get(name);
    this.cache.set(name, { view, expiresAt: now + this.ttlMs });
    return view;
  }
}
