import {
  noncentralTCdf,
  normalQuantile,
  normalSf,
  studentTQuantile,
  studentTSf,
} from '../../../lambdas/experiments/domain/distributions';
import { expectPValue, expectStatistic, loadFixture } from './fixtures';

interface Fixture {
  tSf: { df: number; t: number; sf: number | string }[];
  tQuantile: { df: number; p: number; quantile: number | string }[];
  normalSf: { x: number; sf: number | string }[];
  normalQuantile: { p: number; quantile: number | string }[];
}
const fixture = loadFixture<Fixture>('statistics.json');

describe('distribution functions equal the references', () => {
  it.each(fixture.normalSf.map((c) => [c.x, c] as const))('normal sf(%s) = scipy.stats.norm.sf', (_x, c) => {
    expectPValue(normalSf(c.x), c.sf);
  });

  it.each(fixture.normalQuantile.map((c) => [c.p, c] as const))(
    'normal quantile(%s) = scipy.stats.norm.ppf',
    (_p, c) => {
      expectStatistic(normalQuantile(c.p), c.quantile);
    },
  );

  it.each(fixture.tSf.map((c) => [`df ${c.df}, t ${c.t}`, c] as const))(
    't sf %s = scipy.stats.t.sf',
    (_n, c) => {
      expectPValue(studentTSf(c.t, c.df), c.sf);
    },
  );

  it.each(fixture.tQuantile.map((c) => [`df ${c.df}, p ${c.p}`, c] as const))(
    't quantile %s = the 40-digit root of the t tail',
    (_n, c) => {
      expectStatistic(studentTQuantile(c.p, c.df), c.quantile);
    },
  );

  it('noncentral t with delta 0 is the central t', () => {
    expectPValue(noncentralTCdf(1.7, 12, 0), 1 - studentTSf(1.7, 12));
    expectPValue(noncentralTCdf(-1.7, 12, 0), studentTSf(1.7, 12));
  });
});
