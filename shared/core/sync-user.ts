import type { SyncContext } from './context.js';
import { deprovisionIdentity } from './deprovision-user.js';
import { hasCode, PermanentError } from './errors.js';
import { createOrLinkIdentity, knownIdentity } from './find-identity.js';
import { namingIdentity, rememberingFailure } from './known-failures.js';
import { applyGroups, noMemberships, readAccess, type GroupChanges } from './memberships.js';
import type { AssignmentResult, ConnectUser, Link, UserRecord } from './ports.js';
import { handOverFromGone, takeBackGone } from './take-back.js';

/** Which Connect user to sync: the id when the event has it, else the Username. */
export interface SyncRequest {
  instanceId: string;
  userId?: string;
  username?: string;
  /** ASSIGNMENT_MODE=user: assign even an already-linked user (reconcile found its assignment missing). */
  ensureAssignment?: boolean;
  /**
   * In-process only (reconcile --apply), never from a message: the Connect user as the plan's listing read it and the
   * identity the Identity Store's listing matched exactly by the same rule (sign-in-index.ts). The sync then skips
   * DescribeUser and the identity lookups; every check and write after them is unchanged.
   */
  known?: { user: ConnectUser; identityUserId: string };
  /**
   * In-process only (reconcile --apply), never from a message: a linked user whose sync only adds, as the plan's
   * listings read it (reconcile-linked.ts): the Connect user (SearchUsers), its link (the link table's Query) and the
   * managed groups its identity is in (the group listings; the plan checked it is in no protected group). The sync
   * skips DescribeUser, the link read and IsMemberInGroups; its writes are unchanged (the link's stays conditional).
   */
  knownLinked?: { user: ConnectUser; link: Link; memberOf: readonly string[] };
}

/**
 * - created: a new Identity Center user; linked: an existing one (same email) linked now;
 * - synced: already linked, its managed groups brought in line (`added`/`removed` say what changed);
 * - unmapped: its security profiles map to no group: out of every managed group (not a failure);
 * - ignored: the Connect user no longer exists (`connect-user-gone`: deleted since the event; its DeleteUser event
 *   governs, and nothing is created or linked for it again).
 */
export type SyncOutcomeKind = 'created' | 'linked' | 'synced' | 'unmapped' | 'ignored';

/** What a sync did, in ids and counts (safe to log). */
export interface SyncOutcome extends Partial<GroupChanges> {
  outcome: SyncOutcomeKind;
  connectUserId: string;
  identityUserId?: string;
  reason?: string;
  assignment?: AssignmentResult | 'skipped';
}

export type SyncUser = (request: SyncRequest) => Promise<SyncOutcome>;

/** The sync in two steps, for the use cases built on it (update-identity): read the Connect user, then sync it. */
export interface UserSync {
  read(request: SyncRequest): Promise<ConnectUser | undefined>;
  /** Syncs a user read with `read`; `link` is the link as written (absent when unmapped and never linked). */
  sync(user: ConnectUser, request?: Pick<SyncRequest, 'ensureAssignment' | 'known' | 'knownLinked'>): Promise<{ outcome: SyncOutcome; link?: Link }>;
}

/**
 * The sync of one Connect user: create or link its Identity Center user, keep its managed groups in line with its
 * security profiles, ensure the application assignment, and record the link.
 *
 * Linking is safe by construction: only the identity that signs in as this Connect user is linked (find-identity.ts:
 * on a SAML instance its sign-in attribute equals the Username exactly), never one that is a member of a protected
 * group (PROTECTED_IDENTITY), and never one already linked to another Connect user of the instance
 * (IDENTITY_ALREADY_LINKED). Nothing is written before these checks.
 *
 * Cost: a new user, one Connect read, one Identity Store lookup and two writes; an already-linked user, one Connect
 * read and one Identity Store read (the link replaces the lookups).
 */
export function createSyncUser(ctx: SyncContext): SyncUser {
  const steps = createUserSync(ctx);
  return async function syncUser(request) {
    const user = request.known?.user ?? request.knownLinked?.user ?? (await steps.read(request));
    // Gone: what an earlier sync of it wrote is taken back (its DeleteUser may be late, lost, or already processed).
    if (!user) return request.userId ? takeBackGone(ctx, request.userId) : gone('');
    return rememberingFailure(ctx, user, async () => (await steps.sync(user, request)).outcome);
  };
}

/** The link record as the plan's listing read it (a tombstone since stops the link's conditional write). */
const recordOf = (connectUserId: string, link: Link): Promise<UserRecord> => Promise.resolve({ connectUserId, link });

/** The Connect user no longer exists: nothing is created, linked or changed for it. */
export const gone = (connectUserId: string): SyncOutcome => ({ outcome: 'ignored', reason: 'connect-user-gone', connectUserId });

export function createUserSync(ctx: SyncContext): UserSync {
  const { connect, links, settings } = ctx;

  async function readConnectUser(request: SyncRequest): Promise<ConnectUser | undefined> {
    const userId =
      request.userId ?? (request.username ? await connect.findUserIdByUsername(request.instanceId, request.username) : undefined);
    return userId ? connect.describeUser(request.instanceId, userId) : undefined;
  }

  /**
   * Claims the identity, recording the groups about to be added (before they are); resolves whether the service created
   * it (now, or as recorded by an earlier link). A holder Connect confirms gone hands the claim over (take-back.ts).
   */
  async function claim(user: ConnectUser, identityUserId: string, created: boolean, groupIds: string[]): Promise<boolean> {
    const { holder, created: recorded } = await links.claim(settings.instanceId, identityUserId, user.id, created, groupIds);
    if (holder === user.id) return created || recorded;
    await handOverFromGone(ctx, holder, identityUserId);
    throw namingIdentity(new PermanentError(
      'IDENTITY_ALREADY_LINKED',
      `Identity Center user ${identityUserId} is already linked to Connect user ${holder} of this instance (one identity ` +
        'signs in as one Connect user, and Connect still has that one): give this Connect user its own email, or ' +
        'delete the other Connect user; then run `connect-sso-sync user <this user> --apply`',
    ), identityUserId);
  }

  async function assign(identityUserId: string, groupIds: readonly string[], assignUser: boolean) {
    switch (settings.assignmentMode) {
      case 'group': {
        const results = await Promise.all(groupIds.map((id) => ctx.assignGroup(id)));
        return results.includes('assigned') ? 'assigned' : results.length ? 'already-assigned' : 'skipped';
      }
      case 'user':
        // Once per Connect user (its first sync); reconcile repairs an assignment removed since.
        return assignUser && groupIds.length > 0 ? ctx.assignments.assign(identityUserId, 'USER') : 'skipped';
      case 'none':
        return 'skipped';
    }
  }

  type Listed = SyncRequest['knownLinked'];
  async function sync(user: ConnectUser, ensureAssignment: boolean, retried = false, matched?: string, listed?: Listed): Promise<{ outcome: SyncOutcome; link?: Link }> {
    const [wanted, record] = await Promise.all([ctx.wantedNames(user), listed ? recordOf(user.id, listed.link) : links.get(settings.instanceId, user.id)]);
    // Its deletion was confirmed (Connect lags, or this sync started before it): it stays deleted.
    if (record.deletedAt) return { outcome: gone(user.id) };
    const { link } = record;
    // (A claim without a link is a sync that died half-way: its memberships are put in line, and the link written.)
    if (wanted.length === 0 && !link && !record.claims?.length) {
      if (record.failure) await links.clearFailure(settings.instanceId, user.id);
      return { outcome: { outcome: 'unmapped', connectUserId: user.id, groupIds: [], added: 0, removed: 0 } };
    }
    // The wanted groups resolve first: a managed group that is missing (and may not be created) fails before anything
    // is written to Identity Center.
    await Promise.all(wanted.map((name) => ctx.groups.idOf(name)));
    const identity = link
      ? { id: link.identityUserId, created: link.created }
      : matched
        ? await knownIdentity(ctx, user, matched)
        : await createOrLinkIdentity(ctx, user, await ctx.signInRule());
    // A claim precedes every membership: with none named yet, an identity created for this user is in no group.
    const claimed = (record.claims?.length ?? 0) > 0;
    try {
      return await apply(user, wanted, { ...identity, claimed }, link, ensureAssignment, listed?.memberOf);
    } catch (error) {
      if (hasCode(error, 'CONNECT_USER_DELETED')) return { outcome: gone(user.id) };
      // The identity's holder was confirmed deleted and its claim released: create or link afresh, once.
      if (hasCode(error, 'CLAIM_RELEASED') && !retried) return sync(user, ensureAssignment, true);
      if (!link || retried || !hasCode(error, 'IDENTITY_NOT_FOUND')) throw error;
      // The linked Identity Center user is gone. Deleted with its Connect user (a deprovision ran meanwhile): stop.
      // Deleted by hand while the Connect user lives on: forget the link and sync afresh (create or link again).
      if (!(await connect.describeUser(settings.instanceId, user.id))) return { outcome: gone(user.id) };
      await links.delete(link, { identityDeleted: true });
      return sync(user, ensureAssignment, true);
    }
  }

  async function apply(
    user: ConnectUser,
    wanted: string[],
    identity: { id: string; created: boolean; claimed: boolean },
    link: Link | undefined,
    ensureAssignment: boolean,
    listedMemberOf?: readonly string[],
  ): Promise<{ outcome: SyncOutcome; link: Link }> {
    // A user created just now is in no group yet and protected by nothing: no read needed. Nor for memberships listed.
    const fresh = identity.created && !link && !identity.claimed;
    const access = fresh
      ? await noMemberships(ctx)
      : listedMemberOf
        ? { ...(await noMemberships(ctx)), memberOf: new Set(listedMemberOf) }
        : await readAccess(ctx, identity.id, link?.groupIds);
    if (!fresh) ctx.ownership.assertNotProtected(access.memberOf, access.protectedIds);
    // Whether the service created the identity is recorded once per identity: a lost link or a Connect user created
    // again with the same email keeps `created` for the identity the service made.
    const created = link ? identity.created : await claim(user, identity.id, identity.created, await Promise.all(wanted.map((name) => ctx.groups.idOf(name))));

    // An identity claimed now (not linked before) may have left a group a moment ago — its former holder's deprovision,
    // a hand-over — and Identity Store reads lag: its wanted groups are added whatever the read says.
    const changes = await applyGroups(ctx, identity.id, wanted, access, { addAnyway: !link && !fresh });
    const assignment = await assign(identity.id, changes.groupIds, !link || ensureAssignment);
    const now = ctx.timestamp();
    const saved: Link = {
      instanceId: settings.instanceId,
      connectUserId: user.id,
      identityUserId: identity.id,
      created,
      groupIds: changes.groupIds,
      createdAt: link?.createdAt ?? now,
      updatedAt: now,
    };
    try {
      await links.put(saved);
    } catch (error) {
      // The Connect user's deletion was confirmed while this sync ran: take back what it gave, as the deletion would.
      if (hasCode(error, 'CONNECT_USER_DELETED')) await deprovisionIdentity(ctx, saved);
      throw error;
    }
    const kind: SyncOutcomeKind = wanted.length === 0 ? 'unmapped' : link ? 'synced' : identity.created ? 'created' : 'linked';
    return { outcome: { outcome: kind, connectUserId: user.id, identityUserId: identity.id, ...changes, assignment }, link: saved };
  }

  return {
    read: readConnectUser,
    sync: (user, request) =>
      sync(
        user,
        request?.ensureAssignment === true,
        false,
        request?.known?.user.id === user.id ? request.known.identityUserId : undefined,
        request?.knownLinked?.user.id === user.id ? request.knownLinked : undefined,
      ),
  };
}
