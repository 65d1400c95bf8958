import { PermanentError, type SyncError } from './errors.js';
import type { CoreDeps } from './context.js';
import type { ConnectUser, FailureStep, KnownFailure } from './ports/index.js';

/** Where a failure is remembered: the link table, with when. */
export type FailureMemory = Pick<CoreDeps, 'links' | 'settings' | 'timestamp'>;

/** The first retry of a remembered failure waits this long; each further one twice as long, up to BACKOFF_CAP_MS. */
export const BACKOFF_FIRST_MS = 60 * 60_000;
export const BACKOFF_CAP_MS = 24 * 60 * 60_000;

/** The codes only the identity update raises: they are the update's failure, and never hold the groups back. */
const UPDATE_CODES: ReadonlySet<string> = new Set(['IDENTITY_UPDATE_BLOCKED', 'EMAIL_IN_USE']);

// What a thrown error carries beyond its code, without widening the taxonomy: the identity it names, and whether it
// repeats a failure already remembered (and so already in the dead-letter queue once).
const named = new WeakMap<SyncError, string>();
const repeats = new WeakSet<SyncError>();

/** Notes the Identity Center user an error is about (e.g. the identity another Connect user holds). */
export function namingIdentity<E extends SyncError>(error: E, identityUserId: string): E {
  named.set(error, identityUserId);
  return error;
}

/**
 * True when the error is a permanent failure the link table already remembered, the same way (same code, same Connect
 * user state): it was dead-lettered when it first happened, so it is not dead-lettered again (a back-off retry, a
 * replay or a duplicate event that fails the same way adds nothing to the queue).
 */
export function repeatsKnownFailure(error: unknown): boolean {
  return error instanceof PermanentError && repeats.has(error);
}

/**
 * When a remembered failure is worth trying again regardless of any change: after a back-off that grows with the
 * attempts (1 h, 2 h, 4 h, ... capped at a day) from its last attempt, so nothing is stuck for good and nothing is
 * re-fired every hour. Unknown times count as due (a failure remembered before attempts were counted).
 */
export function retryDueAt(failure: KnownFailure): number {
  const last = Date.parse(failure.lastAt ?? failure.since);
  if (!Number.isFinite(last)) return 0;
  const attempts = Math.max(1, failure.attempts ?? 1);
  return last + Math.min(BACKOFF_CAP_MS, BACKOFF_FIRST_MS * 2 ** Math.min(attempts - 1, 10));
}

export const retryDue = (failure: KnownFailure, now: number): boolean => now >= retryDueAt(failure);

/**
 * Runs a use case for a Connect user and remembers a permanent failure in the link table (its code, when, the identity it
 * names, the Connect user's LastModifiedTime), for what failed: the sync, with `useCase` update the identity's update,
 * with deprovision the deprovision; whichever path ran it: the event path, a reconcile request or an operator's --apply.
 * The error is marked when it repeats the one remembered (see repeatsKnownFailure); a failure that could not be
 * remembered counts as new (it is then at worst dead-lettered once more). The scheduled reconcile queues a remembered
 * failure again only once the Connect user changed, the Identity Center side it names changed, or its back-off is over.
 * A success forgets the sync's failure (LinkStore.put); an update that succeeds forgets the update's. The failure is
 * rethrown as it was.
 */
export async function rememberingFailure<T>(
  deps: FailureMemory,
  user: Pick<ConnectUser, 'id' | 'lastModifiedTime'>,
  work: () => Promise<T>,
  useCase: FailureStep = 'sync',
): Promise<T> {
  const result = await work().catch(async (error: unknown) => {
    if (error instanceof PermanentError) {
      // An update's failure that is not its own (UPDATE_CODES) is the sync's.
      const step = useCase === 'update' && !UPDATE_CODES.has(error.code) ? 'sync' : useCase;
      const identityUserId = named.get(error);
      const failure: KnownFailure = { code: error.code, since: deps.timestamp(), ...(identityUserId && { identityUserId }) };
      if (user.lastModifiedTime) failure.connectModifiedAt = user.lastModifiedTime;
      const recorded = await deps.links.recordFailure(deps.settings.instanceId, user.id, failure, step).catch(() => 'new' as const);
      if (recorded === 'repeated') repeats.add(error);
    }
    throw error;
  });
  if (useCase === 'update') await deps.links.clearFailure(deps.settings.instanceId, user.id, 'update').catch(() => undefined);
  return result;
}
