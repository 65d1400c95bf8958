import { retryDue, retryDueAt } from './known-failures.js';
import type { KnownFailure } from './ports/index.js';
import type { ConnectUserRow, PlanInput } from './reconcile-plan.js';

/**
 * The reconcile plan's gate of remembered failures: a Connect user whose sync (or, deleted, whose deprovision) failed
 * permanently is not queued again until something may have changed — the Connect user, the identity the failure
 * names, its back-off — so a failure is never amplified into one call per run. Pure.
 */

/** A Connect user the gate holds back: listed for the operator, not queued. */
export interface KnownFailureRow extends KnownFailure {
  connectUserId: string;
  /** For the operator's table (empty for a deleted Connect user). Never logged. */
  username: string;
  /** What failed: the sync, or the deprovision of a deleted Connect user. */
  step: 'sync' | 'deprovision';
  /** When the back-off lets a scheduled run try it again (ISO 8601). */
  retryAt: string;
}

/**
 * Whether the Connect user changed after its sync failed: its LastModifiedTime is at least a second later than the one
 * the failure recorded (DescribeUser's and the listing's may differ in precision). Unknown on either side counts as
 * unchanged: a background loop never repeats a failure it cannot tell was fixed (--retry-failed does).
 */
function changedSince(failure: KnownFailure, user: ConnectUserRow): boolean {
  const failedAt = Date.parse(failure.connectModifiedAt ?? '');
  const modified = Date.parse(user.lastModifiedTime ?? '');
  return Number.isFinite(failedAt) && Number.isFinite(modified) && modified - failedAt >= 1000;
}

/** The gate for one plan: `holdsBack` answers the failure's row when it holds the action back, undefined otherwise. */
export function failureGate(input: Pick<PlanInput, 'connectUsers' | 'links' | 'unlinkedClaims' | 'retryFailed' | 'now'>) {
  // Who holds each identity in this snapshot: a failure naming an identity no live link holds any more may now pass.
  const holders = new Set([...input.links.values()].filter((l) => input.connectUsers.has(l.connectUserId)).map((l) => l.identityUserId));
  for (const [holder, claims] of input.unlinkedClaims ?? []) if (input.connectUsers.has(holder)) for (const id of claims) holders.add(id);
  const worthRetrying = (failure: KnownFailure, user?: ConnectUserRow) =>
    input.retryFailed === true ||
    (user !== undefined && changedSince(failure, user)) ||
    (failure.identityUserId !== undefined && !holders.has(failure.identityUserId)) ||
    (input.now !== undefined && retryDue(failure, input.now));
  return {
    holdsBack(failure: KnownFailure | undefined, connectUserId: string, step: KnownFailureRow['step']): KnownFailureRow | undefined {
      if (!failure) return undefined;
      const user = input.connectUsers.get(connectUserId);
      // A sync's failure is weighed against the Connect user as listed; a deleted one has none.
      if (step === 'sync' && !user) return undefined;
      if (worthRetrying(failure, step === 'sync' ? user : undefined)) return undefined;
      return { ...failure, connectUserId, username: step === 'sync' ? (user?.username ?? '') : '', step, retryAt: new Date(retryDueAt(failure)).toISOString() };
    },
  };
}
