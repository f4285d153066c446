/**
 * A lazy schema is built on first use and then answers as the schema itself: parses, errors,
 * `instanceof`, shape and refinements, schemas built around it, and the JSON Schema the OpenAPI
 * document is made of.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { lazySchema } from '../../../contracts/lazy-schema';

const eager = () =>
  z.strictObject({
    name: z.string().min(1).max(8),
    size: z.number().int().min(1).default(1),
    note: z.string().optional().describe('free text'),
  });

describe('lazySchema', () => {
  it('builds nothing until the schema is first read, then builds once', () => {
    // Prepare
    const build = jest.fn(eager);
    // Act
    const schema = lazySchema(build);
    const around = lazySchema(() => z.object({ inner: schema }));
    // Assess
    expect(build).not.toHaveBeenCalled();
    expect(around.parse({ inner: { name: 'a' } })).toEqual({ inner: { name: 'a', size: 1 } });
    expect(schema.parse({ name: 'b', size: 2 })).toEqual({ name: 'b', size: 2 });
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('parses and refuses as the schema built at once does', () => {
    // Prepare
    const schema = lazySchema(eager);
    const inputs = [{ name: 'ok' }, { name: '' }, { name: 'x', size: 0 }, { name: 'x', extra: 1 }, 'nope'];
    // Act
    const lazily = inputs.map((input) => schema.safeParse(input));
    // Assess
    expect(lazily).toEqual(inputs.map((input) => eager().safeParse(input)));
    expect(() => schema.parse({ name: '' })).toThrow(z.ZodError);
  });

  it('is the schema to instanceof, shape, extend, optional and refine', () => {
    // Prepare
    const schema = lazySchema(eager);
    // Act
    const extended = schema.extend({ more: z.boolean() });
    const refined = schema.refine((v) => v.name !== 'no', 'not no');
    // Assess
    expect(schema).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(schema.shape)).toEqual(['name', 'size', 'note']);
    expect(extended.parse({ name: 'a', more: true })).toEqual({ name: 'a', size: 1, more: true });
    expect(schema.optional().parse(undefined)).toBeUndefined();
    expect(refined.safeParse({ name: 'no' }).success).toBe(false);
  });

  it('gives the JSON Schema of the schema, nested or not, its descriptions included', () => {
    // Prepare
    const schema = lazySchema(eager);
    const described = lazySchema(() => z.string().describe('a name'));
    const around = lazySchema(() => z.object({ inner: schema, label: described, list: z.array(schema) }));
    const eagerAround = z.object({
      inner: eager(),
      label: z.string().describe('a name'),
      list: z.array(eager()),
    });
    // Act
    const json = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
    // Assess
    expect(json(schema)).toEqual(json(eager()));
    expect(json(described)).toEqual({ $schema: expect.any(String), type: 'string', description: 'a name' });
    expect(json(around)).toEqual(json(eagerAround));
  });
});

/**
 * Read at synth only (no handler imports them), and computing values from their schemas at import:
 * `ALERT_SEVERITIES`, `DEFAULT_CONSOLE_HOSTING` (and the platform config, which imports it).
 */
const SYNTH_ONLY = ['alerts.ts', 'console-hosting.ts', 'config.ts'];

describe('contract modules', () => {
  it('build no schema when imported: a cold start builds only what its requests parse', () => {
    // Prepare: zod calls its global post-processor on every schema it constructs.
    const dir = join(__dirname, '..', '..', '..', 'contracts');
    const modules = readdirSync(dir).filter((f) => f.endsWith('.ts') && !SYNTH_ONLY.includes(f));
    const config = (globalThis as { __zod_globalConfig?: { postProcessor?: (schema: unknown) => void } })
      .__zod_globalConfig;
    if (!config) throw new Error('zod keeps no global config: the counting hook moved');
    const built: Record<string, number> = {};
    // Act: each module with its imports, in a registry of its own.
    for (const module of modules) {
      config.postProcessor = () => {
        built[module] = (built[module] ?? 0) + 1;
      };
      try {
        jest.isolateModules(() => require(join(dir, module)));
      } finally {
        config.postProcessor = undefined;
      }
    }
    // Assess: a schema declared without lazySchema(() => ...) is built here, counted for its module.
    expect(built).toEqual({});
  });
});
