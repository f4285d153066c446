/**
 * Lets a handler's `await import('./module')` of a TypeScript source run in a local function's
 * worker as it runs in the bundle. The bundle splits such an import into a chunk loaded on demand;
 * here the worker runs the sources under tsx's CommonJS loader, which compiles `require` of a
 * `.ts` file but leaves `import()` to Node's ES module resolver, and that finds no file without an
 * extension. This hook resolves a relative specifier Node cannot the way `require` does (tsx's
 * extensions included) and loads the module through `require`, so an imported source and a required
 * one are the same module instance, with the same SDK clients. It runs in the worker's own thread:
 * tsx's ES module loader would start a hooks thread per function.
 * @see https://nodejs.org/docs/latest-v22.x/api/module.html#registerhooksoptions
 */
import { createRequire, registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (err) {
      if (!specifier.startsWith('.') || !context.parentURL?.startsWith('file:')) throw err;
      const file = createRequire(context.parentURL).resolve(specifier);
      return { url: pathToFileURL(file).href, format: 'commonjs', shortCircuit: true };
    }
  },
});
