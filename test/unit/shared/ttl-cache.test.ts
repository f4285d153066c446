import { TtlCache } from '../../../lambdas/shared/ttl-cache';

describe('TtlCache', () => {
  it('loads a key once per period, keeps an absent value too, and reloads after delete', async () => {
    // Prepare
    let now = 0;
    const cache = new TtlCache<string | undefined>(1_000, () => now);
    let loads = 0;
    const load = async () => {
      loads++;
      return loads === 1 ? undefined : `v${loads}`;
    };
    // Act & Assess
    await expect(cache.get('k', load)).resolves.toBeUndefined();
    now = 999;
    await expect(cache.get('k', load)).resolves.toBeUndefined();
    expect(loads).toBe(1);
    now = 1_000;
    await expect(cache.get('k', load)).resolves.toBe('v2');
    cache.delete('k');
    await expect(cache.get('k', load)).resolves.toBe('v3');
    expect(loads).toBe(3);
  });
});
