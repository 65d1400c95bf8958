import { PermanentError, RetryableError, SyncError } from './errors.js';
import { emailOf, newIdentityUser } from './identity-profile.js';
import { once } from './once.js';
import type {
  AppAssignments,
  AssignmentResult,
  ConnectDirectory,
  ConnectUser,
  IdentityStore,
  MembershipResult,
} from './ports.js';

export type AssignmentMode = 'group' | 'user' | 'none';

export interface SyncSettings {
  agentGroupName: string;
  assignmentMode: AssignmentMode;
  createUsers: boolean;
}

/** Which Connect user to sync: the id when the event has it, else the Username. */
export interface SyncRequest {
  instanceId: string;
  userId?: string;
  username?: string;
}

export interface SyncOutcome {
  outcome: 'created' | 'linked';
  connectUserId: string;
  identityUserId: string;
  groupId: string;
  membership: MembershipResult;
  assignment: AssignmentResult | 'skipped';
}

export interface SyncDeps {
  connect: ConnectDirectory;
  identityStore: IdentityStore;
  assignments: AppAssignments;
  settings: SyncSettings;
}

export type SyncUser = (request: SyncRequest) => Promise<SyncOutcome>;

/**
 * Builds the sync use case. The agents group id and the group's application assignment are resolved once per
 * container and shared by every call.
 *
 * Per new user it costs one Connect read, one Identity Store lookup and two writes (CreateUser,
 * CreateGroupMembership): the userName lookup is skipped because CreateUser's uniqueness conflict answers it.
 */
export function createSyncUser(deps: SyncDeps): SyncUser {
  const { connect, identityStore, assignments, settings } = deps;

  const agentGroupId = once(async () => {
    const name = settings.agentGroupName;
    const existing = await identityStore.findGroupIdByName(name);
    if (existing) return existing;
    try {
      return await identityStore.createGroup(name);
    } catch (error) {
      // Another container created it first.
      if (!isAlreadyExists(error)) throw error;
      const created = await identityStore.findGroupIdByName(name);
      if (created) return created;
      throw new RetryableError('CONFLICT_UNRESOLVED', 'the agents group exists but could not be found by name yet');
    }
  });

  const groupAssignment = once(async () => assignments.assign(await agentGroupId(), 'GROUP'));

  async function readConnectUser(request: SyncRequest): Promise<ConnectUser> {
    const userId =
      request.userId ??
      (request.username ? await connect.findUserIdByUsername(request.instanceId, request.username) : undefined);
    const user = userId ? await connect.describeUser(request.instanceId, userId) : undefined;
    if (!user) {
      throw new PermanentError('CONNECT_USER_NOT_FOUND', 'the Connect user no longer exists in the instance');
    }
    return user;
  }

  function ambiguous(byEmail: string, byUserName: string): PermanentError {
    return new PermanentError(
      'AMBIGUOUS_MATCH',
      `the email matches Identity Center user ${byEmail} but the Connect Username matches user ${byUserName}`,
    );
  }

  /** Finds the Identity Center user by email and by userName; two different users is a conflict a person must resolve. */
  async function findExisting(email: string, userName: string): Promise<string | undefined> {
    const [byEmail, byUserName] = await Promise.all([
      identityStore.findUserIdByEmail(email),
      identityStore.findUserIdByUserName(userName),
    ]);
    if (byEmail && byUserName && byEmail !== byUserName) throw ambiguous(byEmail, byUserName);
    return byEmail ?? byUserName;
  }

  async function createOrLink(user: ConnectUser, email: string): Promise<{ id: string; created: boolean }> {
    const byEmail = await identityStore.findUserIdByEmail(email);
    if (byEmail) {
      const byUserName = await identityStore.findUserIdByUserName(user.username);
      if (byUserName && byUserName !== byEmail) throw ambiguous(byEmail, byUserName);
      return { id: byEmail, created: false };
    }
    if (!settings.createUsers) {
      const byUserName = await identityStore.findUserIdByUserName(user.username);
      if (byUserName) return { id: byUserName, created: false };
      throw new PermanentError(
        'USER_NOT_FOUND',
        'no Identity Center user has this email or userName, and CREATE_USERS=false (the store is provisioned externally)',
      );
    }
    try {
      return { id: await identityStore.createUser(newIdentityUser(user, email)), created: true };
    } catch (error) {
      // The userName is taken: by a person created before, or by a concurrent delivery of this same event.
      if (!isAlreadyExists(error)) throw error;
      const id = await findExisting(email, user.username);
      if (id) return { id, created: false };
      throw new RetryableError('CONFLICT_UNRESOLVED', 'CreateUser reported a conflict but no matching user is visible yet');
    }
  }

  async function ensureMembership(groupId: string, userId: string, created: boolean): Promise<MembershipResult> {
    // A user found already linked is usually a member (a replay, a duplicate): one read saves a failed write.
    if (!created && (await identityStore.isMember(groupId, userId))) return 'already-member';
    return identityStore.addMember(groupId, userId);
  }

  async function ensureAssignment(identityUserId: string): Promise<AssignmentResult | 'skipped'> {
    switch (settings.assignmentMode) {
      case 'group':
        return groupAssignment();
      case 'user':
        return assignments.assign(identityUserId, 'USER');
      case 'none':
        return 'skipped';
    }
  }

  return async function syncUser(request) {
    const user = await readConnectUser(request);
    const email = emailOf(user);
    const identity = await createOrLink(user, email);
    const groupId = await agentGroupId();
    const membership = await ensureMembership(groupId, identity.id, identity.created);
    const assignment = await ensureAssignment(identity.id);
    return {
      outcome: identity.created ? 'created' : 'linked',
      connectUserId: user.id,
      identityUserId: identity.id,
      groupId,
      membership,
      assignment,
    };
  };
}

function isAlreadyExists(error: unknown): boolean {
  return error instanceof SyncError && error.code === 'ALREADY_EXISTS';
}
