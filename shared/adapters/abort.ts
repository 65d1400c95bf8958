import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The abort signal of the work in progress, carried through every await of it (AsyncLocalStorage), so the SDK's
 * HTTP handler (clients.ts) and the Connect pacer can stop the AWS calls of an invocation that has answered already.
 */
const storage = new AsyncLocalStorage<AbortSignal | undefined>();

/** Runs `work` with `signal` as the current abort signal (undefined: nothing aborts it, e.g. a dead-letter send). */
export function withAbortSignal<T>(signal: AbortSignal | undefined, work: () => T): T {
  return storage.run(signal, work);
}

export const currentAbortSignal = (): AbortSignal | undefined => storage.getStore();

/** Throws the signal's reason (an AbortError) when the current work was aborted. */
export function throwIfAborted(): void {
  const signal = currentAbortSignal();
  if (signal?.aborted) {
    const error = new Error('the invocation answered before this work finished', { cause: signal.reason });
    error.name = 'AbortError';
    throw error;
  }
}
