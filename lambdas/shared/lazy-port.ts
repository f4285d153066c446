/**
 * A port whose adapter module is imported on the first call of one of its methods. The bundle
 * splits a module reached only through `import()` into a chunk of its own, so the adapter and the
 * SDK client it sends with (S3, SSM, a control plane) cost a cold start nothing until a request
 * needs them; local mode imports the same module the same way. Methods must return promises, as a
 * port's I/O does; plain fields (a bucket name) are given up front.
 *
 * ```ts
 * artifacts: lazyPort(async () => {
 *   const { S3ArtifactStore } = await import('./adapters/s3-artifact-store');
 *   return new S3ArtifactStore({ client: (await import('../shared/s3-client')).s3Client(), bucket });
 * }, { bucket }),
 * ```
 */

/** The keys of `T` whose values are methods returning promises. */
export type AsyncMethodKeys<T> = {
  // biome-ignore lint/suspicious/noExplicitAny: any method signature, whatever its parameters
  [K in keyof T]-?: T[K] extends (...args: any[]) => Promise<unknown> ? K : never;
}[keyof T];

/**
 * @param load imports the adapter's module and builds the adapter; called once (again after a
 * failure, as an init that failed is retried by the next request)
 * @param fields the port's members that are not async methods
 */
export function lazyPort<T extends object>(load: () => Promise<T>, fields: Omit<T, AsyncMethodKeys<T>>): T {
  let loading: Promise<T> | undefined;
  const port = () => {
    loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
  const own = fields as Record<PropertyKey, unknown>;
  return new Proxy(own, {
    get(target, key) {
      if (key in target) return target[key];
      // Not a promise itself: `await lazyPort(...)` must not call `then`.
      if (key === 'then' || typeof key === 'symbol') return undefined;
      return async (...args: unknown[]) => {
        const adapter = (await port()) as Record<string, (...a: unknown[]) => Promise<unknown>>;
        return adapter[key](...args);
      };
    },
  }) as T;
}
