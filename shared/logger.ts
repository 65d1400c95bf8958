import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. The rule: log ids, outcomes, codes and counts — never an email address, a person's name or a
 * whole event. Messages from AWS errors can echo request values, so they pass through `redact` first.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'connect-sso-sync' });

const EMAIL_LIKE = /[^\s@'"`,;:<>()[\]]+@[^\s@'"`,;:<>()[\]]+/g;

/** Replaces anything that looks like an email address. */
export function redact(text: string): string {
  return text.replace(EMAIL_LIKE, '[redacted]');
}
