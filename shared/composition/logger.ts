import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. The rule: log ids, outcomes, codes and counts — never an email address, a person's name or a
 * whole event. Messages from AWS errors can echo request values, so they pass through `redact` (core/redact.ts) first.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'connect-sso-sync' });
