import { ListUsersCommand, type ConnectClient } from '@aws-sdk/client-connect';
import type { ConnectUserLister, ConnectUserPage } from '../core/operator-ports.js';
import { call } from './sdk-errors.js';

/**
 * Connect's ListUsers, one page (up to 1000 users) at a time, each call waiting for `pace` first: ListUsers has its
 * own 2 requests/s limit, separate from DescribeUser's. The next page is fetched only when the caller asks for it.
 */
export function connectUserLister(client: ConnectClient, pace: () => Promise<void>, pageSize = 1000): ConnectUserLister {
  return {
    async *pages(instanceId, startToken): AsyncGenerator<ConnectUserPage> {
      let token = startToken;
      do {
        await pace();
        const out = await call('connect:ListUsers', () =>
          client.send(new ListUsersCommand({ InstanceId: instanceId, MaxResults: pageSize, NextToken: token })),
        );
        const users = (out.UserSummaryList ?? []).flatMap((u) => (u.Id && u.Username ? [{ id: u.Id, username: u.Username }] : []));
        yield { token, users, nextToken: out.NextToken || undefined };
        token = out.NextToken || undefined;
      } while (token);
    },
  };
}
