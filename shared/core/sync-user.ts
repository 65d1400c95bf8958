import type { CoreDeps } from './context.js';
import { deprovisionIdentity, type DeprovisionDeps } from './deprovision-user.js';
import { hasCode, PermanentError, recovering } from './errors.js';
import { createOrLinkIdentity, knownIdentity, type FoundIdentity } from './find-identity.js';
import { namingIdentity, rememberingFailure } from './known-failures.js';
import { applyGroups, noMemberships, readAccess, type GroupChanges } from './memberships.js';
import type { AssignmentResult, ConnectDirectory, ConnectUser, Link, UserRecord } from './ports/index.js';
import { attributeLabel, type SignInRule } from './sign-in.js';
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

/** What a sync uses: what a deprovision does (it takes back what it gave a Connect user found gone), and the sign-in rule. */
export type SyncUserDeps = DeprovisionDeps & Pick<CoreDeps, 'signInRule'>;

/** A sync's answer and the link as written (absent when unmapped and never linked, or gone). */
export type Synced = { outcome: SyncOutcome; link?: Link };

/** A pass of the sync whose writes failed, with the link it started from. */
type FailedPass = { error: unknown; link?: Link };

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
export function createSyncUser(deps: SyncUserDeps): SyncUser {
  return async function syncUser(request) {
    const user = request.known?.user ?? request.knownLinked?.user ?? (await readConnectUser(deps.connect, request));
    // Gone: what an earlier sync of it wrote is taken back (its DeleteUser may be late, lost, or already processed).
    if (!user) return request.userId ? takeBackGone(deps, request.userId) : gone('');
    return rememberingFailure(deps, user, async () => (await syncConnectUser(deps, user, request)).outcome);
  };
}

/**
 * IDENTITY_ALREADY_LINKED, saying what matched the identity: on a SAML instance the sign-in name (the Connect Username,
 * which cannot be changed: the fix is another Connect user), elsewhere the email.
 */
function alreadyLinked(identityUserId: string, holder: string, rule: SignInRule): PermanentError {
  const matched = rule.saml
    ? `whose ${attributeLabel(rule.attribute)} is this Connect user's sign-in name (its Username)`
    : "whose email is this Connect user's email";
  const fix = rule.saml
    ? 're-create this Connect user with its own Username (a Username cannot be changed), or delete the other Connect user'
    : 'give this Connect user its own email, or delete the other Connect user';
  return new PermanentError(
    'IDENTITY_ALREADY_LINKED',
    `Identity Center user ${identityUserId}, ${matched}, is already linked to Connect user ${holder} of this instance ` +
      `(one identity signs in as one Connect user, and Connect still has that one): ${fix}; then run ` +
      '`connect-sso-sync user <this user> --apply`',
  );
}

/** The Connect user no longer exists: nothing is created, linked or changed for it. */
export const gone = (connectUserId: string): SyncOutcome => ({ outcome: 'ignored', reason: 'connect-user-gone', connectUserId });

/** The Connect user a request names (its id, else its Username), as Connect describes it; undefined when none. */
export async function readConnectUser(connect: ConnectDirectory, request: SyncRequest): Promise<ConnectUser | undefined> {
  const userId = request.userId ?? (request.username ? await connect.findUserIdByUsername(request.instanceId, request.username) : undefined);
  return userId ? connect.describeUser(request.instanceId, userId) : undefined;
}

/** Syncs a Connect user read with readConnectUser. A pass whose writes found the ground moved may start again, once. */
export async function syncConnectUser(deps: SyncUserDeps, user: ConnectUser, request: PassRequest = {}): Promise<Synced> {
  const first = await syncPass(deps, user, request);
  if (!('error' in first)) return first;
  if ((await afterFailedPass(deps, user, first)) === 'gone') return { outcome: gone(user.id) };
  // Afresh: what the plan's listings read is not used again.
  const second = await syncPass(deps, user, { ensureAssignment: request.ensureAssignment });
  if ('error' in second) throw second.error;
  return second;
}

type PassRequest = Pick<SyncRequest, 'ensureAssignment' | 'known' | 'knownLinked'>;

/**
 * One pass: what the link table holds (or, `knownLinked`, what the plan's listing read of it) and the groups wanted,
 * then the identity, then the writes (applySync).
 */
async function syncPass(deps: SyncUserDeps, user: ConnectUser, request: PassRequest): Promise<Synced | FailedPass> {
  const ensureAssignment = request.ensureAssignment === true;
  const matched = request.known?.user.id === user.id ? request.known.identityUserId : undefined;
  const listed = request.knownLinked?.user.id === user.id ? request.knownLinked : undefined;
  const listedRecord: UserRecord | undefined = listed && { connectUserId: user.id, link: listed.link };
  const [wanted, record] = await Promise.all([deps.groups.wantedNames(user), listedRecord ?? deps.links.get(deps.settings.instanceId, user.id)]);
  // Its deletion was confirmed (Connect lags, or this sync started before it): it stays deleted.
  if (record.deletedAt) return { outcome: gone(user.id) };
  const { link } = record;
  // (A claim without a link is a sync that died half-way: its memberships are put in line, and the link written.)
  if (wanted.length === 0 && !link && !record.claims?.length) return unmapped(deps, record, user);
  // The wanted groups resolve first: a managed group that is missing (and may not be created) fails before anything
  // is written to Identity Center.
  await Promise.all(wanted.map((name) => deps.groups.idOf(name)));
  const identity: FoundIdentity = link
    ? { id: link.identityUserId, created: link.created }
    : await (matched ? knownIdentity(deps, user, matched) : createOrLinkIdentity(deps, user, await deps.signInRule()));
  // A claim precedes every membership: with none named yet, an identity created for this user is in no group.
  const claimed = (record.claims?.length ?? 0) > 0;
  try {
    return await applySync(deps, user, wanted, { ...identity, claimed }, link, ensureAssignment, listed?.memberOf);
  } catch (error) {
    return hasCode(error, 'CONNECT_USER_DELETED') ? { outcome: gone(user.id) } : { error, link };
  }
}

/**
 * Whether a failed pass starts again: the identity's holder was confirmed deleted and its claim released
 * (CLAIM_RELEASED: create or link afresh); the linked identity is gone (IDENTITY_NOT_FOUND): deleted with its Connect
 * user (a deprovision ran meanwhile) it is `gone`, deleted by hand while the Connect user lives on the link is
 * forgotten and the sync starts afresh. Any other failure is thrown.
 */
async function afterFailedPass(deps: SyncUserDeps, user: ConnectUser, { error, link }: FailedPass): Promise<'again' | 'gone'> {
  if (hasCode(error, 'CLAIM_RELEASED')) return 'again';
  if (!link || !hasCode(error, 'IDENTITY_NOT_FOUND')) throw error;
  if (!(await deps.connect.describeUser(deps.settings.instanceId, user.id))) return 'gone';
  await deps.links.delete(link, { identityDeleted: true });
  return 'again';
}

/** Mapped to no group and never synced: nothing is written (a failure remembered earlier is forgotten). */
async function unmapped(deps: SyncUserDeps, record: UserRecord, user: ConnectUser): Promise<Synced> {
  if (record.failure) await deps.links.clearFailure(deps.settings.instanceId, user.id);
  return { outcome: { outcome: 'unmapped', connectUserId: user.id, groupIds: [], added: 0, removed: 0 } };
}

/** The writes of a sync: the claim, the memberships, the assignment and the link, after the protection check. */
async function applySync(
  deps: SyncUserDeps,
  user: ConnectUser,
  wanted: string[],
  identity: FoundIdentity & { claimed: boolean },
  link: Link | undefined,
  ensureAssignment: boolean,
  listedMemberOf?: readonly string[],
): Promise<Synced> {
  // A user created just now is in no group yet and protected by nothing: no read needed. Nor for memberships listed.
  const fresh = identity.created && !link && !identity.claimed;
  const access = fresh
    ? await noMemberships(deps)
    : listedMemberOf
      ? { ...(await noMemberships(deps)), memberOf: new Set(listedMemberOf) }
      : await readAccess(deps, identity.id, link?.groupIds);
  if (!fresh) deps.ownership.assertNotProtected(access.memberOf, access.protectedIds);
  // Whether the service created the identity is recorded once per identity: a lost link or a Connect user created
  // again with the same email keeps `created` for the identity the service made.
  const created = link ? identity.created : await claimIdentity(deps, user, identity, await Promise.all(wanted.map((name) => deps.groups.idOf(name))));
  // An identity claimed now (not linked before) may have left a group a moment ago — its former holder's deprovision,
  // a hand-over — and Identity Store reads lag: its wanted groups are added whatever the read says.
  const changes = await applyGroups(deps, identity.id, wanted, access, { addAnyway: !link && !fresh });
  const assignment = await assignApplication(deps, identity.id, changes.groupIds, !link || ensureAssignment);
  const now = deps.timestamp();
  const saved: Link = { instanceId: deps.settings.instanceId, connectUserId: user.id, identityUserId: identity.id, created, groupIds: changes.groupIds, createdAt: link?.createdAt ?? now, updatedAt: now };
  // The Connect user's deletion confirmed while this sync ran: what it gave is taken back, as the deletion would.
  await recovering(() => deps.links.put(saved), 'CONNECT_USER_DELETED', async (error) => {
    await deprovisionIdentity(deps, saved);
    throw error;
  });
  const kind: SyncOutcomeKind = wanted.length === 0 ? 'unmapped' : link ? 'synced' : identity.created ? 'created' : 'linked';
  return { outcome: { outcome: kind, connectUserId: user.id, identityUserId: identity.id, ...changes, assignment }, link: saved };
}

/**
 * Claims the identity, recording the groups about to be added (before they are); resolves whether the service created
 * it (now, or as recorded by an earlier link). A holder Connect confirms gone hands the claim over (take-back.ts).
 */
async function claimIdentity(deps: SyncUserDeps, user: ConnectUser, identity: FoundIdentity, groupIds: string[]): Promise<boolean> {
  const { holder, created: recorded } = await deps.links.claim(deps.settings.instanceId, identity.id, user.id, identity.created, groupIds);
  if (holder === user.id) return identity.created || recorded;
  await handOverFromGone(deps, holder, identity.id);
  throw namingIdentity(alreadyLinked(identity.id, holder, await deps.signInRule()), identity.id);
}

/** The application assignment ASSIGNMENT_MODE asks for. */
async function assignApplication(deps: SyncUserDeps, identityUserId: string, groupIds: readonly string[], assignUser: boolean): Promise<SyncOutcome['assignment']> {
  const mode = deps.settings.assignmentMode;
  if (mode === 'group') {
    const results = await Promise.all(groupIds.map((id) => deps.groups.assign(id)));
    return results.includes('assigned') ? 'assigned' : results.length ? 'already-assigned' : 'skipped';
  }
  // Once per Connect user (its first sync); reconcile repairs an assignment removed since.
  return mode === 'user' && assignUser && groupIds.length > 0 ? deps.assignments.assign(identityUserId, 'USER') : 'skipped';
}
