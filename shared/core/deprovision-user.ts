import type { CoreDeps } from './context.js';
import { recovering, RetryableError } from './errors.js';
import { rememberingFailure } from './known-failures.js';
import { managedIdsFor, readAccess, removeFrom } from './memberships.js';
import { describeDoors, opensOtherDoors } from './ownership.js';
import type { Link, UserRecord } from './ports/index.js';

/** What a deprovision uses: Connect to confirm, the link table, the groups and assignments it takes back. */
export type DeprovisionDeps = Pick<CoreDeps, 'connect' | 'identityStore' | 'assignments' | 'links' | 'groups' | 'ownership' | 'settings' | 'timestamp'>;

export interface DeprovisionRequest {
  instanceId: string;
  connectUserId: string;
  /**
   * Who asks. Either way Connect is asked first whether the user is gone; a user that still exists is never touched:
   * - event: a DeleteUser event (or a message claiming to be one): retried (Connect may lag just after a deletion),
   *   then dead-lettered as DELETE_NOT_CONFIRMED on its last receive;
   * - reconcile: planned from a snapshot that may be older than the user's return: ignored, `connect-user-exists`.
   */
  source: 'event' | 'reconcile';
  /**
   * In process only (reconcile --apply), never from a message: the membership ids this run's group listings saw for the
   * link's identity. Connect is still asked first and the memberships still read afresh; a listed id only spares the
   * lookup of a membership, and a stale one falls back to it (memberships.ts removeFrom).
   */
  listedMemberships?: ListedMemberships;
}

/** The MembershipIds a reconcile's group listings saw for one identity: group id -> membership id. */
export interface ListedMemberships {
  identityUserId: string;
  membershipIds: ReadonlyMap<string, string>;
}

/**
 * - deprovisioned: out of every managed group (and, in user assignment mode, unassigned); the identity is kept;
 * - deleted: also the Identity Center user deleted (DEPROVISION=delete, and the ownership rules allowed it);
 * - ignored: nothing to do (`not-linked`: the service never wrote anything for this Connect user (no link, no claim),
 *   or already deprovisioned it; `connect-user-exists`: see DeprovisionRequest).
 */
export interface DeprovisionOutcome {
  outcome: 'deprovisioned' | 'deleted' | 'ignored';
  connectUserId: string;
  identityUserId?: string;
  reason?: string;
  /** Managed groups the identity was removed from. */
  removed?: number;
  /** DEPROVISION=delete, but the identity was kept: why (no personal data). */
  kept?: string;
}

export type DeprovisionUser = (request: DeprovisionRequest) => Promise<DeprovisionOutcome>;

/**
 * DeleteUser: an event is a hint, Connect is the truth. The deletion is confirmed with DescribeUser first (one
 * Connect call), then recorded and acted on (deprovisionConfirmed). A second delivery finds nothing: a no-op. A
 * protected identity is never deprovisioned (PROTECTED_IDENTITY, remembered: dead-lettered once, not once a run).
 */
export function createDeprovisionUser(ctx: DeprovisionDeps): DeprovisionUser {
  return async function deprovisionUser(request) {
    const { instanceId, connectUserId } = request;
    if (await ctx.connect.describeUser(instanceId, connectUserId)) {
      if (request.source === 'reconcile') return { outcome: 'ignored', reason: 'connect-user-exists', connectUserId };
      throw new RetryableError(
        'DELETE_NOT_CONFIRMED',
        'Connect still has this user, so nothing was removed: the DeleteUser event was refused or failed, or the message ' +
          'was not sent by the rule; if the user was really deleted, replay this message once Connect no longer has it',
      );
    }
    return deprovisionConfirmed(ctx, connectUserId, request.listedMemberships);
  };
}

/**
 * A Connect user whose deletion Connect confirmed (the caller asked it): records the deletion (a tombstone: no sync can
 * claim or link this Connect user again, not even one that started before the deletion), then takes back what the
 * service wrote for it, by DEPROVISION: its link's identity, and every identity it still holds a claim on (a sync that
 * died before its link: the claim records the groups it was adding). A permanent failure (PROTECTED_IDENTITY) is
 * remembered as the deprovision's, so that the same failure is dead-lettered once.
 */
export async function deprovisionConfirmed(ctx: DeprovisionDeps, connectUserId: string, listed?: ListedMemberships): Promise<DeprovisionOutcome> {
  const record = await ctx.links.tombstone(ctx.settings.instanceId, connectUserId, ctx.timestamp());
  return rememberingFailure(ctx, { id: connectUserId }, () => takeBack(ctx, record, listed), 'deprovision');
}

/** Deprovisions the link's identity and each identity still claimed for the Connect user; forgets claims not held. */
async function takeBack(ctx: DeprovisionDeps, record: UserRecord, listed?: ListedMemberships): Promise<DeprovisionOutcome> {
  const { connectUserId } = record;
  const { instanceId } = ctx.settings;
  const outcomes: DeprovisionOutcome[] = [];
  if (record.link) outcomes.push(await deprovisionIdentity(ctx, record.link, listed));
  for (const identityUserId of record.claims ?? []) {
    if (identityUserId === record.link?.identityUserId) continue;
    const claim = await ctx.links.claimOf(instanceId, identityUserId);
    const created = claim?.created === true;
    const held: Link = { instanceId, connectUserId, identityUserId, created, groupIds: claim?.groupIds ?? [], createdAt: '', updatedAt: '' };
    // Released since, or held by another Connect user: nothing of it is this user's to take back.
    if (claim?.holder !== connectUserId) {
      await ctx.links.delete(held);
      continue;
    }
    const taken = await deprovisionIdentity(ctx, held);
    outcomes.push(taken);
    // A deleted identity has no new holder to give anything back to.
    if (taken.outcome !== 'deleted') await restoreNewHolder(ctx, identityUserId, connectUserId);
  }
  const [first, ...more] = outcomes;
  if (!first) return { outcome: 'ignored', reason: 'not-linked', connectUserId };
  return more.reduce(
    (a, b) => ({ ...a, outcome: a.outcome === 'deleted' || b.outcome === 'deleted' ? 'deleted' : a.outcome, removed: (a.removed ?? 0) + (b.removed ?? 0) }),
    first,
  );
}

/**
 * A concurrent hand-over (take-back.ts) may release the claim between the read above and the removal, and a re-created
 * Connect user with the same sign-in name claim the identity and add its groups before this removal lands: the groups
 * its claim names are given back, which is what its own sync is doing (a claim is written before its memberships).
 */
async function restoreNewHolder(ctx: DeprovisionDeps, identityUserId: string, goneHolder: string): Promise<void> {
  const claim = await ctx.links.claimOf(ctx.settings.instanceId, identityUserId);
  if (!claim?.holder || claim.holder === goneHolder) return;
  for (const groupId of claim.groupIds) await ctx.identityStore.addMember(groupId, identityUserId);
}

/**
 * Takes a linked (or claimed) identity's access away, by DEPROVISION (membership: out of every managed group it is in, and of the
 * groups the link recorded, the identity kept; delete: also deletes it when the service created it and it opens no
 * other door; none: nothing changes in Identity Center), then deletes the link. Its Connect user is known to be gone:
 * the caller confirmed it. Also what undoes a sync that lost the race against its user's deletion. `listed`: see
 * DeprovisionRequest.listedMemberships.
 */
export async function deprovisionIdentity(ctx: DeprovisionDeps, link: Link, listed?: ListedMemberships): Promise<DeprovisionOutcome> {
  const { links, settings } = ctx;
  const ids = { connectUserId: link.connectUserId, identityUserId: link.identityUserId };
  if (settings.deprovision === 'none') {
    await links.delete(link);
    return { outcome: 'deprovisioned', reason: 'DEPROVISION=none', removed: 0, ...ids };
  }
  // The identity is already gone: so are its memberships; only the link is left to delete.
  const access = await recovering(() => readAccess(ctx, link.identityUserId, link.groupIds), 'IDENTITY_NOT_FOUND', () => undefined);
  if (access === undefined) {
    await links.delete(link, { identityDeleted: true });
    return { outcome: 'deprovisioned', reason: 'identity-already-gone', removed: 0, ...ids };
  }
  ctx.ownership.assertNotProtected(access.memberOf, access.protectedIds);
  // Every managed group it is in, and those the link recorded (a group dropped from the mapping since).
  const managed = await managedIdsFor(ctx, link, access.managed);
  const leaving = [...access.memberOf].filter((id) => managed.has(id));
  // Listed ids of another identity (the link changed since the listing) are not this one's: each membership is looked up.
  const listedIds = listed?.identityUserId === link.identityUserId ? listed.membershipIds : undefined;
  await removeFrom(ctx, link.identityUserId, leaving, listedIds);
  if (settings.assignmentMode === 'user') await ctx.assignments.unassign(link.identityUserId, 'USER');
  const deleting = settings.deprovision === 'delete';
  const kept = deleting ? await keepReason(ctx, link, managed) : undefined;
  const deleted = deleting && kept === undefined;
  if (deleted) await ctx.identityStore.deleteUser(link.identityUserId);
  await links.delete(link, { identityDeleted: deleted });
  return { outcome: deleted ? 'deleted' : 'deprovisioned', removed: leaving.length, ...ids, ...(kept && { kept }) };
}

/** DEPROVISION=delete: why the identity must be kept, or undefined when it may be deleted. */
async function keepReason(ctx: DeprovisionDeps, link: Link, managed: ReadonlySet<string>): Promise<string | undefined> {
  if (!link.created) return 'not-created-by-this-service';
  const doors = await ctx.ownership.otherDoors(link.identityUserId, managed);
  return opensOtherDoors(doors) ? `opens-other-doors: ${describeDoors(doors)}` : undefined;
}
