import { throwIfAborted } from './abort.js';

/**
 * Spaces calls evenly at `perSecond` within this process. Connect allows 2 requests/s per account and API; the
 * sync queue's maximumConcurrency bounds the number of containers, so each paces itself to its share instead of
 * spending attempts on throttling errors. The SDK's retries still absorb anyone else's traffic. Work aborted while
 * it waited for its turn (an invocation that answered already) stops instead of calling.
 */
export function createPacer(perSecond: number, now: () => number = Date.now): () => Promise<void> {
  const interval = 1000 / perSecond;
  let next = 0;
  return async () => {
    const at = Math.max(now(), next);
    next = at + interval;
    const wait = at - now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    throwIfAborted();
  };
}
