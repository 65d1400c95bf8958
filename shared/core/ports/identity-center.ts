/** The attributes of an Identity Center user that follow the Connect user (never the UserName). */
export interface IdentityAttributes {
  displayName: string;
  givenName: string;
  familyName: string;
  email: string;
}

export interface NewIdentityUser extends IdentityAttributes {
  userName: string;
}

/** An Identity Center user as DescribeUser reports it (the attributes the sync compares). */
export interface IdentityUser {
  id: string;
  userName: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  /** The primary email (else the first). */
  email?: string;
  /** When Identity Center created the user (epoch milliseconds), when it says. */
  createdAt?: number;
  /** ENABLED or DISABLED (UserStatus), when Identity Center says: a disabled user cannot sign in. */
  status?: string;
}

export type MembershipResult = 'added' | 'already-member';
export type RemovalResult = 'removed' | 'not-member';
export type AssignmentResult = 'assigned' | 'already-assigned';
export type PrincipalType = 'USER' | 'GROUP';

/**
 * Errors: adapters throw SyncErrors; a user a call names that does not exist is IDENTITY_NOT_FOUND, a group
 * GROUP_NOT_FOUND, a unique attribute taken ALREADY_EXISTS.
 */
export interface IdentityStore {
  findUserIdByEmail(email: string): Promise<string | undefined>;
  findUserIdByUserName(userName: string): Promise<string | undefined>;
  /** The user, or undefined when it does not exist. */
  describeUser(userId: string): Promise<IdentityUser | undefined>;
  createUser(user: NewIdentityUser): Promise<string>;
  /** Replaces the given attributes (only those). */
  updateUser(userId: string, changes: Partial<IdentityAttributes>): Promise<void>;
  /** Deletes the user; a user already gone is success. */
  deleteUser(userId: string): Promise<void>;
  findGroupIdByName(displayName: string): Promise<string | undefined>;
  createGroup(displayName: string, description: string): Promise<string>;
  /** Which of `groupIds` the user is a member of (one read per 100 groups). */
  memberships(userId: string, groupIds: readonly string[]): Promise<Set<string>>;
  /** Every group the user is a member of (all pages). */
  groupIdsOf(userId: string): Promise<Set<string>>;
  /** Adds the member; an existing membership is 'already-member', never an error. */
  addMember(groupId: string, userId: string): Promise<MembershipResult>;
  /** Removes the member; a membership already gone is 'not-member', never an error. */
  removeMember(groupId: string, userId: string): Promise<RemovalResult>;
  /**
   * Deletes the membership a listing saw, by its id (no lookup): 'not-member' when no membership has that id now (it
   * was removed, perhaps re-created under a new id: the caller then looks the membership up with removeMember).
   * `groupId` and `userId` name the membership for plans and logs; only the id is sent.
   */
  removeMembership(groupId: string, userId: string, membershipId: string): Promise<RemovalResult>;
}

/** What an Identity Center user can reach besides what this service manages (for the ownership rules). */
export interface PrincipalAccess {
  /** Applications the user is assigned to directly, other than the Amazon Connect application. */
  otherApplications: number;
  /** AWS account assignments (permission sets) of the user. */
  accounts: number;
}

export interface AppAssignments {
  /** Assigns the principal to the configured application; an existing assignment is 'already-assigned'. */
  assign(principalId: string, principalType: PrincipalType): Promise<AssignmentResult>;
  /** Removes the principal's assignment to the configured application; one already gone is success. */
  unassign(principalId: string, principalType: PrincipalType): Promise<void>;
  /** The user's direct application and account assignments beyond the configured application. */
  accessOf(userId: string): Promise<PrincipalAccess>;
}

export interface GroupMembers {
  /** The user ids of the group's members (every page). */
  memberIds(groupId: string): Promise<Set<string>>;
  /** The same listing with each member's membership id (user id -> MembershipId), where the source reports them. */
  membershipIds?(groupId: string): Promise<Map<string, string>>;
}

/** An Identity Center user as the store's listing reports it: what sign-in needs, no more. */
export type IdentityRow = Pick<IdentityUser, 'id' | 'userName' | 'email' | 'status'>;

export interface IdentityLister {
  /** Streams every user of the identity store (ListUsers: complete users, 100 a page). */
  pages(): AsyncIterable<IdentityRow[]>;
}

export interface AssignmentReader {
  /** Keys `USER:<id>` / `GROUP:<id>` of every principal assigned to the application. */
  assignedPrincipals(): Promise<Set<string>>;
}

/** Whether a principal is assigned to the Amazon Connect application (one DescribeApplicationAssignment). */
export interface AssignmentCheck {
  isAssigned(principalId: string, principalType: PrincipalType): Promise<boolean>;
}
