import type { IdentityManagementType } from './sign-in.js';

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
  /** Every security profile of the instance. */
  listSecurityProfiles(instanceId: string): Promise<SecurityProfile[]>;
  /** How the instance manages identities (DescribeInstance): only SAML agents sign in through Identity Center. */
  identityManagementType(instanceId: string): Promise<IdentityManagementType>;
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

/** A sync of a Connect user that failed permanently, remembered so that no background loop repeats it unchanged. */
export interface KnownFailure {
  code: string;
  /** When it first failed this way (ISO 8601). */
  since: string;
  /** The Connect user's LastModifiedTime when it failed: a change in Connect makes it worth trying again. */
  connectModifiedAt?: string;
  /** How many times in a row it failed this way (1, or absent, when first remembered): the back-off grows with it. */
  attempts?: number;
  /** When it last failed this way (ISO 8601; `since` when absent): the back-off counts from here. */
  lastAt?: string;
  /** The Identity Center user the failure names (the identity another Connect user holds), when it names one. */
  identityUserId?: string;
}

/**
 * What failed, so that each failure is remembered for what it stops and no more: `sync` (create, link, groups,
 * assignment), `update` (the identity's attributes: the groups are repaired regardless), `deprovision` (taking access
 * away from a Connect user whose deletion was confirmed).
 */
export type FailureStep = 'sync' | 'update' | 'deprovision';

/** Whether a remembered failure was new (first of its kind for this Connect user state) or the same one again. */
export type FailureRecorded = 'new' | 'repeated';

/** What the link table knows about one Connect user. */
export interface UserRecord {
  connectUserId: string;
  link?: Link;
  /** Set when the Connect user's deletion was confirmed (a tombstone): Connect never reuses an id, so it is final. */
  deletedAt?: string;
  /** The remembered failure of its sync. */
  failure?: KnownFailure;
  /** The remembered failure of its identity's update (UpdateUserIdentityInfo): it does not hold its groups back. */
  updateFailure?: KnownFailure;
  /** The remembered failure of its deprovision (e.g. PROTECTED_IDENTITY), after its deletion was confirmed. */
  deprovisionFailure?: KnownFailure;
  /**
   * The identities a sync claimed for it (written before the claim, so before any membership): what a sync that died
   * before its link wrote is findable from the Connect user id. A claim named here may since have been released.
   */
  claims?: string[];
}

/** The ownership of an identity claimed for a Connect user: who holds it, and whether this service created it. */
export interface Claim {
  holder: string;
  /** The service created this identity, as recorded once per identity (it outlives links and deprovisioning). */
  created: boolean;
}

/** A claim as the table holds it: the holder (absent once released), the creator flag and what its syncs added. */
export interface ClaimRecord {
  holder?: string;
  /** The Connect user whose claim was released last (its deprovision): how `user <email>` finds a deleted agent. */
  formerHolder?: string;
  created: boolean;
  /** The managed groups the holder's syncs were about to add the identity to (written before they were added). */
  groupIds: string[];
}

export interface LinkStore {
  /** Everything the table holds about the Connect user (an empty record when nothing). */
  get(instanceId: string, connectUserId: string): Promise<UserRecord>;
  /**
   * Writes the link (and forgets the creation attempts and any remembered failure); `created` is never turned from
   * true to false. Throws RetryableError CONFLICT_UNRESOLVED when the Connect user is linked to another identity
   * meanwhile, PermanentError CONNECT_USER_DELETED when its deletion was confirmed meanwhile (a tombstone).
   */
  put(link: Link): Promise<void>;
  /**
   * Links a Connect user to an identity that already exists and is already where it should be (reconcile's adoption
   * from the listings), with conditional writes and no read: claims the identity (only when no other Connect user
   * holds it; a claim this Connect user already holds is kept), then writes the link and names the claim on the Connect user's record (only when it has no link, no
   * tombstone and no creation attempt). Resolves `refused` when a condition failed: nothing of this call is left
   * (the claim is released again), and the per-user sync decides. `created` comes from the identity's record.
   */
  adopt(link: Omit<Link, 'created'>): Promise<'linked' | 'refused'>;
  /**
   * Notes that the service is about to create the Identity Center user of a Connect user not linked yet: if the
   * attempt is cut off after Identity Center created it (a timeout, a crash), the next attempt can still tell that
   * this service created it (see sync-user.ts).
   */
  recordCreationAttempt(instanceId: string, connectUserId: string, at: string): Promise<void>;
  /** The creation attempts recorded for a Connect user not linked yet (ISO timestamps). */
  creationAttempts(instanceId: string, connectUserId: string): Promise<string[]>;
  /**
   * Claims the Identity Center user for the Connect user (one identity, one Connect user of the instance), and
   * records once that the service created it when `created`. Resolves with the holder (`connectUserId` itself when
   * the claim is now ours) and whether the service created the identity, by this or any earlier claim.
   * Before the claim, the identity is named on the Connect user's record (`UserRecord.claims`), and the claim records
   * `groupIds`, the managed groups the sync is about to add it to: what a sync writes is findable before its link.
   * Throws PermanentError CONNECT_USER_DELETED when the Connect user's deletion was confirmed (nothing is claimed).
   */
  claim(instanceId: string, identityUserId: string, connectUserId: string, created: boolean, groupIds?: readonly string[]): Promise<Claim>;
  /** Who holds the claim on an identity now (a fresh read), or undefined. */
  claimant(instanceId: string, identityUserId: string): Promise<string | undefined>;
  /** The claim item of an identity (a fresh read), or undefined when the table has none. */
  claimOf(instanceId: string, identityUserId: string): Promise<ClaimRecord | undefined>;
  /**
   * Deletes the link and releases its claim (each only while it still names this pair), and forgets the identity on
   * the Connect user's record (`claims`) and a remembered deprovision failure. Whether the service created the
   * identity stays recorded, unless `identityDeleted`.
   */
  delete(link: Pick<Link, 'instanceId' | 'connectUserId' | 'identityUserId'>, options?: { identityDeleted?: boolean }): Promise<void>;
  /**
   * Records that Connect confirmed the user's deletion (a tombstone, kept for TOMBSTONE_DAYS): from now on no link
   * can be written for it. The link, if any, stays until the deprovision is done (`delete`). Resolves with the record
   * as it is now (one write, no read).
   */
  tombstone(instanceId: string, connectUserId: string, at: string): Promise<UserRecord>;
  /**
   * Remembers a permanent failure of the Connect user's `step` (default `sync`; `sync` and `update` not for a
   * tombstoned user). The same failure (code and Connect modification) recorded again keeps its `since`, counts one
   * more attempt and moves `lastAt`: it resolves `repeated` then, `new` otherwise.
   */
  recordFailure(instanceId: string, connectUserId: string, failure: KnownFailure, step?: FailureStep): Promise<FailureRecorded>;
  /** Forgets a remembered failure of `step` (default `sync`; the user synced since without a link to write). */
  clearFailure(instanceId: string, connectUserId: string, step?: FailureStep): Promise<void>;
  /**
   * Streams the records of the instance that hold a link, a remembered failure or a claim (a sync that died before its
   * link), page by page.
   */
  pages(instanceId: string): AsyncIterable<UserRecord[]>;
}

export interface DeadLetter {
  code: string;
  message: string;
}

export interface DeadLetters {
  /** Puts the original message body in the dead-letter queue with the reason as message attributes. */
  send(body: string, reason: DeadLetter): Promise<void>;
}
