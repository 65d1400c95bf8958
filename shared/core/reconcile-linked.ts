import type { Link } from './ports/index.js';
import type { ConnectUserRow, DriftKind, SignInProblem, Snapshots } from './reconcile-plan.js';
import { compareSignIn } from './sign-in.js';

/**
 * The reconcile plan's check of a linked Connect user against the snapshots: how its managed memberships drifted, whether
 * its identity can sign in as it (SAML, from the store's listing), and — when its sync would only add — the facts the
 * listings already read, so the in-process sync writes without reading them again. Pure.
 */

/**
 * What the listings read about a linked user whose sync only adds (no membership to remove): its link as the table
 * had it, and the managed groups its identity is in. Protected members never have one (the sync reads them afresh).
 */
export interface ListedFacts {
  link: Link;
  /** Managed group ids the identity is a member of, by the group listings. */
  memberOf: string[];
}

export interface LinkedCheck {
  /** Drift of memberships and assignment (sign-in aside). */
  kinds: DriftKind[];
  /** The identity's sign-in attribute is not exactly the Username (the listing says so). */
  mismatch: boolean;
  problems: SignInProblem[];
  /** Present when the sync only adds and every fact it needs was listed (see ListedFacts). */
  listed?: ListedFacts;
}

type CheckInput = Pick<Snapshots, 'managed' | 'members' | 'assigned' | 'identities' | 'protectedMembers'> & {
  wanted: readonly string[];
  assignmentMode: 'group' | 'user' | 'none';
};

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((x) => b.has(x));

export function checkLinked(input: CheckInput, user: ConnectUserRow, link: Link): LinkedCheck {
  const wanted = new Set(input.wanted.map((name) => input.managed.get(name) ?? `missing:${name}`));
  const actual = new Set([...input.members].filter(([, members]) => members.has(link.identityUserId)).map(([id]) => id));
  const kinds = membershipDrift(wanted, actual, link, input.members);
  if (input.assignmentMode === 'user' && input.assigned && link.groupIds.length > 0 && !input.assigned.has(`USER:${link.identityUserId}`)) {
    kinds.push('user-unassigned');
  }
  // SAML: what the listing says the linked identity sends as RoleSessionName, and whether it is disabled.
  const signIn = input.identities?.byId.get(link.identityUserId);
  const problems: SignInProblem[] = [];
  const problem = (code: SignInProblem['code']) => problems.push({ connectUserId: user.id, username: user.username, identityUserId: link.identityUserId, code });
  if (signIn?.disabled) problem('IDENTITY_DISABLED');
  const mismatch = signIn !== undefined && compareSignIn(signIn.sends, user.username) !== 'exact';
  // Reported every run, queued never (its sync could not change it): only an identity the service created is corrected.
  if (mismatch && !link.created) problem('SIGN_IN_NAME_MISMATCH');
  const onlyAdds =
    kinds.length > 0 &&
    !mismatch &&
    [...wanted].every((id) => !id.startsWith('missing:')) &&
    [...actual].every((id) => wanted.has(id)) &&
    // Protected memberships are known (and this identity has none), and the listing has the identity, where it was read.
    input.protectedMembers !== undefined &&
    !input.protectedMembers.has(link.identityUserId) &&
    (input.identities === undefined || signIn !== undefined);
  return { kinds, mismatch, problems, ...(onlyAdds && { listed: { link, memberOf: [...actual] } }) };
}

/** How a linked user's managed memberships differ from what its profiles want and what its link records. */
function membershipDrift(wanted: ReadonlySet<string>, actual: ReadonlySet<string>, link: Link, members: Snapshots['members']): DriftKind[] {
  if (sameSet(wanted, actual)) return [];
  const recorded = new Set(link.groupIds.filter((id) => members.has(id)));
  // Reality still matches what the link recorded: the wanted groups moved (a profile or mapping change).
  if (sameSet(recorded, actual)) return ['profile-change'];
  const kinds: DriftKind[] = [];
  if ([...wanted].some((id) => !actual.has(id))) kinds.push('missing-membership');
  if ([...actual].some((id) => !wanted.has(id))) kinds.push('extra-membership');
  return kinds;
}
