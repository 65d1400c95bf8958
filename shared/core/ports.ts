/**
 * What the sync core needs from the outside world, in its own words. Adapters in shared/adapters implement these
 * with the AWS SDK; tests use in-memory fakes. No SDK type appears here.
 */

/** A user of the Amazon Connect instance, as DescribeUser reports it. */
export interface ConnectUser {
  id: string;
  username: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  secondaryEmail?: string;
  securityProfileIds: string[];
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
  /** Every security profile of the instance. */
  listSecurityProfiles(instanceId: string): Promise<SecurityProfile[]>;
}

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

/**
 * One Connect user the service has synced: who it is in Identity Center, whether this service created that
 * Identity Center user, and the managed groups it put it in. Ids and flags only: no email, no name.
 */
export interface Link {
  instanceId: string;
  connectUserId: string;
  identityUserId: string;
  created: boolean;
  groupIds: string[];
  createdAt: string;
  updatedAt: string;
}

export interface LinkStore {
  get(instanceId: string, connectUserId: string): Promise<Link | undefined>;
  /**
   * Writes the link (and forgets the creation attempts); `created` is never turned from true to false. Throws
   * RetryableError CONFLICT_UNRESOLVED when the Connect user is linked to another identity meanwhile.
   */
  put(link: Link): Promise<void>;
  /**
   * Notes that the service is about to create the Identity Center user of a Connect user not linked yet: if the
   * attempt is cut off after Identity Center created it (a timeout, a crash), the next attempt can still tell that
   * this service created it (see sync-user.ts).
   */
  recordCreationAttempt(instanceId: string, connectUserId: string, at: string): Promise<void>;
  /** The creation attempts recorded for a Connect user not linked yet (ISO timestamps). */
  creationAttempts(instanceId: string, connectUserId: string): Promise<string[]>;
  /**
   * Claims the Identity Center user for the Connect user (one identity, one Connect user of the instance).
   * Resolves with the Connect user id that holds the claim: `connectUserId` itself when the claim is (now) ours.
   */
  claim(instanceId: string, identityUserId: string, connectUserId: string): Promise<string>;
  /** Deletes the link and its claim (each only while it still names this pair). */
  delete(link: Pick<Link, 'instanceId' | 'connectUserId' | 'identityUserId'>): Promise<void>;
  /** Streams every link of the instance, page by page. */
  pages(instanceId: string): AsyncIterable<Link[]>;
}

export interface DeadLetter {
  code: string;
  message: string;
}

export interface DeadLetters {
  /** Puts the original message body in the dead-letter queue with the reason as message attributes. */
  send(body: string, reason: DeadLetter): Promise<void>;
}
