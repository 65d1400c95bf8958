/** Shared by the benchmark's sections: output, and the AWS calls the product made, read from the emulator's counters. */
import type { Emulator } from '../emulator/index.js';

export const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

export type Service = 'connect' | 'identitystore' | 'sso-admin' | 'dynamodb' | 'sts';
export type Calls = Record<Service, number> & { total: number; byApi: Record<string, number> };

// What the administrator does (and the admin tools' own profile look-ups): not calls of the product.
const ADMIN = new Set(['connect:CreateUser', 'connect:UpdateUserIdentityInfo', 'connect:UpdateUserSecurityProfiles', 'connect:DeleteUser']);

/** Calls the product made since the counters were last reset, per service and per API (SQS traffic excluded). */
export function productCalls(emulator: Emulator): Calls {
  const calls: Calls = { connect: 0, identitystore: 0, 'sso-admin': 0, dynamodb: 0, sts: 0, total: 0, byApi: {} };
  for (const [key, counts] of Object.entries(emulator.counters.snapshot())) {
    const service = key.split(':')[0] as Service;
    if (ADMIN.has(key) || !(service in calls) || counts.total === 0) continue;
    calls[service] += counts.total;
    calls.total += counts.total;
    calls.byApi[key] = counts.total;
  }
  return calls;
}

/** Throttled answers (rate limit or injected), SQS excluded. */
export const throttled = (emulator: Emulator): number =>
  Object.entries(emulator.counters.snapshot()).reduce((n, [key, c]) => n + (key.startsWith('sqs') ? 0 : c.throttled), 0);

export const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);
export const agent = (name: string, securityProfiles?: string[]) => ({
  username: `${name}@example.com`,
  // A SAML instance: the Username is the email; Connect refuses IdentityInfo.Email there.
  identity: { FirstName: name, LastName: 'Agent' },
  ...(securityProfiles && { securityProfiles }),
});

/** `work` over `items`, 25 at a time (the admin's tools, retrying Connect's throttling). */
export async function inBatches<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += 25) results.push(...(await Promise.all(items.slice(i, i + 25).map(work))));
  return results;
}

export const apiList = (calls: Calls): string =>
  Object.entries(calls.byApi)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([api, n]) => `${api} ${n}`)
    .join(', ');
