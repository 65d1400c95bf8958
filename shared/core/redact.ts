const EMAIL_LIKE = /[^\s@'"`,;:<>()[\]]+@[^\s@'"`,;:<>()[\]]+/g;
/** A value the core marked as personal data (`personal` in sign-in.ts): a Username need not be an address. */
const MARKED = /‹[^›]*›/g;

/**
 * The rule of every log line and dead-letter reason: ids, outcomes, codes and counts, never an email address or a
 * person's name. Messages from AWS errors can echo request values, so they pass through here first: replaces
 * anything that looks like an email address, and every value marked as personal.
 */
export function redact(text: string): string {
  return text.replace(MARKED, '[redacted]').replace(EMAIL_LIKE, '[redacted]');
}
