import { isStorableNumber, STORABLE_NUMBER_RANGE, storableNumber } from '../../../contracts/dynamodb-number';

describe('a number DynamoDB stores exactly', () => {
  it.each([0, -0, 1, -1, 0.1, 1e-130, -1e-130, 9007199254740991, -9007199254740991, 123.456])(
    'accepts %p',
    (n) => {
      expect(isStorableNumber(n)).toBe(true);
      expect(storableNumber().safeParse(n).success).toBe(true);
    },
  );

  it.each([1e20, 9007199254740992, 1.5e-200, 1e-131, Number.NaN, Number.POSITIVE_INFINITY, '1'])(
    'refuses %p, stating the range',
    (n) => {
      const parsed = storableNumber().safeParse(n);
      expect(isStorableNumber(n)).toBe(false);
      expect(parsed.success).toBe(false);
      if (typeof n === 'number' && Number.isFinite(n)) {
        expect(parsed.error?.issues[0].message).toBe(`must be ${STORABLE_NUMBER_RANGE}`);
      }
    },
  );

  it('chains further bounds', () => {
    const share = storableNumber().min(0).max(1);
    expect(share.safeParse(0.5).success).toBe(true);
    expect(share.safeParse(2).success).toBe(false);
    expect(share.safeParse(1e-200).success).toBe(false);
  });
});
