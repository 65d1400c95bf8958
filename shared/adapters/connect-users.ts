import { ListUsersCommand, SearchUsersCommand, type ConnectClient } from '@aws-sdk/client-connect';
import type { ConnectUserLister } from '../core/ports/index.js';
import type { ConnectUserRow } from '../core/reconcile-plan.js';
import { call } from './sdk-errors.js';

/**
 * The instance's users, one page at a time, each call waiting for `pace` first. Without profiles: ListUsers, 1000
 * users a page (id and Username). With profiles (a role mapping by security profile): SearchUsers, 500 a page, which
 * also returns each user's SecurityProfileIds — twice the pages, but no DescribeUser per user. Both have their own
 * Connect rate limit. The next page is fetched only when the caller asks for it. Only ListUsers reports
 * LastModifiedTime.
 */
export function connectUserLister(client: ConnectClient, pace: () => Promise<void>): ConnectUserLister {
  return {
    async *pages(instanceId, { withProfiles }) {
      let token: string | undefined;
      do {
        await pace();
        const page = withProfiles ? await search(client, instanceId, token) : await list(client, instanceId, token);
        yield page.users;
        token = page.next;
      } while (token);
    },
  };
}

async function list(client: ConnectClient, instanceId: string, token: string | undefined) {
  const out = await call('connect:ListUsers', () =>
    client.send(new ListUsersCommand({ InstanceId: instanceId, MaxResults: 1000, NextToken: token })),
  );
  const users = (out.UserSummaryList ?? []).flatMap((u): ConnectUserRow[] =>
    u.Id && u.Username ? [{ id: u.Id, username: u.Username, ...modified(u.LastModifiedTime) }] : [],
  );
  return { users, next: out.NextToken || undefined };
}

async function search(client: ConnectClient, instanceId: string, token: string | undefined) {
  const out = await call('connect:SearchUsers', () =>
    client.send(new SearchUsersCommand({ InstanceId: instanceId, MaxResults: 500, NextToken: token })),
  );
  const users = (out.Users ?? []).flatMap((u): ConnectUserRow[] =>
    u.Id && u.Username ? [{ id: u.Id, username: u.Username, securityProfileIds: u.SecurityProfileIds ?? [] }] : [],
  );
  return { users, next: out.NextToken || undefined };
}

/** LastModifiedTime as the sync records it with a failure (DescribeUser's, in ISO 8601): equal when unchanged. */
const modified = (at: Date | undefined) => (at ? { lastModifiedTime: at.toISOString() } : {});
