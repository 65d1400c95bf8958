import { PermanentError } from './errors.js';
import type { ConnectUser, IdentityUser } from './ports/index.js';

/**
 * The Identity Center attribute that the Amazon Connect application sends as the SAML RoleSessionName (its attribute
 * mapping, which no public API reads): `email` (`${user:email}`, the primary email: the usual mapping) or `userName`.
 */
export type SignInAttribute = 'email' | 'userName';

/** Connect's identity management (DescribeInstance): only on SAML do agents sign in through Identity Center. */
export type IdentityManagementType = 'SAML' | 'CONNECT_MANAGED' | 'EXISTING_DIRECTORY';

/**
 * How a Connect user's Identity Center identity is found and what it must hold:
 * - SAML: the Connect Username is the sign-in name. An identity is linked only when its sign-in attribute equals it
 *   exactly (case included); a created identity carries it exactly. Connect matches the RoleSessionName against the
 *   Username case-sensitively ("All Amazon Connect usernames are case sensitive, even when using SAML").
 * - CONNECT_MANAGED / EXISTING_DIRECTORY: agents do not sign in through Identity Center; the email (Email, else
 *   SecondaryEmail, else the Username when it is an address) keys the identity, compared ignoring case.
 */
export interface SignInRule {
  identityManagement: IdentityManagementType;
  saml: boolean;
  attribute: SignInAttribute;
}

// Pragmatic address check: one @, no spaces, a dot in the domain. Identity Center validates further.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const isEmailAddress = (value: string | undefined): value is string => value !== undefined && EMAIL.test(value);

/** What STS accepts as a RoleSessionName: 2-64 characters of [\w+=,.@-]. */
const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** Whether a Username can be a sign-in name under `attribute` (signInNameOf says why not). */
export const canSignInAs = (username: string, attribute: SignInAttribute): boolean =>
  ROLE_SESSION_NAME.test(username) && (attribute !== 'email' || isEmailAddress(username));

/**
 * The sign-in name of a Connect user on a SAML instance: its Username, exactly. Throws SIGN_IN_NAME_INVALID when it
 * can never be a RoleSessionName, and NO_EMAIL in `email` mode when it is not an email address (the sign-in
 * attribute is then an email that cannot hold it).
 */
export function signInNameOf(user: Pick<ConnectUser, 'username'>, attribute: SignInAttribute): string {
  const name = user.username;
  if (!ROLE_SESSION_NAME.test(name)) {
    throw new PermanentError(
      'SIGN_IN_NAME_INVALID',
      'the Connect Username can never be a SAML RoleSessionName (2-64 characters of letters, digits and _+=,.@-): ' +
        'no Identity Center user can sign in as it; re-create the Connect user with a valid Username',
    );
  }
  if (attribute === 'email' && !isEmailAddress(name)) {
    throw new PermanentError(
      'NO_EMAIL',
      'the Connect Username is not an email address, and the Amazon Connect application sends the primary email as ' +
        'RoleSessionName (SIGN_IN_ATTRIBUTE=email): no identity can sign in as it; if the application sends the ' +
        'UserName instead, set SIGN_IN_ATTRIBUTE=userName',
    );
  }
  return name;
}

/** The value an identity sends as RoleSessionName under `attribute`. */
export const signInValueOf = (identity: Pick<IdentityUser, 'email' | 'userName'>, attribute: SignInAttribute): string | undefined =>
  attribute === 'email' ? identity.email : identity.userName;

/** The Identity Store attribute path of a sign-in attribute (GetUserId's UniqueAttribute). */
export const attributeLabel = (attribute: SignInAttribute): string => (attribute === 'email' ? 'primary email' : 'UserName');

/** exact: signs in; case: differs only in letter case or surrounding spaces (cannot sign in); other: another name. */
export type SignInMatch = 'exact' | 'case' | 'other';

export function compareSignIn(value: string | undefined, signInName: string): SignInMatch {
  if (value === signInName) return 'exact';
  return value !== undefined && value.trim().toLowerCase() === signInName.trim().toLowerCase() ? 'case' : 'other';
}

/** How two names differ, without either value (for log lines and dead-letter reasons). */
function difference(a: string, b: string): string {
  if (compareSignIn(a, b) === 'other') return 'more than letter case: they are different names';
  if (a.length !== b.length) return 'surrounding spaces';
  const at: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) at.push(i + 1);
  return `letter case at character${at.length > 1 ? 's' : ''} ${at.join(', ')}`;
}

/** Wraps a value that is personal data: `redact` (redact.ts) removes it from log lines and dead-letter reasons. */
export const personal = (value: string): string => `‹${value}›`;

/** A message for an operator's screen: the marked values shown in quotes. */
export const unmarked = (message: string): string => message.replace(/[‹›]/g, '"');

/**
 * SIGN_IN_NAME_MISMATCH: the identity's sign-in attribute is not exactly the Connect Username (it differs in case or
 * spaces, or a linked identity holds another name). The message names both forms (removed from logs) and how they differ.
 */
export function signInMismatch(identityUserId: string, value: string, signInName: string, attribute: SignInAttribute): PermanentError {
  return new PermanentError(
    'SIGN_IN_NAME_MISMATCH',
    `Identity Center user ${identityUserId} has ${attributeLabel(attribute)} ${personal(value)} but the Connect Username is ` +
      `${personal(signInName)} (they differ in ${difference(value, signInName)}): Connect compares them exactly, ` +
      `so this agent cannot sign in with it; nothing was linked or changed. Fix: set the identity's ${attributeLabel(attribute)} to ` +
      'exactly the Connect Username (a Connect Username cannot be changed), or re-create the Connect user with the ' +
      "identity's form, then run `connect-sso-sync user <id> --apply`",
  );
}
