import { DescribeUserCommand, ListSecurityProfilesCommand, SearchUsersCommand, type ConnectClient } from '@aws-sdk/client-connect';
import type { ConnectDirectory, ConnectUser, SecurityProfile } from '../core/ports.js';
import { awsErrorName, call, classifySdkError } from './sdk-errors.js';

/** The Connect port over @aws-sdk/client-connect. Every call waits for `pace` first (see pacer.ts). */
export function connectDirectoryAdapter(client: ConnectClient, pace: () => Promise<void>): ConnectDirectory {
  return {
    async describeUser(instanceId, userId): Promise<ConnectUser | undefined> {
      await pace();
      try {
        const { User: user } = await client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }));
        if (!user?.Id || !user.Username) return undefined;
        const info = user.IdentityInfo;
        return {
          id: user.Id,
          username: user.Username,
          firstName: info?.FirstName,
          lastName: info?.LastName,
          email: info?.Email,
          secondaryEmail: info?.SecondaryEmail,
          securityProfileIds: user.SecurityProfileIds ?? [],
          ...(user.LastModifiedTime && { lastModifiedTime: user.LastModifiedTime.toISOString() }),
        };
      } catch (error) {
        if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
        throw classifySdkError(error, 'connect:DescribeUser');
      }
    },

    async findUserIdByUsername(instanceId, username) {
      await pace();
      const out = await call('connect:SearchUsers', () =>
        client.send(
          new SearchUsersCommand({
            InstanceId: instanceId,
            MaxResults: 10,
            SearchCriteria: { StringCondition: { FieldName: 'Username', Value: username, ComparisonType: 'EXACT' } },
          }),
        ),
      );
      // Whether EXACT ignores case is not documented, and Connect usernames are case sensitive (Ana@ and ana@ may be two
      // users): the user with exactly this Username, else the only one equal but for case; never the first of several.
      const users = out.Users ?? [];
      const exact = users.find((u) => u.Username === username);
      const folded = users.filter((u) => u.Username?.toLowerCase() === username.toLowerCase());
      return exact?.Id ?? (folded.length === 1 ? folded[0]?.Id : undefined);
    },

    async listSecurityProfiles(instanceId) {
      const profiles: SecurityProfile[] = [];
      let token: string | undefined;
      do {
        await pace();
        const out = await call('connect:ListSecurityProfiles', () =>
          client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId, MaxResults: 1000, NextToken: token })),
        );
        for (const p of out.SecurityProfileSummaryList ?? []) if (p.Id && p.Name) profiles.push({ id: p.Id, name: p.Name });
        token = out.NextToken || undefined;
      } while (token);
      return profiles;
    },
  };
}
