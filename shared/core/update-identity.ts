import { PermanentError, recovering } from './errors.js';
import { rememberingFailure } from './known-failures.js';
import { changedAttributes, emailOf, findEmail, identityAttributes } from './identity-profile.js';
import { managedIdsFor } from './memberships.js';
import { describeDoors, opensOtherDoors } from './ownership.js';
import type { ConnectUser, IdentityAttributes, IdentityStore, IdentityUser } from './ports/index.js';
import { compareSignIn, signInMismatch, signInNameOf, signInValueOf, type SignInRule } from './sign-in.js';
import { readConnectUser, syncConnectUser, type SyncOutcome, type SyncRequest, type SyncUserDeps } from './sync-user.js';

/**
 * - updated: names and/or email changed in Identity Center (`changed` names the attributes, never their values);
 * - unchanged: nothing to change, or the rules say not to (`reason`);
 * - ignored: the Connect user no longer exists.
 */
export interface UpdateOutcome {
  /** `created`: the update arrived first and its sync created the identity (with the new attributes). */
  outcome: 'updated' | 'unchanged' | 'ignored' | 'created';
  connectUserId: string;
  identityUserId?: string;
  /** What the sync that runs first did (created, linked, synced, unmapped). */
  sync?: SyncOutcome['outcome'];
  changed?: (keyof IdentityAttributes)[];
  reason?: string;
}

export type UpdateIdentity = (request: SyncRequest) => Promise<UpdateOutcome>;

/**
 * UpdateUserIdentityInfo: the normal sync first (an update may arrive before its create, or for a user synced before
 * the link table existed), then the Identity Center user's names and primary email follow Connect, by UPDATE_IDENTITY:
 * - created: only an identity this service created, and only while it opens no other door (ownership.ts). Otherwise
 *   nothing changes and the event is dead-lettered as IDENTITY_UPDATE_BLOCKED, saying which kind of access blocked it.
 *   An identity that was linked (it existed before) is never updated: `unchanged`, reason `linked-identity`.
 * - none: identity attributes are never updated.
 * On a SAML instance the sign-in attribute follows only the Connect Username (sign-in.ts): a created identity whose
 * email drifted from it is corrected; an identity that may not be changed, or whose UserName drifted (never changed),
 * is reported as SIGN_IN_NAME_MISMATCH.
 * The UserName never changes. A new email another Identity Center user has: EMAIL_IN_USE, nothing changed.
 * Unchanged attributes cost no write.
 */
export function createUpdateIdentity(deps: SyncUserDeps): UpdateIdentity {
  return async function updateIdentity(request) {
    const user = await readConnectUser(deps.connect, request);
    if (!user) return { outcome: 'ignored', reason: 'connect-user-gone', connectUserId: request.userId ?? '' };
    return rememberingFailure(deps, user, () => syncThenUpdate(deps, user), 'update');
  };
}

/** The sync first, then the identity's attributes by UPDATE_IDENTITY and the ownership rules (see createUpdateIdentity). */
async function syncThenUpdate(deps: SyncUserDeps, user: ConnectUser): Promise<UpdateOutcome> {
  const { identityStore } = deps;
  const { outcome: synced, link } = await syncConnectUser(deps, user);
  if (synced.outcome === 'ignored') return { outcome: 'ignored', reason: synced.reason, connectUserId: user.id };
  const base = { connectUserId: user.id, identityUserId: link?.identityUserId, sync: synced.outcome };
  const rule = await deps.signInRule();
  // Never modified; on a SAML instance a sign-in name that no longer matches is reported (dead-lettered, remembered).
  const unchanged = async (reason: string): Promise<UpdateOutcome> => {
    if (link && rule.saml && synced.outcome !== 'created') {
      const identity = await identityStore.describeUser(link.identityUserId);
      if (identity) assertSignInValue(identity, user, rule);
    }
    return { ...base, outcome: 'unchanged', reason };
  };
  if (deps.settings.updateIdentity === 'none') return unchanged('UPDATE_IDENTITY=none');
  if (!link) return { ...base, outcome: 'unchanged', reason: 'not-linked' };
  if (!link.created) return unchanged('linked-identity');
  // A user created by this very sync already has Connect's attributes: what happened is a creation (the live
  // line, the log and the UsersCreated metric say so), not "unchanged".
  if (synced.outcome === 'created') return { ...base, outcome: 'created' };
  const current = await identityStore.describeUser(link.identityUserId);
  if (!current) return { ...base, outcome: 'unchanged', reason: 'identity-gone' };
  const wanted = wantedAttributes(user, current, rule);
  const changes = changedAttributes(current, wanted, rule.saml && rule.attribute === 'email');
  const changed = Object.keys(changes) as (keyof IdentityAttributes)[];
  if (changed.length === 0) {
    if (rule.saml) assertSignInValue(current, user, rule);
    return { ...base, outcome: 'unchanged' };
  }
  const doors = await deps.ownership.otherDoors(link.identityUserId, await managedIdsFor(deps, link));
  if (opensOtherDoors(doors)) {
    throw new PermanentError(
      'IDENTITY_UPDATE_BLOCKED',
      `the Identity Center user opens other doors (${describeDoors(doors)}): changing its ${changed.join(', ')} from ` +
        'Connect could hand them to whoever edits Connect users, so nothing was changed; update it in Identity Center ' +
        'by hand if the change is genuine',
    );
  }
  if (changes.email !== undefined) await assertEmailFree(identityStore, link.identityUserId, changes.email);
  await recovering(() => identityStore.updateUser(link.identityUserId, changes), 'ALREADY_EXISTS', (error) => {
    throw emailInUse(undefined, error);
  });
  // The UserName is never changed: in userName mode a created identity whose UserName drifted stays reported.
  if (rule.saml) assertSignInValue({ ...current, ...changes }, user, rule);
  return { ...base, outcome: 'updated', changed };
}

/**
 * Another user holding the email, whether or not the store's lookup ignores case (NOT CONFIRMED): the email as
 * given and in lower case are both looked up (emailsMatch treats them as one address).
 */
async function assertEmailFree(identityStore: IdentityStore, identityUserId: string, email: string): Promise<void> {
  const forms = [...new Set([email, email.toLowerCase()])];
  const holders = await Promise.all(forms.map((form) => identityStore.findUserIdByEmail(form)));
  const other = holders.find((holder) => holder !== undefined && holder !== identityUserId);
  if (other !== undefined) throw emailInUse(other);
}

/** SIGN_IN_NAME_MISMATCH unless the identity's sign-in attribute is exactly the Connect Username. */
function assertSignInValue(identity: IdentityUser, user: ConnectUser, rule: SignInRule): void {
  const value = signInValueOf(identity, rule.attribute);
  if (compareSignIn(value, user.username) !== 'exact') throw signInMismatch(identity.id, value ?? '', user.username, rule.attribute);
}

/**
 * What the identity should hold. Names follow Connect. The email: on a SAML instance the sign-in attribute follows only
 * the Username (email mode: the email is the Username; userName mode: the email is left as it is); elsewhere it
 * follows Connect's email, and a Connect user whose email was removed keeps its Identity Center email (required).
 */
function wantedAttributes(user: ConnectUser, current: IdentityUser, rule: SignInRule): IdentityAttributes {
  if (rule.saml) return identityAttributes(user, rule.attribute === 'email' ? signInNameOf(user, 'email') : (current.email ?? user.username));
  return identityAttributes(user, findEmail(user)?.email ?? current.email ?? emailOf(user));
}

function emailInUse(holder: string | undefined, cause?: unknown): PermanentError {
  return new PermanentError(
    'EMAIL_IN_USE',
    `the new email belongs to another Identity Center user${holder ? ` (${holder})` : ''}: nothing was changed; ` +
      'one email, one person',
    { cause },
  );
}
