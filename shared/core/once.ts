type OnceOptions = { ttlMs?: number; now?: () => number };

/**
 * Memoizes an async result for the life of the container (one Lambda cold start), or for `ttlMs` when given. A
 * failure is not remembered, so the next caller tries again; concurrent callers share one attempt. `forget()`
 * drops the remembered result (e.g. a cached id found stale).
 */
export function once<T>(compute: () => Promise<T>, options: OnceOptions = {}): (() => Promise<T>) & { forget(): void } {
  const now = options.now ?? Date.now;
  let pending: Promise<T> | undefined;
  let at = 0;
  const get = () => {
    if (pending && options.ttlMs !== undefined && now() - at >= options.ttlMs) pending = undefined;
    if (!pending) {
      at = now();
      const attempt = compute().catch((error: unknown) => {
        if (pending === attempt) pending = undefined;
        throw error;
      });
      pending = attempt;
    }
    return pending;
  };
  return Object.assign(get, { forget: () => (pending = undefined) });
}

/** `once` per key: a small cache of async results (group ids by name, assignments by group). */
export function onceBy<T>(compute: (key: string) => Promise<T>, options: OnceOptions = {}): { get(key: string): Promise<T>; forget(key: string): void } {
  const cache = new Map<string, ReturnType<typeof once<T>>>();
  return {
    get(key) {
      const entry = cache.get(key) ?? once(() => compute(key), options);
      cache.set(key, entry);
      return entry();
    },
    forget: (key) => cache.get(key)?.forget(),
  };
}
