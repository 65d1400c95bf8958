import type { ConnectUserRow } from '../reconcile-plan.js';
import type { IdentityManagementType } from '../sign-in.js';

/** A user of the Amazon Connect instance, as DescribeUser reports it. */
export interface ConnectUser {
  id: string;
  username: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  secondaryEmail?: string;
  securityProfileIds: string[];
  /** When the Connect user was last changed (ISO 8601), as Connect reports it: a remembered failure is retried after a change. */
  lastModifiedTime?: string;
}

export interface SecurityProfile {
  id: string;
  name: string;
}

export interface ConnectDirectory {
  /** The user, or undefined when the instance has no such user. */
  describeUser(instanceId: string, userId: string): Promise<ConnectUser | undefined>;
  /** The id of the user with exactly this Username, or undefined. */
  findUserIdByUsername(instanceId: string, username: string): Promise<string | undefined>;
  listSecurityProfiles(instanceId: string): Promise<SecurityProfile[]>;
  /** How the instance manages identities (DescribeInstance): only SAML agents sign in through Identity Center. */
  identityManagementType(instanceId: string): Promise<IdentityManagementType>;
}

export interface ConnectUserLister {
  /**
   * Streams the instance's users page by page. `withProfiles` asks for their security profile ids (SearchUsers,
   * 500 a page); without, the cheaper ListUsers (1000 a page, id and Username only) is enough.
   */
  pages(instanceId: string, options: { withProfiles: boolean }): AsyncIterable<ConnectUserRow[]>;
}
