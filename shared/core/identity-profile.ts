import { PermanentError } from './errors.js';
import type { ConnectUser, IdentityAttributes, IdentityUser, NewIdentityUser } from './ports/index.js';
import { isEmailAddress } from './sign-in.js';

/** Which Connect field the sync takes the email from. */
export type EmailSource = 'Email' | 'SecondaryEmail' | 'Username';

/** The Connect user's email: IdentityInfo.Email, else SecondaryEmail, else the Username when it is an address. */
export const emailOf = (user: ConnectUser): string => emailWithSource(user).email;

/** emailOf, and the field it came from (what `connect-sso-sync user` shows). Throws NO_EMAIL as emailOf does. */
export function emailWithSource(user: ConnectUser): { email: string; source: EmailSource } {
  const found = findEmail(user);
  if (found) return found;
  throw new PermanentError('NO_EMAIL', 'the Connect user has no Email, no SecondaryEmail and a Username that is not an email address');
}

/** emailWithSource, or undefined when the Connect user has no email. */
export function findEmail(user: ConnectUser): { email: string; source: EmailSource } | undefined {
  const candidates: [EmailSource, string | undefined][] = [['Email', user.email], ['SecondaryEmail', user.secondaryEmail], ['Username', user.username]];
  for (const [source, candidate] of candidates) {
    const value = candidate?.trim();
    if (value && isEmailAddress(value)) return { email: value, source };
  }
  return undefined;
}

/** Identity Center's limit for names and DisplayName, in characters (code points). */
export const MAX_NAME = 1024;

// Control (Cc) and format (Cf) characters: Identity Center refuses names holding them (soft hyphen, zero-width
// spaces and joiners, direction marks). Connect accepts them, so a name pasted from a document can carry them.
const FORMAT = /\p{Cf}/gu;
const CONTROL = /\p{Cc}/gu;

/** `value` without control or format characters, blanks collapsed, cut to `max` code points; undefined when empty. */
export function cleanText(value: string | undefined, max = MAX_NAME): string | undefined {
  // Format characters go (a BOM is \s to JavaScript), blanks collapse (a line break between names is a space), then
  // the control characters left.
  const cleaned = value?.replace(FORMAT, '').replace(/\s+/g, ' ').replace(CONTROL, '').trim();
  if (!cleaned) return undefined;
  // Array.from splits by code point: a surrogate pair is never cut in half.
  const chars = Array.from(cleaned);
  return chars.length > max ? chars.slice(0, max).join('').trimEnd() : cleaned;
}

/**
 * The Identity Center attributes of a Connect user. Identity Center requires a given name, a family name and a
 * display name; Connect's are optional on SAML instances. The rule for missing names:
 * - GivenName: FirstName, else the part of the email before the @;
 * - FamilyName: LastName, else "-" (a visible placeholder an administrator can correct later);
 * - DisplayName: "First Last" from the names Connect has, else the Connect Username.
 * Names are cleaned of characters Identity Center refuses and cut to its 1,024-character limit.
 */
export function identityAttributes(user: ConnectUser, email: string): IdentityAttributes {
  const first = cleanText(user.firstName);
  const last = cleanText(user.lastName);
  const localPart = email.slice(0, email.indexOf('@'));
  return {
    displayName: cleanText([first, last].filter(Boolean).join(' ')) ?? user.username,
    givenName: first ?? localPart,
    familyName: last ?? '-',
    email,
  };
}

/** The Identity Center user to create for a Connect user: its attributes, and the Connect Username as UserName. */
export function newIdentityUser(user: ConnectUser, email: string): NewIdentityUser {
  return { userName: user.username, ...identityAttributes(user, email) };
}

/** True when two email addresses are the same mailbox as far as the sync can tell (case-insensitive). */
export const emailsMatch = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The attributes of `current` that differ from `wanted`. An email differing only in case is the same mailbox, unless
 * `exactEmail` (on a SAML instance in email mode the email is the sign-in name, compared exactly by Connect).
 */
export function changedAttributes(current: IdentityUser, wanted: IdentityAttributes, exactEmail = false): Partial<IdentityAttributes> {
  const changes: Partial<IdentityAttributes> = {};
  for (const name of ['displayName', 'givenName', 'familyName'] as const) if (current[name] !== wanted[name]) changes[name] = wanted[name];
  if (exactEmail ? current.email !== wanted.email : !emailsMatch(current.email, wanted.email)) changes.email = wanted.email;
  return changes;
}
