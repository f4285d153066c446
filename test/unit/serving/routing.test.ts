import { hashToUnitInterval, pickVariant, stickyVariant } from '../../../lambdas/serving/domain/routing';

describe('sticky routing', () => {
  it.each([
    [95, 5],
    [50, 50],
    [90, 10],
  ])('sends keys within 1 point of the weights %i/%i over 100,000 keys', (champion, challenger) => {
    // Prepare
    const variants = [
      { name: 'champion', weight: champion },
      { name: 'challenger', weight: challenger },
    ];

    // Act
    let toChallenger = 0;
    for (let i = 0; i < 100_000; i++)
      if (stickyVariant(variants, `customer-${i}`) === 'challenger') toChallenger++;

    // Assess
    const share = (100 * toChallenger) / 100_000;
    expect(Math.abs(share - (100 * challenger) / (champion + challenger))).toBeLessThan(1);
  });

  it('gives the same key the same variant, whatever order the variants come in', () => {
    // Prepare
    const a = [
      { name: 'champion', weight: 80 },
      { name: 'challenger', weight: 20 },
    ];
    const b = [...a].reverse();

    // Act
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`);

    // Assess
    expect(keys.map((k) => stickyVariant(a, k))).toEqual(keys.map((k) => stickyVariant(b, k)));
    expect(keys.map((k) => stickyVariant(a, k))).toEqual(keys.map((k) => stickyVariant(a, k)));
  });

  it('never picks a variant of weight 0, and nothing when all are 0', () => {
    // Assess
    expect(
      pickVariant(
        [
          { name: 'a', weight: 0 },
          { name: 'b', weight: 3 },
        ],
        0,
      ),
    ).toBe('b');
    expect(pickVariant([{ name: 'a', weight: 0 }], 0.5)).toBeUndefined();
  });

  it('hashes into [0, 1)', () => {
    // Act
    const points = Array.from({ length: 1000 }, (_, i) => hashToUnitInterval(String(i)));

    // Assess
    expect(Math.min(...points)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...points)).toBeLessThan(1);
  });
});
