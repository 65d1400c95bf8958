import type { CoreDeps } from './context.js';
import { PermanentError, recovering, RetryableError } from './errors.js';
import { emailOf, emailsMatch, identityAttributes } from './identity-profile.js';
import type { ConnectUser, IdentityStore, NewIdentityUser } from './ports/index.js';
import { attributeLabel, compareSignIn, isEmailAddress, signInMismatch, signInNameOf, signInValueOf, type SignInAttribute, type SignInRule } from './sign-in.js';

/** What finding or creating an identity uses: the Identity Store, and the link table for the creation attempts. */
export type IdentityFinding = Pick<CoreDeps, 'identityStore' | 'links' | 'settings' | 'timestamp'>;

/** The identity a Connect user syncs with, and whether this service created it. */
export interface FoundIdentity {
  id: string;
  created: boolean;
}

/** An identity created within this time after a recorded attempt of the same sync is that attempt's (see below). */
const CREATION_WINDOW_MS = 60_000;
const CLOCK_SKEW_MS = 2_000;

/**
 * Finds the Identity Center user of a Connect user not linked yet, or creates it. Nothing is written before the checks:
 * - SAML instance (sign-in.ts): the Connect Username is the only key. An identity is linked only when its sign-in
 *   attribute (SIGN_IN_ATTRIBUTE) equals the Username exactly; one that equals it but for case or spaces is
 *   SIGN_IN_NAME_MISMATCH; a created identity carries the Username exactly. SecondaryEmail is never a key.
 * - other instances: the email (Email, else SecondaryEmail, else the Username) keys it, compared ignoring case.
 * Either way a UserName match alone is USERNAME_TAKEN, and two different identities matched by the email and by the
 * UserName are AMBIGUOUS_MATCH.
 */
export async function createOrLinkIdentity(deps: IdentityFinding, user: ConnectUser, rule: SignInRule): Promise<FoundIdentity> {
  return rule.saml ? bySignInName(deps, user, rule) : byEmail(deps, user);
}

async function bySignInName(deps: IdentityFinding, user: ConnectUser, rule: SignInRule): Promise<FoundIdentity> {
  const name = signInNameOf(user, rule.attribute);
  const found = await findBySignInName(deps, user, name, rule);
  if (found) return knownIdentity(deps, user, found);
  if (!deps.settings.createUsers) {
    throw new PermanentError(
      'USER_NOT_FOUND',
      `no Identity Center user has the Connect Username as its ${attributeLabel(rule.attribute)}, and CREATE_USERS=false (the store is provisioned externally)`,
    );
  }
  return create(deps, user, { userName: name, ...identityAttributes(user, creationEmail(user, rule)) }, async () => {
    const again = await findBySignInName(deps, user, name, rule);
    if (again) return again;
    // The sign-in attribute is free but CreateUser found the other unique attribute taken.
    if (rule.attribute === 'email') throw await userNameTaken(deps, user.username);
    throw new PermanentError(
      'EMAIL_IN_USE',
      'the email the new identity would carry belongs to another Identity Center user: nothing was created; one email, one person',
    );
  });
}

/**
 * The identity whose sign-in attribute is exactly `name` (signInCandidates); SIGN_IN_NAME_MISMATCH for one that is
 * `name` but for case. In email mode an identity with another email but this UserName makes the match ambiguous.
 */
async function findBySignInName(deps: IdentityFinding, user: ConnectUser, name: string, rule: SignInRule): Promise<string | undefined> {
  const { identityStore } = deps;
  const ids = await signInCandidates(identityStore, name, rule.attribute);
  let exact: string | undefined;
  for (const id of ids) {
    const identity = await identityStore.describeUser(id);
    const value = identity && signInValueOf(identity, rule.attribute);
    const match = compareSignIn(value, name);
    if (match === 'exact') exact = id;
    else if (match === 'case' && value !== undefined) throw signInMismatch(id, value, name, rule.attribute);
  }
  if (exact === undefined || rule.attribute === 'userName') return exact;
  const byUserName = await identityStore.findUserIdByUserName(user.username);
  if (byUserName !== undefined && byUserName !== exact) throw ambiguous(exact, byUserName);
  return exact;
}

/**
 * The identities a lookup of the sign-in attribute finds for `name`, as given and in lower case (whether the store's
 * lookups ignore case is not documented), the one found as given first. Candidates only: compare them exactly.
 */
export async function signInCandidates(identityStore: IdentityStore, name: string, attribute: SignInAttribute): Promise<string[]> {
  const lookup = (value: string) => (attribute === 'email' ? identityStore.findUserIdByEmail(value) : identityStore.findUserIdByUserName(value));
  const found = await Promise.all([...new Set([name, name.toLowerCase()])].map(lookup));
  return [...new Set(found.filter((id): id is string => id !== undefined))];
}

/** A created identity's email: in email mode the Username itself; in userName mode the Username when it is an address, else SecondaryEmail. */
function creationEmail(user: ConnectUser, rule: SignInRule): string {
  if (rule.attribute === 'email' || isEmailAddress(user.username)) return user.username;
  const secondary = user.secondaryEmail?.trim();
  if (isEmailAddress(secondary)) return secondary;
  throw new PermanentError(
    'NO_EMAIL',
    'Identity Center requires an email, and the Connect user has neither a Username that is an address nor a SecondaryEmail: ' +
      'give it a SecondaryEmail in Connect, or create its identity by hand (UserName = the Connect Username) and replay',
  );
}

/** Today's rule, for instances whose agents do not sign in through Identity Center. */
async function byEmail(deps: IdentityFinding, user: ConnectUser): Promise<FoundIdentity> {
  const { identityStore } = deps;
  const email = emailOf(user);
  const found = await identityStore.findUserIdByEmail(email);
  if (found) {
    const byUserName = await identityStore.findUserIdByUserName(user.username);
    if (byUserName && byUserName !== found) throw ambiguous(found, byUserName);
    return knownIdentity(deps, user, found);
  }
  if (!deps.settings.createUsers) {
    const id = await findExistingByEmail(deps, email, user.username);
    if (id) return { id, created: false };
    throw new PermanentError('USER_NOT_FOUND', 'no Identity Center user has this email, and CREATE_USERS=false (the store is provisioned externally)');
  }
  return create(deps, user, { userName: user.username, ...identityAttributes(user, email) }, () =>
    findExistingByEmail(deps, email, user.username),
  );
}

/** The user after a CreateUser conflict (or without creating): by email, else by UserName when its email is this one. */
async function findExistingByEmail(deps: IdentityFinding, email: string, userName: string): Promise<string | undefined> {
  const { identityStore } = deps;
  const [byEmailId, byUserName] = await Promise.all([identityStore.findUserIdByEmail(email), identityStore.findUserIdByUserName(userName)]);
  if (byEmailId && byUserName && byEmailId !== byUserName) throw ambiguous(byEmailId, byUserName);
  if (byEmailId) return byEmailId;
  if (!byUserName) return undefined;
  const holder = await identityStore.describeUser(byUserName);
  if (holder && emailsMatch(holder.email, email)) return byUserName;
  throw await userNameTaken(deps, userName, byUserName);
}

/**
 * Creates the identity, having noted the attempt (see createdByEarlierAttempt). A uniqueness conflict means a person
 * created before, or a concurrent delivery of this event: `afterConflict` finds who (or throws why not).
 */
async function create(deps: IdentityFinding, user: ConnectUser, identity: NewIdentityUser, afterConflict: () => Promise<string | undefined>): Promise<FoundIdentity> {
  await deps.links.recordCreationAttempt(deps.settings.instanceId, user.id, deps.timestamp());
  const created = async (): Promise<FoundIdentity> => ({ id: await deps.identityStore.createUser(identity), created: true });
  return recovering(created, 'ALREADY_EXISTS', async () => {
    const id = await afterConflict();
    if (id) return knownIdentity(deps, user, id);
    throw new RetryableError('CONFLICT_UNRESOLVED', 'CreateUser reported a conflict but no matching user is visible yet');
  });
}

/**
 * An identity found for `user` (by the lookups above, or by reconcile's listing with the same rule: sign-in-index.ts),
 * and whether this service created it.
 */
export async function knownIdentity(deps: IdentityFinding, user: ConnectUser, id: string): Promise<FoundIdentity> {
  return { id, created: await createdByEarlierAttempt(deps, user, id) };
}

/**
 * Was this existing identity created by an earlier attempt of this very sync, cut off before it wrote the link (a
 * timeout, a crash)? Only when an attempt was recorded for this Connect user, the identity's UserName is exactly the
 * Connect Username, and Identity Center created it within CREATION_WINDOW_MS of that attempt. Otherwise it is
 * someone else's identity: linked, never updated or deleted.
 */
async function createdByEarlierAttempt(deps: IdentityFinding, user: ConnectUser, identityUserId: string): Promise<boolean> {
  const attempts = await deps.links.creationAttempts(deps.settings.instanceId, user.id);
  if (attempts.length === 0) return false;
  const identity = await deps.identityStore.describeUser(identityUserId);
  const createdAt = identity?.createdAt;
  if (createdAt === undefined || identity?.userName !== user.username) return false;
  return attempts.map((at) => Date.parse(at)).some((t) => createdAt >= t - CLOCK_SKEW_MS && createdAt <= t + CREATION_WINDOW_MS);
}

function ambiguous(byEmailId: string, byUserName: string): PermanentError {
  return new PermanentError(
    'AMBIGUOUS_MATCH',
    `the email matches Identity Center user ${byEmailId} but the Connect Username matches user ${byUserName}: ` +
      'nothing was changed; decide which one is this person',
  );
}

async function userNameTaken(deps: IdentityFinding, userName: string, known?: string): Promise<PermanentError> {
  const id = known ?? (await deps.identityStore.findUserIdByUserName(userName));
  return new PermanentError(
    'USERNAME_TAKEN',
    `Identity Center user ${id ?? '(not visible yet)'} has this Connect Username as its UserName but another email, so it is not linked: ` +
      'if it is the same person, give both the same email (in Connect or in Identity Center) and replay; ' +
      'if not, one of them needs another user name',
  );
}
