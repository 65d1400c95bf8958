import type { SyncContext } from './context.js';
import { PermanentError } from './errors.js';
import type { ConnectUser } from './ports.js';

/**
 * Runs a use case for a Connect user read from Connect, and remembers a permanent failure in the link table (its code,
 * and the Connect user's LastModifiedTime), whichever path ran it: the event path, a reconcile request or an
 * operator's --apply. The scheduled reconcile queues a remembered failure again only once the Connect user changed,
 * so the same unchanged failure never reaches the dead-letter queue twice. A success forgets it (LinkStore.put).
 * The failure is rethrown as it was, also when it could not be remembered (it is then at worst tried once more).
 */
export async function rememberingFailure<T>(ctx: SyncContext, user: ConnectUser, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PermanentError) {
      const failure = { code: error.code, since: ctx.timestamp(), ...(user.lastModifiedTime && { connectModifiedAt: user.lastModifiedTime }) };
      await ctx.links.recordFailure(ctx.settings.instanceId, user.id, failure).catch(() => undefined);
    }
    throw error;
  }
}
