import type { SyncContext } from './context.js';
import { hasCode } from './errors.js';
import { managedIdsFor, readAccess, removeFrom, type Access } from './memberships.js';
import { describeDoors, opensOtherDoors } from './ownership.js';
import type { Link } from './ports.js';

export interface DeprovisionRequest {
  instanceId: string;
  connectUserId: string;
  /** Reconcile's requests: the Connect user was gone when the plan was made; check it still is before acting. */
  verifyGone?: boolean;
}

/**
 * - deprovisioned: out of every managed group (and, in user assignment mode, unassigned); the identity is kept;
 * - deleted: also the Identity Center user deleted (DEPROVISION=delete, and the ownership rules allowed it);
 * - ignored: nothing to do (`not-linked`: the service never synced this Connect user, or already deprovisioned it).
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
 * DeleteUser: the Connect user is gone. With a link, the identity leaves every group the service manages for it, then
 * DEPROVISION applies (membership: keep the identity; delete: delete it when the service created it and it opens no
 * other door; none: change nothing in Identity Center), then the link is deleted. Without a link: ignored. A second
 * delivery finds no link: a no-op. A protected identity is never deprovisioned (PROTECTED_IDENTITY).
 */
export function createDeprovisionUser(ctx: SyncContext): DeprovisionUser {
  const { links, settings } = ctx;

  async function accessOf(link: Link): Promise<Access | undefined> {
    try {
      return await readAccess(ctx, link.identityUserId, link.groupIds);
    } catch (error) {
      // The identity is already gone: so are its memberships; only the link is left to delete.
      if (hasCode(error, 'IDENTITY_NOT_FOUND')) return undefined;
      throw error;
    }
  }

  /** DEPROVISION=delete: why the identity must be kept, or undefined when it may be deleted. */
  async function keepReason(link: Link, managed: ReadonlySet<string>): Promise<string | undefined> {
    if (!link.created) return 'not-created-by-this-service';
    const doors = await ctx.ownership.otherDoors(link.identityUserId, managed);
    return opensOtherDoors(doors) ? `opens-other-doors: ${describeDoors(doors)}` : undefined;
  }

  return async function deprovisionUser(request) {
    if (request.verifyGone && (await ctx.connect.describeUser(request.instanceId, request.connectUserId))) {
      return { outcome: 'ignored', reason: 'connect-user-exists', connectUserId: request.connectUserId };
    }
    const link = await links.get(request.instanceId, request.connectUserId);
    const ids = { connectUserId: request.connectUserId, identityUserId: link?.identityUserId };
    if (!link) return { outcome: 'ignored', reason: 'not-linked', ...ids };
    if (settings.deprovision === 'none') {
      await links.delete(link);
      return { outcome: 'deprovisioned', reason: 'DEPROVISION=none', removed: 0, ...ids };
    }
    const access = await accessOf(link);
    if (access === undefined) {
      await links.delete(link);
      return { outcome: 'deprovisioned', reason: 'identity-already-gone', removed: 0, ...ids };
    }
    ctx.ownership.assertNotProtected(access.memberOf, access.protectedIds);
    // Every managed group it is in, and those the link recorded (a group dropped from the mapping since).
    const managed = await managedIdsFor(ctx, link, access.managed);
    const leaving = [...access.memberOf].filter((id) => managed.has(id));
    await removeFrom(ctx, link.identityUserId, leaving);
    if (settings.assignmentMode === 'user') await ctx.assignments.unassign(link.identityUserId, 'USER');

    let outcome: DeprovisionOutcome = { outcome: 'deprovisioned', removed: leaving.length, ...ids };
    if (settings.deprovision === 'delete') {
      const kept = await keepReason(link, managed);
      if (kept === undefined) {
        await ctx.identityStore.deleteUser(link.identityUserId);
        outcome = { ...outcome, outcome: 'deleted' };
      } else {
        outcome = { ...outcome, kept };
      }
    }
    await links.delete(link);
    return outcome;
  };
}
