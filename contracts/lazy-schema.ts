/**
 * A schema built on first use. Zod builds a schema when its expression runs, and a contract module
 * runs every expression of its own at import: a handler's cold start paid for every schema of the
 * contracts it imports (about a thousand for the LLM handler, a third of its start), although a
 * request parses with a few. `lazySchema(() => z.object(...))` stands for the schema at once and
 * builds it the first time anything reads it (a parse, a `.shape`, a schema built around it), so a
 * cold start builds what its first request parses and the rest never.
 *
 * The stand-in is a `Proxy` over the built schema: reads, writes, `in`, `instanceof` (zod's checks
 * read `_zod.traits`), keys and descriptors all reach the schema, and `z.infer` sees its type. One
 * stand-in per schema, so identity holds wherever the stand-in is passed: route tables, shapes,
 * parents of refinements. Two places key by identity past the stand-in, and are bridged:
 * - metadata the built schema carries (`.describe()`) is registered for the stand-in too;
 * - `z.toJSONSchema` records each schema it walks under the object it was handed (the stand-in),
 *   then the schema's own JSON Schema processor looks itself up under the built schema: for that
 *   call the record is found under both.
 * @see https://zod.dev/api
 */
import * as z from 'zod';

type Internals = z.ZodType['_zod'];
/** What zod's JSON Schema processors are given: the walk's context, whose `seen` keys by schema. */
type Walk = { readonly seen: Map<unknown, unknown> };
type Processor = (ctx: Walk, json: unknown, params: unknown) => void;

export function lazySchema<T extends z.ZodType>(build: () => T): T {
  let built: T | undefined;
  let internals: Internals | undefined;
  const schema = (): T => {
    if (built === undefined) {
      built = build();
      const meta = z.globalRegistry.get(built);
      if (meta !== undefined) z.globalRegistry.add(stand, meta);
    }
    return built;
  };
  /** The built schema's `_zod`, with its JSON Schema processor finding the stand-in's record. */
  const bridged = (): Internals => {
    if (internals) return internals;
    const real = schema();
    internals = new Proxy(real._zod, {
      get: (target, key) => {
        const value = Reflect.get(target, key, target);
        if (key !== 'processJSONSchema' || typeof value !== 'function') return value;
        return (ctx: Walk, json: unknown, params: unknown) => {
          const alias = !ctx.seen.has(real) && ctx.seen.has(stand);
          if (alias) ctx.seen.set(real, ctx.seen.get(stand));
          try {
            return (value as Processor)(ctx, json, params);
          } finally {
            if (alias) ctx.seen.delete(real);
          }
        };
      },
    });
    return internals;
  };
  // The proxy's own target stays empty: every trap answers from the built schema.
  const stand: T = new Proxy({} as T, {
    get: (_, key) => (key === '_zod' ? bridged() : Reflect.get(schema(), key, schema())),
    set: (_, key, value) => Reflect.set(schema(), key, value, schema()),
    has: (_, key) => Reflect.has(schema(), key),
    deleteProperty: (_, key) => Reflect.deleteProperty(schema(), key),
    ownKeys: () => Reflect.ownKeys(schema()),
    // Reported configurable: a proxy may not claim a non-configurable property its target lacks.
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(schema(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(schema(), key, descriptor),
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
  });
  return stand;
}
