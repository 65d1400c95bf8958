import { deprovisionConfirmed, type DeprovisionDeps } from './deprovision-user.js';
import { RetryableError } from './errors.js';
import type { SyncOutcome } from './sync-user.js';

/**
 * A sync found its Connect user gone (Connect's DescribeUser: not found, and Connect never reuses an id). When the
 * service wrote anything for it — a link, or a claim of a sync that died before its link (a permanent error at the
 * assignment, a 5xx with the user deleted before the retry, a timeout whose membership write landed anyway) — it takes
 * that back as the deletion would (deprovisionConfirmed). Otherwise nothing is written: `ignored`, connect-user-gone.
 * Cost beyond the Connect read: one link table read.
 */
export async function takeBackGone(ctx: DeprovisionDeps, connectUserId: string): Promise<SyncOutcome> {
  const ignored: SyncOutcome = { outcome: 'ignored', reason: 'connect-user-gone', connectUserId };
  const record = await ctx.links.get(ctx.settings.instanceId, connectUserId);
  if (!record.link && !record.claims?.length) return ignored;
  const taken = await deprovisionConfirmed(ctx, connectUserId);
  return { ...ignored, ...(taken.identityUserId && { identityUserId: taken.identityUserId }), removed: taken.removed ?? 0 };
}

/**
 * The identity a sync wants is claimed by another Connect user of the instance. When Connect confirms that one gone
 * (its DeleteUser late, lost, or running beside this sync), the claim is not a conflict but a hand-over: the holder is
 * deprovisioned as its deletion would be (its claim released), and RetryableError CLAIM_RELEASED tells the sync to
 * start again (create or link afresh). A holder that exists is a real conflict: this resolves, and the caller fails.
 */
export async function handOverFromGone(ctx: DeprovisionDeps, holder: string, identityUserId: string): Promise<void> {
  const { instanceId } = ctx.settings;
  if (await ctx.connect.describeUser(instanceId, holder)) return;
  await deprovisionConfirmed(ctx, holder);
  // The claim itself is released even when the holder's record did not name it (a write lost to a fault): otherwise
  // every retry would meet the same gone holder (the release is conditional on it still holding the claim).
  await ctx.links.delete({ instanceId, connectUserId: holder, identityUserId });
  throw new RetryableError(
    'CLAIM_RELEASED',
    'the Connect user that held this identity was deleted (Connect confirmed it) and its claim was released: sync again',
  );
}
