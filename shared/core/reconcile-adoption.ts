import type { ConnectUserRow, PlanInput } from './reconcile-plan.js';
import { matchBySignInName, type IdentityIndex } from './sign-in-index.js';

/**
 * Adoption: the Connect users without a link on a SAML instance, matched against the Identity Store's listing (one
 * index for the run, sign-in-index.ts) instead of one DescribeUser and two GetUserId each. Pure.
 *
 * Only a user the listings show already right (its identity signs in as it, is in exactly its managed groups, is
 * assigned, and nothing in the link table or the protected groups speaks against it) is a link write alone; every
 * other goes the per-user sync way, which applies the same rules with fresh reads. The listing is an optimisation,
 * never another rule: when in doubt, the sync decides.
 */

/** A link the plan writes without a sync: the identity exists and is already where it should be. */
export interface LinkWrite {
  connectUserId: string;
  /** For the operator's table. Never logged. */
  username: string;
  identityUserId: string;
  /** The managed groups the identity is in, which are the ones it should be in. */
  groupIds: string[];
  /** As the listing reported them (for the per-user sync, should the link table refuse the write). */
  securityProfileIds: string[];
}

export type Adoption =
  | { kind: 'link'; write: LinkWrite }
  /** The per-user sync; `identityUserId` is the identity the listing matched exactly, when it did. */
  | { kind: 'sync'; identityUserId?: string }
  /** The identity's sign-in attribute is the Username but for letter case: reported, not queued. */
  | { kind: 'mismatch'; identityUserId: string };

type AdoptionInput = Pick<PlanInput, 'links' | 'unlinkedClaims' | 'failures' | 'managed' | 'members' | 'assigned' | 'assignmentMode'> & {
  identities: IdentityIndex;
  /** Members of the protected groups (PROTECTED_GROUPS): never linked. */
  protectedMembers: ReadonlySet<string>;
};

/** Identities a link or a claim of this instance names (a holder alive or not): only the per-user sync may take them. */
export function heldIdentities(input: Pick<AdoptionInput, 'links' | 'unlinkedClaims'>): Set<string> {
  const held = new Set([...input.links.values()].map((l) => l.identityUserId));
  for (const claims of input.unlinkedClaims?.values() ?? []) for (const id of claims) held.add(id);
  return held;
}

/** How an unlinked, mapped Connect user is adopted (`wantedNames`: the managed groups it should be in). */
export function adoptionOf(input: AdoptionInput, user: ConnectUserRow, wantedNames: readonly string[], held: ReadonlySet<string>): Adoption {
  const match = matchBySignInName(user.username, input.identities);
  if (match.kind === 'mismatch') return { kind: 'mismatch', identityUserId: match.identity.id };
  if (match.kind !== 'exact') return { kind: 'sync' };
  const identity = match.identity;
  const sync: Adoption = { kind: 'sync', identityUserId: identity.id };
  const doubtful =
    identity.disabled ||
    held.has(identity.id) ||
    input.protectedMembers.has(identity.id) ||
    input.unlinkedClaims?.has(user.id) === true ||
    input.failures.has(user.id);
  if (doubtful) return sync;
  const wanted = wantedNames.map((name) => input.managed.get(name));
  if (wanted.some((id) => id === undefined)) return sync;
  const wantedIds = new Set(wanted as string[]);
  const actual = [...input.members].filter(([, members]) => members.has(identity.id)).map(([id]) => id);
  if (actual.length !== wantedIds.size || actual.some((id) => !wantedIds.has(id))) return sync;
  if (!assignmentFine(input, identity.id, [...wantedIds])) return sync;
  return { kind: 'link', write: { connectUserId: user.id, username: user.username, identityUserId: identity.id, groupIds: [...wantedIds].sort(), securityProfileIds: user.securityProfileIds ?? [] } };
}

function assignmentFine(input: AdoptionInput, identityUserId: string, groupIds: readonly string[]): boolean {
  if (input.assignmentMode === 'none') return true;
  if (input.assignmentMode === 'user') return input.assigned?.has(`USER:${identityUserId}`) === true;
  return input.assigned !== undefined && groupIds.every((id) => input.assigned?.has(`GROUP:${id}`));
}
