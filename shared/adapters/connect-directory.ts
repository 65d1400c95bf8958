import { DescribeInstanceCommand, DescribeUserCommand, ListSecurityProfilesCommand, SearchUsersCommand, type ConnectClient } from '@aws-sdk/client-connect';
import type { ConnectDirectory, ConnectUser, SecurityProfile } from '../core/ports/index.js';
import type { IdentityManagementType } from '../core/sign-in.js';
import { paginate } from './paginate.js';
import { call, callUnlessAbsent } from './sdk-errors.js';

/** The Connect port over @aws-sdk/client-connect. Every call waits for `pace` first (see pacer.ts). */
export function connectDirectoryAdapter(client: ConnectClient, pace: () => Promise<void>): ConnectDirectory {
  return {
    async describeUser(instanceId, userId): Promise<ConnectUser | undefined> {
      await pace();
      const out = await callUnlessAbsent('connect:DescribeUser', () => client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId })));
      const user = out?.User;
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
    },

    async findUserIdByUsername(instanceId, username) {
      await pace();
      const SearchCriteria = { StringCondition: { FieldName: 'Username', Value: username, ComparisonType: 'EXACT' as const } };
      const search = new SearchUsersCommand({ InstanceId: instanceId, MaxResults: 10, SearchCriteria });
      const out = await call('connect:SearchUsers', () => client.send(search));
      // Whether EXACT ignores case is not documented (usernames are case-sensitive on SAML): the exact Username wins;
      // else the one user whose Username differs only in case, so the answer is the same either way.
      return pickUsername(out.Users ?? [], username);
    },

    async identityManagementType(instanceId): Promise<IdentityManagementType> {
      await pace();
      const out = await call('connect:DescribeInstance', () => client.send(new DescribeInstanceCommand({ InstanceId: instanceId })));
      const type = out.Instance?.IdentityManagementType;
      // An unknown or missing answer is taken as SAML: the stricter rule (exact sign-in names) can only refuse, never over-link.
      return type === 'CONNECT_MANAGED' || type === 'EXISTING_DIRECTORY' ? type : 'SAML';
    },

    async listSecurityProfiles(instanceId) {
      const profiles: SecurityProfile[] = [];
      const pages = paginate(
        (token) => call('connect:ListSecurityProfiles', () => client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId, MaxResults: 1000, NextToken: token }))),
        { before: pace },
      );
      for await (const out of pages) for (const p of out.SecurityProfileSummaryList ?? []) if (p.Id && p.Name) profiles.push({ id: p.Id, name: p.Name });
      return profiles;
    },
  };
}

/** The user named exactly `username`, else the only one named so but for case (two such: none, as no answer is safe). */
export function pickUsername<T extends { Id?: string; Username?: string }>(users: readonly T[], username: string): string | undefined {
  const exact = users.find((u) => u.Username === username);
  if (exact) return exact.Id;
  const folded = users.filter((u) => u.Username?.toLowerCase() === username.toLowerCase());
  return folded.length === 1 ? folded[0]?.Id : undefined;
}
