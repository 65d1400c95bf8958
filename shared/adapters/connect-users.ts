import { ListUsersCommand, SearchUsersCommand, type ConnectClient } from '@aws-sdk/client-connect';
import type { ConnectUserLister } from '../core/ports/index.js';
import type { ConnectUserRow } from '../core/reconcile-plan.js';
import { paginate } from './paginate.js';
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
      if (withProfiles) {
        const pages = paginate(
          (token) => call('connect:SearchUsers', () => client.send(new SearchUsersCommand({ InstanceId: instanceId, MaxResults: 500, NextToken: token }))),
          { before: pace },
        );
        for await (const out of pages) {
          yield (out.Users ?? []).flatMap((u): ConnectUserRow[] =>
            u.Id && u.Username ? [{ id: u.Id, username: u.Username, securityProfileIds: u.SecurityProfileIds ?? [] }] : [],
          );
        }
        return;
      }
      const pages = paginate(
        (token) => call('connect:ListUsers', () => client.send(new ListUsersCommand({ InstanceId: instanceId, MaxResults: 1000, NextToken: token }))),
        { before: pace },
      );
      for await (const out of pages) {
        yield (out.UserSummaryList ?? []).flatMap((u): ConnectUserRow[] =>
          u.Id && u.Username ? [{ id: u.Id, username: u.Username, ...modified(u.LastModifiedTime) }] : [],
        );
      }
    },
  };
}

/** LastModifiedTime as the sync records it with a failure (DescribeUser's, in ISO 8601): equal when unchanged. */
const modified = (at: Date | undefined) => (at ? { lastModifiedTime: at.toISOString() } : {});
