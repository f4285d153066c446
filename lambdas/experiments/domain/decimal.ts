/**
 * Exact decimal sums of doubles, for aggregates DynamoDB adds as decimals. Each double is taken at
 * its shortest round-trip decimal (what the SDK would send for it alone), the terms are summed
 * exactly with BigInt, and the sum is written as `<digits>e<exponent>`. DynamoDB then adds these
 * partial sums exactly too (38 significant digits), so the stored total does not depend on how
 * outcomes were batched or in which order racing writers committed.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number
 */

/** DynamoDB keeps this many significant digits. */
const DYNAMODB_DIGITS = 38;

function parse(x: number | string): { m: bigint; e: number } {
  const [mantissa, exp = '0'] = String(x).toLowerCase().split('e');
  const [int, frac = ''] = mantissa.split('.');
  return { m: BigInt(int + frac), e: Number(exp) - frac.length };
}

/**
 * The exact sum of `values` (doubles, or decimal strings as DynamoDB returns them) as a decimal
 * string DynamoDB accepts. Sums needing more than 38 significant digits (terms some 21 orders of
 * magnitude apart) are rounded half-even to 38.
 */
export function exactDecimalSum(values: readonly (number | string)[]): string {
  if (values.length === 0) return '0';
  const terms = values.map(parse);
  const e = Math.min(...terms.map((t) => t.e));
  let m = 0n;
  for (const t of terms) m += t.m * 10n ** BigInt(t.e - e);
  if (m === 0n) return '0';
  let exponent = e;
  const negative = m < 0n;
  let digits = negative ? -m : m;
  const excess = digits.toString().length - DYNAMODB_DIGITS;
  if (excess > 0) {
    const scale = 10n ** BigInt(excess);
    const q = digits / scale;
    const r = digits % scale;
    const half = scale / 2n;
    digits = r > half || (r === half && q % 2n === 1n) ? q + 1n : q;
    exponent += excess;
  }
  // Trailing zeros say nothing; dropping them keeps the string short.
  while (digits % 10n === 0n) {
    digits /= 10n;
    exponent += 1;
  }
  return `${negative ? '-' : ''}${digits}e${exponent}`;
}
