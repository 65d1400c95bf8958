const EMAIL_LIKE = /[^\s@'"`,;:<>()[\]]+@[^\s@'"`,;:<>()[\]]+/g;
/** A value the core marked as personal data (`personal` in sign-in.ts): a Username need not be an address. */
const MARKED = /‹[^›]*›/g;

/** Replaces anything that looks like an email address, and every value marked as personal (log lines, dead-letter reasons). */
export function redact(text: string): string {
  return text.replace(MARKED, '[redacted]').replace(EMAIL_LIKE, '[redacted]');
}
