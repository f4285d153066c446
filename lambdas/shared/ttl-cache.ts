/**
 * Values read once per key and reused for `ttlMs` within a container: a hot path (a prediction,
 * a chat call) reads a slowly changing record (a rollout's split, a model's feature list) at most
 * once per period instead of once per request. A value's absence (`undefined`) is kept as well.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { readonly at: number; readonly value: V }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value kept for `key` if younger than the TTL, else what `load` gives (then kept). */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = await load();
    this.entries.set(key, { at: this.now(), value });
    return value;
  }

  /** Forgets `key`, so its next read loads (after this container wrote it). */
  delete(key: string): void {
    this.entries.delete(key);
  }
}
