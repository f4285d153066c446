/**
 * Numbers the platform stores in DynamoDB. DynamoDB keeps 38 significant digits in magnitudes
 * from 1E-130 to 9.99...E+125 (or 0); a JSON number is a double, which already lost every digit
 * past 2^53 when the request was parsed, and the SDK's marshaller refuses integers above
 * `Number.MAX_SAFE_INTEGER` rather than store them rounded. So a number is accepted when it is 0
 * or its magnitude is between 1e-130 and 2^53 - 1: everything in that range is stored and read
 * back exactly, everything outside it would be a 500 (or a silently different number).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number
 */
import * as z from 'zod';

/** Smallest non-zero magnitude DynamoDB stores. */
export const DYNAMODB_MIN_MAGNITUDE = 1e-130;
/** Largest magnitude a JSON number carries exactly (2^53 - 1). */
export const DYNAMODB_MAX_MAGNITUDE = Number.MAX_SAFE_INTEGER;

/** The accepted range, as the 400 states it. */
export const STORABLE_NUMBER_RANGE = `0, or a magnitude from ${DYNAMODB_MIN_MAGNITUDE} to ${DYNAMODB_MAX_MAGNITUDE} (2^53 - 1)`;

/** Whether `n` is a number DynamoDB stores and returns exactly as given. */
export function isStorableNumber(n: unknown): n is number {
  if (typeof n !== 'number' || !Number.isFinite(n)) return false;
  const magnitude = Math.abs(n);
  return magnitude === 0 || (magnitude >= DYNAMODB_MIN_MAGNITUDE && magnitude <= DYNAMODB_MAX_MAGNITUDE);
}

/**
 * A number schema for any value that reaches DynamoDB: finite and in the stored range. Further
 * bounds chain as usual, e.g. `storableNumber().min(0).max(1)`.
 */
export const storableNumber = () =>
  z.number().refine(isStorableNumber, { message: `must be ${STORABLE_NUMBER_RANGE}` });
