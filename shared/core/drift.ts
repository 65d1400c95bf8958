import type { IdentityDirectory } from './operator-ports.js';
import type { ConnectDirectory } from './ports.js';

/**
 * Drift: members of the agents group that match no Connect user. Reported only; never removed (a person may be in
 * the group on purpose, or belong to another instance).
 *
 * A member matches when its userName, or one of its emails, equals a Connect Username or a Connect user's email
 * (the same keys the sync core matches on). Connect's emails are known only for users read with DescribeUser during
 * the run: the set of names costs about 100 bytes per Connect user (1 MB for 10,000), the only memory that grows.
 */
export class ConnectIdentities {
  private readonly keys = new Set<string>();

  add(value: string | undefined): void {
    const key = value?.trim().toLowerCase();
    if (key) this.keys.add(key);
  }

  has(value: string | undefined): boolean {
    const key = value?.trim().toLowerCase();
    return key ? this.keys.has(key) : false;
  }

  get size(): number {
    return this.keys.size;
  }
}

/** The Connect port, unchanged, noting the Username and emails of every user read into `known`. */
export function recordingConnectDirectory(inner: ConnectDirectory, known: ConnectIdentities): ConnectDirectory {
  return {
    async describeUser(instanceId, userId) {
      const user = await inner.describeUser(instanceId, userId);
      known.add(user?.username);
      known.add(user?.email);
      known.add(user?.secondaryEmail);
      return user;
    },
    findUserIdByUsername: (instanceId, username) => inner.findUserIdByUsername(instanceId, username),
  };
}

export interface DriftEntry {
  identityUserId: string;
  userName?: string;
}

export interface DriftReport {
  members: number;
  drift: DriftEntry[];
}

/** Members of `groupId` matching nothing in `known`. Reads the group page by page, each member with DescribeUser. */
export async function findDrift(directory: IdentityDirectory, groupId: string, known: ConnectIdentities): Promise<DriftReport> {
  const report: DriftReport = { members: 0, drift: [] };
  for await (const memberIds of directory.groupMemberPages(groupId)) {
    // Ten reads at a time: well within Identity Store's rate, without a burst of a hundred.
    for (let i = 0; i < memberIds.length; i += 10) {
      const ids = memberIds.slice(i, i + 10);
      const users = await Promise.all(ids.map((id) => directory.describeUser(id)));
      ids.forEach((id, j) => {
        report.members += 1;
        const user = users[j];
        if (!user) return; // deleted since the membership was listed
        if (known.has(user.userName) || user.emails.some((email) => known.has(email))) return;
        report.drift.push({ identityUserId: id, userName: user.userName });
      });
    }
  }
  return report;
}
