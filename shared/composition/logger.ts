import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. The rule: log ids, outcomes, codes and counts — never an email address, a person's name or a
 * whole event. Messages from AWS errors can echo request values, so they pass through `redact` first.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'connect-sso-sync' });

const EMAIL_LIKE = /[^\s@'"`,;:<>()[\]]+@[^\s@'"`,;:<>()[\]]+/g;
/** A value the core marked as personal data (`personal` in shared/core/sign-in.ts): a Username need not be an address. */
const MARKED = /‹[^›]*›/g;

/** Replaces anything that looks like an email address, and every value marked as personal. */
export function redact(text: string): string {
  return text.replace(MARKED, '[redacted]').replace(EMAIL_LIKE, '[redacted]');
}
