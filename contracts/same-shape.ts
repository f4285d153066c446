/**
 * A compile-time check that a reply schema and the domain type a handler returns are the same
 * shape: `sameShape<Same<z.output<typeof Schema>, DomainType>>(true)` fails `tsc` when either
 * side gains, loses or retypes a field, so the API document cannot drift from what is sent.
 */

/** `A` and `B` are assignable to each other (readonly aside). */
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/** Every field of two objects is the same shape, their optional values aside from `undefined`. */
type SameFields<A, B> = false extends {
  [K in keyof A & keyof B]-?: Same<Exclude<A[K], undefined>, Exclude<B[K], undefined>>;
}[keyof A & keyof B]
  ? false
  : true;

/**
 * Mutual assignability alone lets one side gain or lose an optional field; so, down through
 * arrays and objects, the field names must match too. Unions of objects (discriminated replies)
 * are compared by assignability only: check their members on their own where it matters.
 */
type SameStructure<A, B> = [A] extends [readonly unknown[]]
  ? [B] extends [readonly unknown[]]
    ? Same<A[number], B[number]>
    : false
  : [A] extends [object]
    ? true extends IsUnion<A> | IsUnion<B>
      ? true
      : Mutual<keyof A, keyof B> extends true
        ? SameFields<A, B>
        : false
    : true;

/** `true` when `A` and `B` are the same shape (readonly aside), else `false`. */
export type Same<A, B> = Mutual<A, B> extends true ? SameStructure<A, B> : false;

/** Accepts only `true`: the call site of a `Same` check that does not hold fails to compile. */
export const sameShape = <T extends true>(_: T): undefined => undefined;
