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
}

export interface ConnectDirectory {
  /** The user, or undefined when the instance has no such user. */
  describeUser(instanceId: string, userId: string): Promise<ConnectUser | undefined>;
  /** The id of the user with exactly this Username, or undefined. */
  findUserIdByUsername(instanceId: string, username: string): Promise<string | undefined>;
}

export interface NewIdentityUser {
  userName: string;
  displayName: string;
  givenName: string;
  familyName: string;
  email: string;
}

export type MembershipResult = 'added' | 'already-member';
export type AssignmentResult = 'assigned' | 'already-assigned';
export type PrincipalType = 'USER' | 'GROUP';

export interface IdentityStore {
  findUserIdByEmail(email: string): Promise<string | undefined>;
  findUserIdByUserName(userName: string): Promise<string | undefined>;
  /** Creates the user; throws PermanentError('ALREADY_EXISTS') when a unique attribute is taken. */
  createUser(user: NewIdentityUser): Promise<string>;
  findGroupIdByName(displayName: string): Promise<string | undefined>;
  /** Creates the group; throws PermanentError('ALREADY_EXISTS') when the name is taken. */
  createGroup(displayName: string): Promise<string>;
  isMember(groupId: string, userId: string): Promise<boolean>;
  /** Adds the member; an existing membership is 'already-member', never an error. */
  addMember(groupId: string, userId: string): Promise<MembershipResult>;
}

export interface AppAssignments {
  /** Assigns the principal to the configured application; an existing assignment is 'already-assigned'. */
  assign(principalId: string, principalType: PrincipalType): Promise<AssignmentResult>;
}

export interface DeadLetter {
  code: string;
  message: string;
}

export interface DeadLetters {
  /** Puts the original message body in the dead-letter queue with the reason as message attributes. */
  send(body: string, reason: DeadLetter): Promise<void>;
}
