import { PermanentError } from './errors.js';
import type { ConnectUser, NewIdentityUser } from './ports.js';

// Pragmatic address check: one @, no spaces, a dot in the domain. Identity Center validates further.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The Connect user's email: IdentityInfo.Email, else SecondaryEmail, else the Username when it is an address. */
export function emailOf(user: ConnectUser): string {
  const candidates = [user.email, user.secondaryEmail, user.username];
  for (const candidate of candidates) {
    const value = candidate?.trim();
    if (value && EMAIL.test(value)) return value;
  }
  throw new PermanentError(
    'NO_EMAIL',
    'the Connect user has no Email, no SecondaryEmail and a Username that is not an email address',
  );
}

const clean = (value: string | undefined): string | undefined => value?.trim() || undefined;

/**
 * The Identity Center user to create for a Connect user. Identity Center requires a given name, a family name and
 * a display name; Connect's are optional on SAML instances. The rule for missing names:
 * - GivenName: FirstName, else the part of the email before the @;
 * - FamilyName: LastName, else "-" (a visible placeholder an administrator can correct later);
 * - DisplayName: "First Last" from the names Connect has, else the Connect Username.
 */
export function newIdentityUser(user: ConnectUser, email: string): NewIdentityUser {
  const first = clean(user.firstName);
  const last = clean(user.lastName);
  const localPart = email.slice(0, email.indexOf('@'));
  return {
    userName: user.username,
    displayName: [first, last].filter(Boolean).join(' ') || user.username,
    givenName: first ?? localPart,
    familyName: last ?? '-',
    email,
  };
}
