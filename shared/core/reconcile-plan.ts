import type { ListedMemberships } from './deprovision-user.js';
import { retryDue } from './known-failures.js';
import type { ConnectUser, KnownFailure, Link } from './ports/index.js';
import { adoptionOf, heldIdentities, type LinkWrite } from './reconcile-adoption.js';
import { failureGate, type KnownFailureRow } from './reconcile-held-back.js';
import { checkLinked, type ListedFacts } from './reconcile-linked.js';
import type { IdentityIndex } from './sign-in-index.js';

/** The code of an application that takes no API assignments (shared/adapters/app-assignments.ts). */
const REFUSED = 'ASSIGNMENT_UNSUPPORTED' as const;

/**
 * The reconcile plan: three bulk snapshots compared — the Connect users, the links, the members of each managed group
 * — so that only the users that differ go through the per-user path. Users that agree everywhere cost nothing more.
 * Pure: no I/O here (reconcile.ts reads the snapshots and carries the plan out).
 */
export const DRIFT_KINDS = [
  /** A Connect user without a link: never synced (or its event never arrived). Full sync: create or link. */
  'missing-link',
  /**
   * A link, or a claim of a sync that died before its link, whose Connect user is gone (its DeleteUser event never
   * arrived, or found no link). Deprovision, by DeleteUser's rules.
   */
  'deleted-connect-user',
  /** The identity is not in a managed group it should be in (removed by hand, or the identity is gone). */
  'missing-membership',
  /** The identity is in a managed group it should not be in (added by hand). */
  'extra-membership',
  /** The user's security profiles (or the mapping) now want other groups than the link records. */
  'profile-change',
  /** ASSIGNMENT_MODE=user: the linked identity is not assigned to the application. */
  'user-unassigned',
  /**
   * SAML: the linked identity's sign-in attribute is not exactly the Connect Username (the agent cannot sign in). An
   * identity the service created is corrected (an identity update); any other is reported, never modified.
   */
  'sign-in-mismatch',
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

/** A Connect user as the bulk listing reports it (SearchUsers adds the security profiles; ListUsers has none). */
export type ConnectUserRow = Pick<ConnectUser, 'id' | 'username' | 'lastModifiedTime'> & Partial<Pick<ConnectUser, 'securityProfileIds'>>;

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
  /**
   * A linked user's sync that only adds: what the listings read (reconcile-linked.ts), with `securityProfileIds`. The
   * in-process sync starts from them; a sync that removes anything reads Connect and the memberships afresh.
   */
  listed?: ListedFacts;
  /** A deprovision of a link: the membership ids the group listings saw for its identity (in process only). */
  listedMemberships?: ListedMemberships;
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
  /** The same listings' membership ids, by group id then identity user id (where the source reports them). */
  membershipIds?: ReadonlyMap<string, ReadonlyMap<string, string>>;
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
  /**
   * Managed groups that exist and, in group assignment mode, are not assigned to the application; `heldBack` when a
   * remembered ASSIGNMENT_UNSUPPORTED says the application refuses API assignments (not queued then).
   */
  unassignedGroups: { groupId: string; groupName: string; heldBack?: typeof REFUSED }[];
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
  const adoption = { matched: 0, linkOnly: 0, toWrite: 0 };
  const held = input.identities ? heldIdentities(input) : new Set<string>();
  const gate = failureGate(input);

  /**
   * Plans the action, unless a remembered failure holds it back (listed as a known failure then, and not counted
   * under drift: drift counts what this run plans); resolves whether it was planned.
   */
  const add = (action: UserAction): boolean => {
    const deprovision = action.action === 'deprovision';
    const failures = deprovision ? input.deprovisionFailures : input.failures;
    const heldBack = gate.holdsBack(failures?.get(action.connectUserId), action.connectUserId, deprovision ? 'deprovision' : 'sync');
    if (heldBack) {
      knownFailures.push(heldBack);
      return false;
    }
    for (const kind of action.drift) drift[kind] += 1;
    (deprovision ? deprovisions : syncs).push(action);
    return true;
  };

  const adopt = (user: ConnectUserRow, wanted: string[], identities: IdentityIndex) => {
    const found = adoptionOf({ ...input, identities, protectedMembers: input.protectedMembers ?? new Set() }, user, wanted, held);
    if (found.kind === 'mismatch') {
      // Never linked nor queued: the agent cannot sign in with it until someone fixes one of the two names.
      drift['sign-in-mismatch'] += 1;
      signInProblems.push({ connectUserId: user.id, username: user.username, identityUserId: found.identityUserId, code: 'SIGN_IN_NAME_MISMATCH' });
    } else if (found.kind === 'link') {
      drift['missing-link'] += 1;
      adoption.linkOnly += 1;
      adoption.matched += 1;
      linkWrites.push(found.write);
    } else {
      const matched = found.identityUserId && { identityUserId: found.identityUserId, securityProfileIds: user.securityProfileIds ?? [] };
      // Counted when planned (a remembered failure is listed as such instead).
      if (!add({ connectUserId: user.id, username: user.username, action: 'sync', drift: ['missing-link'], ...matched })) return;
      adoption.toWrite += 1;
      if (matched) adoption.matched += 1;
    }
  };

  for (const user of input.connectUsers.values()) {
    const link = input.links.get(user.id);
    const wanted = input.wantedNames(user);
    if (wanted.length === 0) unmapped += 1;
    if (!link) {
      // An unmapped user without a link has nothing to sync (its sync would write nothing).
      if (wanted.length === 0) inSync += 1;
      else if (input.identities) adopt(user, wanted, input.identities);
      else add({ connectUserId: user.id, username: user.username, action: 'sync', drift: ['missing-link'] });
      continue;
    }
    const { kinds, mismatch, problems, listed } = checkLinked({ ...input, wanted }, user, link);
    signInProblems.push(...problems);
    // A mismatch of an identity the service did not create is never modified: reported (checkLinked), not queued.
    if (mismatch && !link.created) drift['sign-in-mismatch'] += 1;
    const named = { connectUserId: user.id, username: user.username };
    if (mismatch && link.created) add({ ...named, action: 'update', drift: [...kinds, 'sign-in-mismatch'] });
    else if (kinds.length > 0) add({ ...named, action: 'sync', drift: kinds, ...(listed && { listed, securityProfileIds: user.securityProfileIds ?? [] }) });
    else if (!mismatch) inSync += 1;
  }
  for (const link of input.links.values()) {
    if (input.connectUsers.has(link.connectUserId)) continue;
    const listedMemberships = listedMembershipsOf(input, link.identityUserId);
    add({ connectUserId: link.connectUserId, action: 'deprovision', drift: ['deleted-connect-user'], ...(listedMemberships && { listedMemberships }) });
  }
  // A sync that died before its link (a permanent error at the assignment, a timeout) left a claim and perhaps
  // memberships: when its Connect user is gone, what it wrote is taken back like a link's.
  for (const connectUserId of input.unlinkedClaims?.keys() ?? []) {
    if (!input.connectUsers.has(connectUserId) && !input.links.has(connectUserId)) add({ connectUserId, action: 'deprovision', drift: ['deleted-connect-user'] });
  }

  // A sync remembered that the application refuses API assignments, its back-off not over: assigning a group would
  // fail the same way, so it is not queued (a background loop never repeats a known failure; --retry-failed does).
  const refused = !input.retryFailed && [...input.failures.values()].some((f) => f.code === REFUSED && !(input.now !== undefined && retryDue(f, input.now)));
  const unassignedGroups =
    input.assignmentMode === 'group' && input.assigned
      ? [...input.managed].filter(([, id]) => !input.assigned?.has(`GROUP:${id}`)).map(([name, id]) => ({ groupId: id, groupName: name, ...(refused && { heldBack: REFUSED }) }))
      : [];

  return {
    users: input.connectUsers.size, links: input.links.size, inSync,
    actions: [...deprovisions, ...syncs], knownFailures, unlinkedMembers: unlinkedMembers(input), unassignedGroups, missingGroups,
    drift, signInProblems, unmapped, linkWrites, ...(input.identities && { adoption }),
  };
}

/** The membership ids the listings saw for the identity (undefined when none was listed). */
function listedMembershipsOf(input: Pick<Snapshots, 'membershipIds'>, identityUserId: string): ListedMemberships | undefined {
  const membershipIds = new Map<string, string>();
  for (const [groupId, ids] of input.membershipIds ?? []) {
    const id = ids.get(identityUserId);
    if (id) membershipIds.set(groupId, id);
  }
  return membershipIds.size > 0 ? { identityUserId, membershipIds } : undefined;
}

/**
 * Members of the managed groups whose identity no link (nor a claim of a sync not linked yet) names, in this stage
 * or in another that shares the groups.
 */
export function unlinkedMembers(snapshots: Pick<Snapshots, 'links' | 'managed' | 'members' | 'unlinkedClaims' | 'sharedClaims'>): UnlinkedMember[] {
  const linked = heldIdentities(snapshots);
  for (const id of snapshots.sharedClaims ?? []) linked.add(id);
  const names = new Map([...snapshots.managed].map(([name, id]) => [id, name]));
  return [...snapshots.members].flatMap(([groupId, members]) =>
    [...members].filter((id) => !linked.has(id)).map((identityUserId) => ({ identityUserId, groupId, groupName: names.get(groupId) ?? groupId })),
  );
}
