import {
  changedAttributes,
  cleanText,
  emailOf,
  emailsMatch,
  emailWithSource,
  identityAttributes,
  MAX_NAME,
  newIdentityUser,
} from '../../../shared/core/identity-profile.js';
import type { ConnectUser } from '../../../shared/core/ports/index.js';

const user = (overrides: Partial<ConnectUser> = {}): ConnectUser => ({
  id: 'c-1',
  username: 'maria.garcia@example.com',
  firstName: 'Maria',
  lastName: 'Garcia',
  email: 'maria.garcia@example.com',
  securityProfileIds: [],
  ...overrides,
});

const hasLoneSurrogate = (text: string) => /\p{Cs}/u.test(text);

describe('emailOf', () => {
  it('takes Email, else SecondaryEmail, else the Username when it is an address, trimmed', () => {
    expect(emailOf(user({ email: ' a@example.com ' }))).toBe('a@example.com');
    expect(emailOf(user({ email: undefined, secondaryEmail: 's@example.com' }))).toBe('s@example.com');
    expect(emailOf(user({ email: 'not an address', secondaryEmail: undefined }))).toBe('maria.garcia@example.com');
  });

  it('fails with NO_EMAIL when nothing is an address', () => {
    const noEmail = user({ email: undefined, username: 'agent_007' });

    expect(() => emailOf(noEmail)).toThrow(expect.objectContaining({ code: 'NO_EMAIL', retryable: false }));
  });

  it('says which field the email came from (what `connect-sso-sync user` shows), by the same rule', () => {
    expect(emailWithSource(user())).toEqual({ email: 'maria.garcia@example.com', source: 'Email' });
    expect(emailWithSource(user({ email: 'not an address', secondaryEmail: 's@example.com' }))).toEqual({ email: 's@example.com', source: 'SecondaryEmail' });
    expect(emailWithSource(user({ email: undefined }))).toEqual({ email: 'maria.garcia@example.com', source: 'Username' });
  });
});

describe('cleanText', () => {
  it.each([
    ['a soft hyphen (U+00AD)', 'Ma\u00ADria', 'Maria'],
    ['a zero-width space (U+200B)', 'Ma\u200Bria', 'Maria'],
    ['a left-to-right mark (U+200E)', '\u200EMaria', 'Maria'],
    ['a zero-width joiner (U+200D) and a BOM (U+FEFF)', 'Ma\u200Dri\uFEFFa', 'Maria'],
    ['control characters', 'Ma\u0000ri\u0007a', 'Maria'],
  ])('removes %s', (_, raw, cleaned) => {
    expect(cleanText(raw)).toBe(cleaned);
  });

  it('collapses blanks and trims, and answers undefined for nothing left', () => {
    expect(cleanText('  Maria   José  ')).toBe('Maria José');
    expect(cleanText('Maria\nGarcia\tLopez')).toBe('Maria Garcia Lopez');
    expect(cleanText('\u200B \u00AD')).toBeUndefined();
    expect(cleanText(undefined)).toBeUndefined();
  });

  it('keeps letters, marks and emoji of any script', () => {
    expect(cleanText('Zoë Ørsted 李 👩🏽‍💻')).toBe('Zoë Ørsted 李 👩🏽💻');
  });

  it('cuts a name over 1,024 characters without splitting a surrogate pair', () => {
    const name = `${'a'.repeat(MAX_NAME - 1)}😀😀tail`;

    const cut = cleanText(name) ?? '';

    expect(Array.from(cut)).toHaveLength(MAX_NAME);
    expect(cut.endsWith('a😀')).toBe(true);
    expect(hasLoneSurrogate(cut)).toBe(false);
  });

  it('keeps a name of exactly 1,024 characters whole', () => {
    const name = '😀'.repeat(MAX_NAME);

    expect(cleanText(name)).toBe(name);
  });
});

describe('identityAttributes', () => {
  it('uses the Connect names, DisplayName "First Last"', () => {
    expect(identityAttributes(user(), 'maria.garcia@example.com')).toEqual({
      displayName: 'Maria Garcia',
      givenName: 'Maria',
      familyName: 'Garcia',
      email: 'maria.garcia@example.com',
    });
  });

  it('fills missing names: the email local part, "-", and the Username', () => {
    const noNames = user({ firstName: undefined, lastName: '\u200B', username: 'mgarcia' });

    expect(identityAttributes(noNames, 'maria.garcia@example.com')).toEqual({
      displayName: 'mgarcia',
      givenName: 'maria.garcia',
      familyName: '-',
      email: 'maria.garcia@example.com',
    });
  });

  it('cuts a DisplayName made of two long names to 1,024 characters', () => {
    const long = user({ firstName: 'f'.repeat(1000), lastName: 'l'.repeat(1000) });

    const attributes = identityAttributes(long, 'x@example.com');

    expect(Array.from(attributes.displayName)).toHaveLength(MAX_NAME);
    expect(attributes.givenName).toHaveLength(1000);
  });

  it('gives a new identity the Connect Username as UserName', () => {
    expect(newIdentityUser(user({ username: 'mgarcia' }), 'maria.garcia@example.com').userName).toBe('mgarcia');
  });
});

describe('changedAttributes', () => {
  const current = { id: 'u-1', userName: 'mgarcia', displayName: 'Maria Garcia', givenName: 'Maria', familyName: 'Garcia', email: 'maria@example.com' };

  it('answers only what differs, and an email differing only in case is the same', () => {
    const wanted = { displayName: 'Maria Lopez', givenName: 'Maria', familyName: 'Lopez', email: 'MARIA@example.com' };

    expect(changedAttributes(current, wanted)).toEqual({ displayName: 'Maria Lopez', familyName: 'Lopez' });
  });

  it('fills attributes the identity lacks', () => {
    const bare = { id: 'u-1', userName: 'mgarcia' };
    const wanted = { displayName: 'Maria Garcia', givenName: 'Maria', familyName: 'Garcia', email: 'maria@example.com' };

    expect(changedAttributes(bare, wanted)).toEqual(wanted);
  });
});

describe('emailsMatch', () => {
  it('compares addresses ignoring case and surrounding blanks; nothing matches a missing one', () => {
    expect(emailsMatch(' Maria@Example.com', 'maria@example.com ')).toBe(true);
    expect(emailsMatch('maria@example.com', 'mario@example.com')).toBe(false);
    expect(emailsMatch(undefined, 'maria@example.com')).toBe(false);
    expect(emailsMatch(undefined, undefined)).toBe(false);
  });
});
