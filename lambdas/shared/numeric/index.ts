/**
 * Numerics exact to numpy and scipy, shared by the capabilities that compute statistics
 * (monitoring's drift and quality, experiments' tests), so neither imports the other for them.
 */
export { chi2Sf, gammaincc, logGamma, upperGammaFraction } from './incomplete-gamma';
export {
  gcd,
  isSorted,
  numpyStd,
  numpySum,
  roundHalfEven,
  searchSortedRight,
  sortedCopy,
} from './numpy';
