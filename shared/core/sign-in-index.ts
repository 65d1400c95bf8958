import { canSignInAs, compareSignIn, type SignInAttribute } from './sign-in.js';

/**
 * The Identity Store's listing (SAML instances), streamed into a compact index: per identity its id, the value it sends
 * as RoleSessionName, its UserName and whether it is disabled (not whole users). Reconcile reads it once per run for
 * two purposes: the sign-in check of linked agents (by identity id) and the match of unlinked ones (by sign-in name),
 * so a first run on an existing contact centre needs no per-user Connect read and no per-user GetUserId.
 */
export interface IndexedIdentity {
  id: string;
  /** The sign-in attribute's value (what the identity sends as RoleSessionName). */
  sends?: string;
  userName: string;
  disabled: boolean;
}

/** The listing as reconcile keeps it. */
export interface IdentityIndex {
  attribute: SignInAttribute;
  byId: ReadonlyMap<string, IndexedIdentity>;
  /** By the lower-cased, trimmed sign-in value and UserName (an identity under at most two keys, the same object). */
  byName: ReadonlyMap<string, readonly IndexedIdentity[]>;
}

const fold = (value: string) => value.trim().toLowerCase();

export function createIdentityIndex(attribute: SignInAttribute) {
  const byId = new Map<string, IndexedIdentity>();
  const byName = new Map<string, IndexedIdentity[]>();
  const file = (key: string, identity: IndexedIdentity) => {
    const list = byName.get(key);
    if (!list) byName.set(key, [identity]);
    else if (!list.includes(identity)) list.push(identity);
  };
  return {
    add(identity: IndexedIdentity): void {
      byId.set(identity.id, identity);
      if (identity.sends !== undefined) file(fold(identity.sends), identity);
      if (identity.userName) file(fold(identity.userName), identity);
    },
    index: (): IdentityIndex => ({ attribute, byId, byName }),
  };
}

/**
 * How the listing answers for a Connect user without a link, by find-identity.ts's rule for a SAML instance:
 * - exact: exactly one identity's sign-in attribute is the Username, and no other identity could make the match
 *   ambiguous (email mode: another identity whose UserName is the Username, in any case);
 * - mismatch: an identity's sign-in attribute is the Username but for letter case or spaces (SIGN_IN_NAME_MISMATCH);
 * - none: no identity signs in as it (the sync creates one, or fails USER_NOT_FOUND);
 * - unsure: anything else (several candidates, a Username that is no valid sign-in name): the per-user sync decides.
 */
export type ListingMatch = { kind: 'exact' | 'mismatch'; identity: IndexedIdentity } | { kind: 'none' | 'unsure' };

export function matchBySignInName(username: string, index: IdentityIndex): ListingMatch {
  // A Username that can never sign in: the sync reports why (SIGN_IN_NAME_INVALID, NO_EMAIL).
  if (!canSignInAs(username, index.attribute)) return { kind: 'unsure' };
  const candidates = index.byName.get(fold(username)) ?? [];
  const bySignIn = candidates.filter((c) => compareSignIn(c.sends, username) !== 'other');
  const mismatch = bySignIn.find((c) => compareSignIn(c.sends, username) === 'case');
  if (mismatch) return bySignIn.length === 1 ? { kind: 'mismatch', identity: mismatch } : { kind: 'unsure' };
  const exact = bySignIn[0];
  if (!exact) return candidates.length === 0 ? { kind: 'none' } : { kind: 'unsure' };
  // Another identity under the same name (its UserName): ambiguous in email mode, or a lookup may answer it.
  if (bySignIn.length > 1 || candidates.some((c) => c !== exact)) return { kind: 'unsure' };
  return { kind: 'exact', identity: exact };
}
