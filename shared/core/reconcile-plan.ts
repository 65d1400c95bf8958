import { retryDue, retryDueAt } from './known-failures.js';
import type { KnownFailure, Link } from './ports/index.js';
import { adoptionOf, heldIdentities, type LinkWrite } from './reconcile-adoption.js';
import { compareSignIn } from './sign-in.js';
import type { IdentityIndex } from './sign-in-index.js';

/**
 * The reconcile plan: three bulk snapshots compared — the Connect users, the links, the members of each managed group
 * — so that only the users that differ go through the per-user path. Users that agree everywhere cost nothing more.
 * Pure: no I/O here (reconcile.ts reads the snapshots and carries the plan out).
 */
export type DriftKind =
  /** A Connect user without a link: never synced (or its event never arrived). Full sync: create or link. */
  | 'missing-link'
  /**
   * A link, or a claim of a sync that died before its link, whose Connect user is gone (its DeleteUser event never
   * arrived, or found no link). Deprovision, by DeleteUser's rules.
   */
  | 'deleted-connect-user'
  /** The identity is not in a managed group it should be in (removed by hand, or the identity is gone). */
  | 'missing-membership'
  /** The identity is in a managed group it should not be in (added by hand). */
  | 'extra-membership'
  /** The user's security profiles (or the mapping) now want other groups than the link records. */
  | 'profile-change'
  /** ASSIGNMENT_MODE=user: the linked identity is not assigned to the application. */
  | 'user-unassigned'
  /**
   * SAML: the linked identity's sign-in attribute is not exactly the Connect Username (the agent cannot sign in). An
   * identity the service created is corrected (an identity update); any other is reported, never modified.
   */
  | 'sign-in-mismatch';

export const DRIFT_KINDS: readonly DriftKind[] = [
  'missing-link',
  'deleted-connect-user',
  'missing-membership',
  'extra-membership',
  'profile-change',
  'user-unassigned',
  'sign-in-mismatch',
];

/** A Connect user as the bulk listing reports it (SearchUsers adds the security profiles; ListUsers has none). */
export interface ConnectUserRow {
  id: string;
  username: string;
  securityProfileIds?: string[];
  /** LastModifiedTime (ISO 8601), when the listing reports it. */
  lastModifiedTime?: string;
}

/**
 * A Connect user whose sync (or, deleted, whose deprovision) failed permanently and whose cause has not changed since:
 * not queued again before its back-off is over (no amplification).
 */
export interface KnownFailureRow extends KnownFailure {
  connectUserId: string;
  /** For the operator's table (empty for a deleted Connect user). Never logged. */
  username: string;
  /** What failed: the sync, or the deprovision of a deleted Connect user. */
  step: 'sync' | 'deprovision';
  /** When the back-off lets a scheduled run try it again (ISO 8601). */
  retryAt: string;
}

export interface UserAction {
  connectUserId: string;
  /** The Connect Username, for the operator's table (absent for a deleted Connect user). Never logged. */
  username?: string;
  /** `update`: the sync, then the identity update (update-identity.ts), which corrects a created identity's sign-in name. */
  action: 'sync' | 'update' | 'deprovision';
  drift: DriftKind[];
  /** A sync of an unlinked user whose identity the listing matched exactly: the in-process sync starts from it. */
  identityUserId?: string;
  /** With `identityUserId`: the user's security profiles as the listing reported them. */
  securityProfileIds?: string[];
}

/** A linked agent who cannot sign in for a reason no sync changes: reported (status, metrics), not queued. */
export interface SignInProblem {
  connectUserId: string;
  /** For the operator's table. Never logged. */
  username: string;
  identityUserId: string;
  code: 'SIGN_IN_NAME_MISMATCH' | 'IDENTITY_DISABLED';
}

/** A member of a managed group that no link explains: reported; removed only with --remove-unlinked, never deleted. */
export interface UnlinkedMember {
  identityUserId: string;
  groupId: string;
  groupName: string;
}

export interface Snapshots {
  connectUsers: ReadonlyMap<string, ConnectUserRow>;
  links: ReadonlyMap<string, Link>;
  /** Existing managed groups: name -> id. */
  managed: ReadonlyMap<string, string>;
  /** Members (identity user ids) of each existing managed group, by group id. */
  members: ReadonlyMap<string, ReadonlySet<string>>;
  /** USER:<id> / GROUP:<id> keys of the application's assignments (undefined: not read, assignments not managed). */
  assigned?: ReadonlySet<string>;
  /** Remembered permanent failures of the sync, by Connect user id. */
  failures: ReadonlyMap<string, KnownFailure>;
  /** Remembered permanent failures of the deprovision (of deleted Connect users), by Connect user id. */
  deprovisionFailures?: ReadonlyMap<string, KnownFailure>;
  /** Connect users without a link whose syncs claimed identities (a sync that died half-way), by Connect user id. */
  unlinkedClaims?: ReadonlyMap<string, readonly string[]>;
  /** SAML instances: the store's listing by sign-in name, to adopt unlinked users without per-user reads (undefined: not read). */
  identities?: IdentityIndex;
  /** Members of the protected groups (read with the listing). */
  protectedMembers?: ReadonlySet<string>;
  /** Identities the other stages that share the managed groups link or claim (SHARED_LINKS_TABLES): never unlinked. */
  sharedClaims?: ReadonlySet<string>;
}

export interface PlanInput extends Snapshots {
  /** The managed group names a Connect user should be in (the role mapping). */
  wantedNames(user: ConnectUserRow): string[];
  assignmentMode: 'group' | 'user' | 'none';
  /** Queue remembered failures again even when the Connect user did not change (reconcile --retry-failed). */
  retryFailed?: boolean;
  /** Now (epoch ms): a remembered failure whose back-off is over is queued again. Absent: back-off never due. */
  now?: number;
}

export interface ReconcilePlan {
  users: number;
  links: number;
  inSync: number;
  /** Deprovisions first (taking access away never waits behind anything), then syncs. */
  actions: UserAction[];
  /** Drifted users not queued: their last sync failed permanently and the Connect user has not changed since. */
  knownFailures: KnownFailureRow[];
  unlinkedMembers: UnlinkedMember[];
  /** Managed groups that exist and, in group assignment mode, are not assigned to the application. */
  unassignedGroups: { groupId: string; groupName: string }[];
  /** Managed group names that do not exist (a sync creates them where allowed). */
  missingGroups: string[];
  /** Users per drift kind (a user may have several kinds). */
  drift: Record<DriftKind, number>;
  /** Linked agents who cannot sign in for a reason no sync changes (SAML instances). */
  signInProblems: SignInProblem[];
  /** Connect users whose security profiles map to no managed group: they cannot sign in through Identity Center. */
  unmapped: number;
  /** Unlinked users already right in Identity Center: a link write each, no sync (in batches, reconcile.ts). */
  linkWrites: LinkWrite[];
  /**
   * The adoption of unlinked users from the listing (SAML): how many the listing matched exactly, how many need only
   * their link, how many a write in Identity Center. Undefined when no listing could answer (the per-user path).
   */
  adoption?: { matched: number; linkOnly: number; toWrite: number };
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

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((x) => b.has(x));

export function planReconcile(input: PlanInput): ReconcilePlan {
  const drift = Object.fromEntries(DRIFT_KINDS.map((k) => [k, 0])) as Record<DriftKind, number>;
  const syncs: UserAction[] = [];
  const deprovisions: UserAction[] = [];
  const knownFailures: KnownFailureRow[] = [];
  const signInProblems: SignInProblem[] = [];
  const missingGroups = [...new Set([...input.connectUsers.values()].flatMap((u) => input.wantedNames(u)))].filter((n) => !input.managed.has(n));
  let inSync = 0;
  let unmapped = 0;
  const linkWrites: LinkWrite[] = [];
  const adoption = input.identities ? { matched: 0, linkOnly: 0, toWrite: 0 } : undefined;
  const held = input.identities ? heldIdentities(input) : new Set<string>();

  // Who holds each identity in this snapshot: a failure naming an identity no live link holds any more may now pass.
  const holders = new Set([...input.links.values()].filter((l) => input.connectUsers.has(l.connectUserId)).map((l) => l.identityUserId));
  for (const [holder, claims] of input.unlinkedClaims ?? []) if (input.connectUsers.has(holder)) for (const id of claims) holders.add(id);
  const worthRetrying = (failure: KnownFailure, user?: ConnectUserRow) =>
    input.retryFailed === true ||
    (user !== undefined && changedSince(failure, user)) ||
    (failure.identityUserId !== undefined && !holders.has(failure.identityUserId)) ||
    (input.now !== undefined && retryDue(failure, input.now));
  const known = (failure: KnownFailure, connectUserId: string, username: string, step: KnownFailureRow['step']): KnownFailureRow => ({
    ...failure,
    connectUserId,
    username,
    step,
    retryAt: new Date(retryDueAt(failure)).toISOString(),
  });

  /**
   * Plans the action, unless a remembered failure holds it back (listed as a known failure then, and not counted
   * under drift: drift counts what this run plans); resolves whether it was planned.
   */
  const add = (action: UserAction): boolean => {
    const plan = (into: UserAction[]) => {
      for (const kind of action.drift) drift[kind] += 1;
      into.push(action);
      return true;
    };
    if (action.action === 'deprovision') {
      const failure = input.deprovisionFailures?.get(action.connectUserId);
      if (!failure || worthRetrying(failure)) return plan(deprovisions);
      knownFailures.push(known(failure, action.connectUserId, '', 'deprovision'));
      return false;
    }
    const failure = input.failures.get(action.connectUserId);
    const user = input.connectUsers.get(action.connectUserId);
    if (failure && user && !worthRetrying(failure, user)) {
      knownFailures.push(known(failure, user.id, user.username, 'sync'));
      return false;
    }
    return plan(syncs);
  };

  const adopt = (user: ConnectUserRow) => {
    if (!input.identities) return;
    const found = adoptionOf({ ...input, identities: input.identities, protectedMembers: input.protectedMembers ?? new Set() }, user, input.wantedNames(user), held);
    if (found.kind === 'mismatch') {
      // Never linked nor queued: the agent cannot sign in with it until someone fixes one of the two names.
      drift['sign-in-mismatch'] += 1;
      signInProblems.push({ connectUserId: user.id, username: user.username, identityUserId: found.identityUserId, code: 'SIGN_IN_NAME_MISMATCH' });
      return;
    }
    if (found.kind === 'link') {
      drift['missing-link'] += 1;
      if (adoption) adoption.linkOnly += 1;
      if (adoption) adoption.matched += 1;
      linkWrites.push(found.write);
      return;
    }
    // Counted when planned (a remembered failure is listed as such instead).
    const planned = add({ connectUserId: user.id, username: user.username, action: 'sync', drift: ['missing-link'], ...(found.identityUserId && { identityUserId: found.identityUserId, securityProfileIds: user.securityProfileIds ?? [] }) });
    if (planned && adoption) {
      adoption.toWrite += 1;
      if (found.identityUserId) adoption.matched += 1;
    }
  };

  for (const user of input.connectUsers.values()) {
    const link = input.links.get(user.id);
    const mapped = input.wantedNames(user).length > 0;
    if (!mapped) unmapped += 1;
    if (!link) {
      // An unmapped user without a link has nothing to sync (its sync would write nothing).
      if (!mapped) inSync += 1;
      else if (!input.identities) add({ connectUserId: user.id, username: user.username, action: 'sync', drift: ['missing-link'] });
      else adopt(user);
      continue;
    }
    const kinds = membershipDrift(input, user, link);
    if (input.assignmentMode === 'user' && input.assigned && link.groupIds.length > 0 && !input.assigned.has(`USER:${link.identityUserId}`)) {
      kinds.push('user-unassigned');
    }
    // SAML: what the listing says the linked identity sends as RoleSessionName, and whether it is disabled.
    const signIn = input.identities?.byId.get(link.identityUserId);
    const problem = (code: SignInProblem['code']) => signInProblems.push({ connectUserId: user.id, username: user.username, identityUserId: link.identityUserId, code });
    if (signIn?.disabled) problem('IDENTITY_DISABLED');
    const mismatch = signIn !== undefined && compareSignIn(signIn.sends, user.username) !== 'exact';
    if (mismatch && !link.created) {
      // Never modified: reported every run, queued never (its sync could not change it).
      drift['sign-in-mismatch'] += 1;
      problem('SIGN_IN_NAME_MISMATCH');
    }
    if (mismatch && link.created) add({ connectUserId: user.id, username: user.username, action: 'update', drift: [...kinds, 'sign-in-mismatch'] });
    else if (kinds.length > 0) add({ connectUserId: user.id, username: user.username, action: 'sync', drift: kinds });
    else if (!mismatch) inSync += 1;
  }
  for (const link of input.links.values()) {
    if (!input.connectUsers.has(link.connectUserId)) add({ connectUserId: link.connectUserId, action: 'deprovision', drift: ['deleted-connect-user'] });
  }
  // A sync that died before its link (a permanent error at the assignment, a timeout) left a claim and perhaps
  // memberships: when its Connect user is gone, what it wrote is taken back like a link's.
  for (const connectUserId of input.unlinkedClaims?.keys() ?? []) {
    if (!input.connectUsers.has(connectUserId) && !input.links.has(connectUserId)) add({ connectUserId, action: 'deprovision', drift: ['deleted-connect-user'] });
  }

  const unassignedGroups =
    input.assignmentMode === 'group' && input.assigned
      ? [...input.managed].filter(([, id]) => !input.assigned?.has(`GROUP:${id}`)).map(([name, id]) => ({ groupId: id, groupName: name }))
      : [];

  const unlinked = unlinkedMembers(input);
  return {
    users: input.connectUsers.size,
    links: input.links.size,
    inSync,
    actions: [...deprovisions, ...syncs],
    knownFailures,
    unlinkedMembers: unlinked,
    unassignedGroups,
    missingGroups,
    drift,
    signInProblems,
    unmapped,
    linkWrites,
    ...(adoption && { adoption }),
  };
}

/**
 * Members of the managed groups whose identity no link (nor a claim of a sync not linked yet) names, in this stage
 * or in another that shares the groups.
 */
export function unlinkedMembers(snapshots: Pick<Snapshots, 'links' | 'managed' | 'members' | 'unlinkedClaims' | 'sharedClaims'>): UnlinkedMember[] {
  const linked = new Set([...snapshots.links.values()].map((l) => l.identityUserId));
  for (const claims of snapshots.unlinkedClaims?.values() ?? []) for (const id of claims) linked.add(id);
  for (const id of snapshots.sharedClaims ?? []) linked.add(id);
  const names = new Map([...snapshots.managed].map(([name, id]) => [id, name]));
  return [...snapshots.members].flatMap(([groupId, members]) =>
    [...members].filter((id) => !linked.has(id)).map((identityUserId) => ({ identityUserId, groupId, groupName: names.get(groupId) ?? groupId })),
  );
}

/** How a linked user's managed memberships differ from what its profiles want and what its link records. */
function membershipDrift(input: PlanInput, user: ConnectUserRow, link: Link): DriftKind[] {
  const wanted = new Set(input.wantedNames(user).flatMap((name) => input.managed.get(name) ?? `missing:${name}`));
  const actual = new Set([...input.members].filter(([, members]) => members.has(link.identityUserId)).map(([id]) => id));
  if (sameSet(wanted, actual)) return [];
  const recorded = new Set(link.groupIds.filter((id) => input.members.has(id)));
  // Reality still matches what the link recorded: the wanted groups moved (a profile or mapping change).
  if (sameSet(recorded, actual)) return ['profile-change'];
  const kinds: DriftKind[] = [];
  if ([...wanted].some((id) => !actual.has(id))) kinds.push('missing-membership');
  if ([...actual].some((id) => !wanted.has(id))) kinds.push('extra-membership');
  return kinds;
}
