import { PermanentError, RetryableError } from '../../shared/core/errors.js';
import type {
  AppAssignments,
  ConnectDirectory,
  ConnectUser,
  DeadLetter,
  DeadLetters,
  FailureStep,
  IdentityAttributes,
  IdentityStore,
  IdentityUser,
  KnownFailure,
  Link,
  LinkStore,
  NewIdentityUser,
  PrincipalAccess,
  PrincipalType,
  SecurityProfile,
  UserRecord,
} from '../../shared/core/ports/index.js';
import type { IdentityManagementType } from '../../shared/core/sign-in.js';
import { pickUsername } from '../../shared/adapters/connect-directory.js';

/**
 * In-memory fakes of the core's ports, with the semantics of the real adapters (shared/adapters): the same results,
 * the same SyncError codes for missing users and groups and for taken unique attributes. Every fake keeps a log of
 * the verbs called (`calls`), so a test can pin what a use case costs, and takes `hooks`: a function run before a verb
 * does its work (to fail it, or to change the world in between, as a concurrent writer would).
 */
type Hook = (...args: never[]) => void | Promise<void>;

class Recorder<Verb extends string> {
  readonly calls: Verb[] = [];
  readonly hooks: Partial<Record<Verb, Hook>> = {};

  protected async record(verb: Verb, ...args: unknown[]): Promise<void> {
    this.calls.push(verb);
    const hook = this.hooks[verb] as ((...a: unknown[]) => void | Promise<void>) | undefined;
    if (hook) await hook(...args);
  }

  /** How many times `verb` was called. */
  count(verb: Verb): number {
    return this.calls.filter((c) => c === verb).length;
  }
}

const copy = <T>(value: T): T => structuredClone(value);

type ConnectVerb = 'describeUser' | 'findUserIdByUsername' | 'listSecurityProfiles' | 'identityManagementType';

/** In-memory Amazon Connect: users (with their security profile ids) and security profiles, per instance. */
export class FakeConnect extends Recorder<ConnectVerb> implements ConnectDirectory {
  /** Users of `instanceId`, by id. */
  readonly users = new Map<string, ConnectUser>();
  /** Security profiles per instance. */
  readonly profiles = new Map<string, SecurityProfile[]>();

  /**
   * DescribeInstance's IdentityManagementType. The fakes default to CONNECT_MANAGED (the email keys the identity);
   * tests of the sign-in rules set SAML, the emulator's default.
   */
  constructor(
    readonly instanceId: string,
    public identityManagement: IdentityManagementType = 'CONNECT_MANAGED',
  ) {
    super();
  }

  add(user: Omit<ConnectUser, 'securityProfileIds'> & Partial<Pick<ConnectUser, 'securityProfileIds'>>): ConnectUser {
    const stored = { securityProfileIds: [], ...user };
    this.users.set(user.id, stored);
    return stored;
  }

  /** Changes a user as the admin website would (UpdateUserIdentityInfo, UpdateUserSecurityProfiles). */
  update(userId: string, changes: Partial<Omit<ConnectUser, 'id'>>): void {
    const user = this.users.get(userId);
    if (!user) throw new Error(`no Connect user ${userId}`);
    this.users.set(userId, { ...user, ...changes });
  }

  addProfile(id: string, name: string, instanceId = this.instanceId): SecurityProfile {
    const profile = { id, name };
    this.profiles.set(instanceId, [...(this.profiles.get(instanceId) ?? []), profile]);
    return profile;
  }

  async describeUser(instanceId: string, userId: string) {
    await this.record('describeUser', instanceId, userId);
    const user = instanceId === this.instanceId ? this.users.get(userId) : undefined;
    return user && copy(user);
  }

  async findUserIdByUsername(instanceId: string, username: string) {
    await this.record('findUserIdByUsername', instanceId, username);
    if (instanceId !== this.instanceId) return undefined;
    return pickUsername([...this.users.values()].map((u) => ({ Id: u.id, Username: u.username })), username);
  }

  async identityManagementType(instanceId: string) {
    await this.record('identityManagementType', instanceId);
    return this.identityManagement;
  }

  async listSecurityProfiles(instanceId: string) {
    await this.record('listSecurityProfiles', instanceId);
    return copy(this.profiles.get(instanceId) ?? []);
  }
}

export interface StoredIdentity extends NewIdentityUser {
  id: string;
  createdAt: number;
}

type IdentityVerb =
  | 'findUserIdByEmail'
  | 'findUserIdByUserName'
  | 'describeUser'
  | 'createUser'
  | 'updateUser'
  | 'deleteUser'
  | 'findGroupIdByName'
  | 'createGroup'
  | 'memberships'
  | 'groupIdsOf'
  | 'addMember'
  | 'removeMember'
  | 'removeMembership';

export interface FakeIdentityStoreOptions {
  /** Whether lookups and uniqueness ignore case (AWS does not say: the sync must be right either way). Default true. */
  ignoreCase?: boolean;
  /** The clock of `createdAt` (epoch milliseconds). */
  now?: () => number;
}

/**
 * In-memory Identity Store. UserName and email are unique (ALREADY_EXISTS), as are group names. A call naming a user
 * that does not exist fails with IDENTITY_NOT_FOUND and a group GROUP_NOT_FOUND where the real adapter does
 * (memberships, groupIdsOf, addMember, updateUser); describeUser answers undefined, deleteUser and removeMember
 * succeed ('not-member'), as the adapter's lookups do.
 */
export class FakeIdentityStore extends Recorder<IdentityVerb> implements IdentityStore {
  readonly users = new Map<string, StoredIdentity>();
  /** Group id -> display name. */
  readonly groups = new Map<string, string>();
  readonly descriptions = new Map<string, string>();
  /** `${groupId}|${userId}` */
  readonly members = new Set<string>();
  /** `${groupId}|${userId}` -> its MembershipId: a new one each time the membership is created (never reused). */
  private readonly membershipIdsByKey = new Map<string, string>();
  private seq = 0;
  private readonly ignoreCase: boolean;
  private readonly now: () => number;

  constructor(options: FakeIdentityStoreOptions = {}) {
    super();
    this.ignoreCase = options.ignoreCase ?? true;
    this.now = options.now ?? Date.now;
  }

  private same(a: string, b: string): boolean {
    return this.ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b;
  }

  private holderOf(attribute: 'userName' | 'email', value: string, except?: string): StoredIdentity | undefined {
    return [...this.users.values()].find((u) => u.id !== except && this.same(u[attribute], value));
  }

  private mustExist(userId: string): StoredIdentity {
    const user = this.users.get(userId);
    if (!user) throw new PermanentError('IDENTITY_NOT_FOUND', 'identitystore: ResourceNotFoundException (USER)');
    return user;
  }

  private mustExistGroup(groupId: string): void {
    if (!this.groups.has(groupId)) throw new PermanentError('GROUP_NOT_FOUND', 'identitystore: ResourceNotFoundException (GROUP)');
  }

  /** An existing user (created by hand or by another tool, a month ago): never through the sync's verbs. */
  seedUser(user: Pick<NewIdentityUser, 'userName' | 'email'> & Partial<StoredIdentity>): string {
    const id = `u-${++this.seq}`;
    const createdAt = this.now() - 30 * 86_400_000;
    this.users.set(id, { displayName: user.userName, givenName: 'Given', familyName: 'Family', createdAt, ...user, id });
    return id;
  }

  seedGroup(name: string): string {
    const id = `g-${++this.seq}`;
    this.groups.set(id, name);
    return id;
  }

  /** Deletes a group and its memberships (as deleting it in the console does). */
  dropGroup(groupId: string): void {
    this.groups.delete(groupId);
    for (const key of [...this.members]) if (key.startsWith(`${groupId}|`)) { this.members.delete(key); this.membershipIdsByKey.delete(key); }
  }

  /** Deletes a user and its memberships behind the sync's back. */
  dropUser(userId: string): void {
    this.users.delete(userId);
    for (const key of [...this.members]) if (key.endsWith(`|${userId}`)) { this.members.delete(key); this.membershipIdsByKey.delete(key); }
  }

  join(groupId: string, userId: string): void {
    const key = `${groupId}|${userId}`;
    if (this.members.has(key)) return;
    this.members.add(key);
    this.membershipIdsByKey.set(key, `m-${++this.seq}`);
  }

  /** The MembershipId of a current membership (as GetGroupMembershipId or a listing would report it), else undefined. */
  membershipIdOf(groupId: string, userId: string): string | undefined {
    const key = `${groupId}|${userId}`;
    if (!this.members.has(key)) return undefined;
    const id = this.membershipIdsByKey.get(key) ?? `m-${++this.seq}`;
    this.membershipIdsByKey.set(key, id);
    return id;
  }

  /** A group's members with their MembershipIds (ListGroupMemberships): user id -> membership id. */
  membershipIdsOf(groupId: string): Map<string, string> {
    return new Map(this.membersOf(groupId).map((userId) => [userId, this.membershipIdOf(groupId, userId) ?? '']));
  }

  isMember(groupId: string, userId: string): boolean {
    return this.members.has(`${groupId}|${userId}`);
  }

  groupIdByName(name: string): string | undefined {
    return [...this.groups].find(([, n]) => n === name)?.[0];
  }

  /** The names of the groups the user is in, sorted. */
  groupNamesOf(userId: string): string[] {
    return [...this.members]
      .filter((m) => m.endsWith(`|${userId}`))
      .map((m) => this.groups.get(m.slice(0, m.indexOf('|'))) ?? '?')
      .sort();
  }

  membersOf(groupId: string): string[] {
    return [...this.members].filter((m) => m.startsWith(`${groupId}|`)).map((m) => m.slice(m.indexOf('|') + 1));
  }

  async findUserIdByEmail(email: string) {
    await this.record('findUserIdByEmail', email);
    return this.holderOf('email', email)?.id;
  }

  async findUserIdByUserName(userName: string) {
    await this.record('findUserIdByUserName', userName);
    return this.holderOf('userName', userName)?.id;
  }

  async describeUser(userId: string): Promise<IdentityUser | undefined> {
    await this.record('describeUser', userId);
    const user = this.users.get(userId);
    return user && copy(user);
  }

  async createUser(user: NewIdentityUser) {
    await this.record('createUser', user);
    if (this.holderOf('userName', user.userName) || this.holderOf('email', user.email)) {
      throw new PermanentError('ALREADY_EXISTS', 'identitystore:CreateUser failed: ConflictException');
    }
    const id = `u-${++this.seq}`;
    this.users.set(id, { ...copy(user), id, createdAt: this.now() });
    return id;
  }

  async updateUser(userId: string, changes: Partial<IdentityAttributes>) {
    await this.record('updateUser', userId, changes);
    const user = this.mustExist(userId);
    if (changes.email !== undefined && this.holderOf('email', changes.email, userId)) {
      throw new PermanentError('ALREADY_EXISTS', 'identitystore:UpdateUser failed: ConflictException');
    }
    this.users.set(userId, { ...user, ...changes });
  }

  async deleteUser(userId: string) {
    await this.record('deleteUser', userId);
    this.dropUser(userId);
  }

  async findGroupIdByName(displayName: string) {
    await this.record('findGroupIdByName', displayName);
    return this.groupIdByName(displayName);
  }

  async createGroup(displayName: string, description: string) {
    await this.record('createGroup', displayName, description);
    if (this.groupIdByName(displayName)) throw new PermanentError('ALREADY_EXISTS', 'identitystore:CreateGroup failed: ConflictException');
    const id = this.seedGroup(displayName);
    this.descriptions.set(id, description);
    return id;
  }

  async memberships(userId: string, groupIds: readonly string[]) {
    await this.record('memberships', userId, groupIds);
    this.mustExist(userId);
    for (const groupId of groupIds) this.mustExistGroup(groupId);
    return new Set(groupIds.filter((groupId) => this.isMember(groupId, userId)));
  }

  async groupIdsOf(userId: string) {
    await this.record('groupIdsOf', userId);
    this.mustExist(userId);
    return new Set([...this.members].filter((m) => m.endsWith(`|${userId}`)).map((m) => m.slice(0, m.indexOf('|'))));
  }

  async addMember(groupId: string, userId: string) {
    await this.record('addMember', groupId, userId);
    this.mustExistGroup(groupId);
    this.mustExist(userId);
    if (this.isMember(groupId, userId)) return 'already-member' as const;
    this.join(groupId, userId);
    return 'added' as const;
  }

  async removeMember(groupId: string, userId: string) {
    await this.record('removeMember', groupId, userId);
    this.membershipIdsByKey.delete(`${groupId}|${userId}`);
    return this.members.delete(`${groupId}|${userId}`) ? ('removed' as const) : ('not-member' as const);
  }

  /** Deletes whatever membership has the id now (DeleteGroupMembership): the group and user given only name it. */
  async removeMembership(groupId: string, userId: string, membershipId: string) {
    await this.record('removeMembership', groupId, userId, membershipId);
    const key = [...this.members].find((k) => this.membershipIdsByKey.get(k) === membershipId);
    if (key === undefined) return 'not-member' as const;
    this.members.delete(key);
    this.membershipIdsByKey.delete(key);
    return 'removed' as const;
  }
}

type AssignmentVerb = 'assign' | 'unassign' | 'accessOf';

/** In-memory application assignments of the Amazon Connect application, and each user's other access (seedable). */
export class FakeAssignments extends Recorder<AssignmentVerb> implements AppAssignments {
  /** `${type}:${principalId}` */
  readonly assigned = new Set<string>();
  private readonly access = new Map<string, PrincipalAccess>();

  /** Gives the user other application and/or AWS account assignments. */
  seedAccess(userId: string, access: Partial<PrincipalAccess>): void {
    this.access.set(userId, { otherApplications: 0, accounts: 0, ...access });
  }

  async assign(principalId: string, principalType: PrincipalType) {
    await this.record('assign', principalId, principalType);
    const key = `${principalType}:${principalId}`;
    if (this.assigned.has(key)) return 'already-assigned' as const;
    this.assigned.add(key);
    return 'assigned' as const;
  }

  async unassign(principalId: string, principalType: PrincipalType) {
    await this.record('unassign', principalId, principalType);
    this.assigned.delete(`${principalType}:${principalId}`);
  }

  async accessOf(userId: string) {
    await this.record('accessOf', userId);
    return { ...(this.access.get(userId) ?? { otherApplications: 0, accounts: 0 }) };
  }
}

type LinkVerb =
  | 'get'
  | 'put'
  | 'adopt'
  | 'recordCreationAttempt'
  | 'creationAttempts'
  | 'claim'
  | 'claimant'
  | 'claimOf'
  | 'delete'
  | 'tombstone'
  | 'recordFailure'
  | 'clearFailure'
  | 'pages';

interface LinkItem extends Partial<Omit<Link, 'instanceId' | 'connectUserId'>> {
  creationAttempts?: string[];
  deletedAt?: string;
  failure?: KnownFailure;
  updateFailure?: KnownFailure;
  deprovisionFailure?: KnownFailure;
  claims?: string[];
}

interface IdentityItem {
  connectUserId?: string;
  formerHolder?: string;
  created?: boolean;
  groupIds?: string[];
}

const FAILURE = { sync: 'failure', update: 'updateFailure', deprovision: 'deprovisionFailure' } as const;

/**
 * In-memory link table with the DynamoDB adapter's semantics (adapters/links.ts): `put` is conditional on the
 * identity (CONFLICT_UNRESOLVED when the Connect user is linked to another one) and on there being no tombstone
 * (CONNECT_USER_DELETED), never turns `created` from true to false and forgets a remembered failure; `claim` answers
 * the holder and whether the service created the identity (recorded once per identity, kept when the claim is
 * released); `claim` first names the identity on the Connect user's record (CONNECT_USER_DELETED after a tombstone)
 * and records the groups given; `delete` removes the link and releases the claim only while they name the pair, and
 * forgets the named identity; a tombstone outlives its link; a Connect user with creation attempts but no link has no
 * link; a failure recorded again the same way counts an attempt and answers `repeated`.
 */
export class FakeLinks extends Recorder<LinkVerb> implements LinkStore {
  /** `${instanceId}|${connectUserId}` -> the item. */
  readonly items = new Map<string, LinkItem>();
  /** `${instanceId}|${identityUserId}` -> the identity item (claim and created). */
  readonly identities = new Map<string, IdentityItem>();

  constructor(readonly pageSize = 2) {
    super();
  }

  private linkOf(key: string): Link | undefined {
    const item = this.items.get(key);
    if (!item?.identityUserId) return undefined;
    const [instanceId = '', connectUserId = ''] = key.split('|');
    return {
      instanceId,
      connectUserId,
      identityUserId: item.identityUserId,
      created: item.created === true,
      groupIds: [...(item.groupIds ?? [])],
      createdAt: item.createdAt ?? '',
      updatedAt: item.updatedAt ?? '',
    };
  }

  private recordOf(key: string): UserRecord {
    const item = this.items.get(key);
    const link = this.linkOf(key);
    const connectUserId = key.split('|')[1] ?? '';
    return {
      connectUserId,
      ...(link && { link }),
      ...(item?.deletedAt && { deletedAt: item.deletedAt }),
      ...(item?.failure && { failure: { ...item.failure } }),
      ...(item?.updateFailure && { updateFailure: { ...item.updateFailure } }),
      ...(item?.deprovisionFailure && { deprovisionFailure: { ...item.deprovisionFailure } }),
      ...(item?.claims?.length && { claims: [...item.claims].sort() }),
    };
  }

  /** The link as stored, without a call. */
  peek(instanceId: string, connectUserId: string): Link | undefined {
    return this.linkOf(`${instanceId}|${connectUserId}`);
  }

  /** The whole record as stored (tombstone, failure), without a call. */
  peekRecord(instanceId: string, connectUserId: string): UserRecord {
    return this.recordOf(`${instanceId}|${connectUserId}`);
  }

  /** Who holds the claim on an identity, without a call. */
  holderOf(instanceId: string, identityUserId: string): string | undefined {
    return this.identities.get(`${instanceId}|${identityUserId}`)?.connectUserId;
  }

  /** Whether the service is recorded as the creator of an identity, without a call. */
  createdByService(instanceId: string, identityUserId: string): boolean {
    return this.identities.get(`${instanceId}|${identityUserId}`)?.created === true;
  }

  /** Every link, without a call. */
  all(): Link[] {
    return [...this.items.keys()].flatMap((key) => this.linkOf(key) ?? []);
  }

  /** Stores a link as an earlier run would have (and its claim, and the identity's creator). */
  seed(link: Link): void {
    this.items.set(`${link.instanceId}|${link.connectUserId}`, { ...copy(link) });
    this.identities.set(`${link.instanceId}|${link.identityUserId}`, { connectUserId: link.connectUserId, ...(link.created && { created: true }) });
  }

  async get(instanceId: string, connectUserId: string) {
    await this.record('get', instanceId, connectUserId);
    return this.recordOf(`${instanceId}|${connectUserId}`);
  }

  async adopt(link: Omit<Link, 'created'>) {
    await this.record('adopt', link);
    const claimKey = `${link.instanceId}|${link.identityUserId}`;
    const claim = this.identities.get(claimKey) ?? {};
    if (claim.connectUserId !== undefined && claim.connectUserId !== link.connectUserId) return 'refused' as const;
    const key = `${link.instanceId}|${link.connectUserId}`;
    const item = this.items.get(key) ?? {};
    if (item.identityUserId !== undefined || item.deletedAt !== undefined || item.creationAttempts?.length || item.claims?.length) return 'refused' as const;
    this.identities.set(claimKey, { ...claim, connectUserId: link.connectUserId });
    const { failure: _forgotten, ...kept } = item;
    this.items.set(key, {
      ...kept,
      identityUserId: link.identityUserId,
      groupIds: [...link.groupIds],
      created: claim.created === true,
      createdAt: link.createdAt,
      updatedAt: link.updatedAt,
      claims: [link.identityUserId],
    });
    return 'linked' as const;
  }

  async put(link: Link) {
    await this.record('put', link);
    const key = `${link.instanceId}|${link.connectUserId}`;
    const item = this.items.get(key);
    if (item?.deletedAt !== undefined) throw new PermanentError('CONNECT_USER_DELETED', 'the Connect user was deleted meanwhile (Connect confirmed it)');
    if (item?.identityUserId !== undefined && item.identityUserId !== link.identityUserId) {
      throw new RetryableError('CONFLICT_UNRESOLVED', 'the Connect user was linked to another identity meanwhile');
    }
    this.items.set(key, {
      identityUserId: link.identityUserId,
      groupIds: [...link.groupIds],
      updatedAt: link.updatedAt,
      createdAt: item?.createdAt ?? link.createdAt,
      created: link.created || item?.created === true,
      ...(item?.claims && { claims: [...item.claims] }),
      ...(item?.updateFailure && { updateFailure: item.updateFailure }),
      ...(item?.deprovisionFailure && { deprovisionFailure: item.deprovisionFailure }),
    });
  }

  async recordCreationAttempt(instanceId: string, connectUserId: string, at: string) {
    await this.record('recordCreationAttempt', instanceId, connectUserId, at);
    const key = `${instanceId}|${connectUserId}`;
    const item = this.items.get(key) ?? {};
    if (item.identityUserId !== undefined) return;
    this.items.set(key, { ...item, creationAttempts: [...(item.creationAttempts ?? []), at] });
  }

  async creationAttempts(instanceId: string, connectUserId: string) {
    await this.record('creationAttempts', instanceId, connectUserId);
    return [...(this.items.get(`${instanceId}|${connectUserId}`)?.creationAttempts ?? [])];
  }

  async claim(instanceId: string, identityUserId: string, connectUserId: string, created: boolean, groupIds: readonly string[] = []) {
    await this.record('claim', instanceId, identityUserId, connectUserId, created, groupIds);
    const userKey = `${instanceId}|${connectUserId}`;
    const user = this.items.get(userKey) ?? {};
    if (user.deletedAt !== undefined) throw new PermanentError('CONNECT_USER_DELETED', 'the Connect user was deleted meanwhile (Connect confirmed it)');
    const key = `${instanceId}|${identityUserId}`;
    const item = this.identities.get(key) ?? {};
    if (item.connectUserId !== undefined && item.connectUserId !== connectUserId) return { holder: item.connectUserId, created: item.created === true };
    this.items.set(userKey, { ...user, claims: [...new Set([...(user.claims ?? []), identityUserId])] });
    const now = {
      connectUserId,
      ...((created || item.created) && { created: true }),
      ...((item.groupIds?.length || groupIds.length) && { groupIds: [...new Set([...(item.groupIds ?? []), ...groupIds])].sort() }),
    };
    this.identities.set(key, now);
    return { holder: connectUserId, created: now.created === true };
  }

  async claimOf(instanceId: string, identityUserId: string) {
    await this.record('claimOf', instanceId, identityUserId);
    const item = this.identities.get(`${instanceId}|${identityUserId}`);
    if (!item) return undefined;
    return {
      ...(item.connectUserId && { holder: item.connectUserId }),
      ...(item.formerHolder && { formerHolder: item.formerHolder }),
      created: item.created === true,
      groupIds: [...(item.groupIds ?? [])],
    };
  }

  async claimant(instanceId: string, identityUserId: string) {
    await this.record('claimant', instanceId, identityUserId);
    return this.holderOf(instanceId, identityUserId);
  }

  async delete(link: Pick<Link, 'instanceId' | 'connectUserId' | 'identityUserId'>, options: { identityDeleted?: boolean } = {}) {
    await this.record('delete', link, options);
    const userKey = `${link.instanceId}|${link.connectUserId}`;
    const item = this.items.get(userKey);
    const linked = item?.identityUserId === link.identityUserId;
    if (item && (linked || item.claims?.includes(link.identityUserId))) {
      const { deletedAt, failure, updateFailure, creationAttempts } = item;
      const claims = (item.claims ?? []).filter((id) => id !== link.identityUserId);
      const kept: LinkItem = linked
        ? { ...(deletedAt && { deletedAt }), ...(failure && { failure }), ...(updateFailure && { updateFailure }), ...(claims.length && { claims }) }
        : { ...item, claims };
      if (!linked && creationAttempts) kept.creationAttempts = creationAttempts;
      delete kept.deprovisionFailure;
      if (!kept.claims?.length) delete kept.claims;
      if (Object.keys(kept).length > 0) this.items.set(userKey, kept);
      else this.items.delete(userKey);
    }
    const claimKey = `${link.instanceId}|${link.identityUserId}`;
    const identity = this.identities.get(claimKey);
    if (identity?.connectUserId !== undefined && identity.connectUserId !== link.connectUserId) return;
    if (options.identityDeleted || !identity) this.identities.delete(claimKey);
    else this.identities.set(claimKey, { ...(identity.created && { created: true }), formerHolder: link.connectUserId });
  }

  async tombstone(instanceId: string, connectUserId: string, at: string) {
    await this.record('tombstone', instanceId, connectUserId, at);
    const key = `${instanceId}|${connectUserId}`;
    const { failure: _failure, updateFailure: _update, creationAttempts: _attempts, ...item } = this.items.get(key) ?? {};
    this.items.set(key, { ...item, deletedAt: item.deletedAt ?? at });
    return this.recordOf(key);
  }

  async recordFailure(instanceId: string, connectUserId: string, failure: KnownFailure, step: FailureStep = 'sync') {
    await this.record('recordFailure', instanceId, connectUserId, failure, step);
    const key = `${instanceId}|${connectUserId}`;
    const item = this.items.get(key) ?? {};
    if (item.deletedAt !== undefined && step !== 'deprovision') return 'new' as const;
    const known = item[FAILURE[step]];
    if (known?.code === failure.code && known.connectModifiedAt === failure.connectModifiedAt) {
      this.items.set(key, { ...item, [FAILURE[step]]: { ...known, attempts: (known.attempts ?? 1) + 1, lastAt: failure.since } });
      return 'repeated' as const;
    }
    this.items.set(key, { ...item, [FAILURE[step]]: { ...failure, attempts: 1, lastAt: failure.since } });
    return 'new' as const;
  }

  async clearFailure(instanceId: string, connectUserId: string, step: FailureStep = 'sync') {
    await this.record('clearFailure', instanceId, connectUserId, step);
    const item = this.items.get(`${instanceId}|${connectUserId}`);
    if (item) delete item[FAILURE[step]];
  }

  async *pages(instanceId: string) {
    await this.record('pages', instanceId);
    const records = [...this.items.keys()]
      .filter((key) => key.startsWith(`${instanceId}|`))
      .sort()
      .map((key) => this.recordOf(key))
      .filter((r) => r.link || r.failure || r.updateFailure || r.deprovisionFailure || r.claims);
    for (let i = 0; i < records.length; i += this.pageSize) yield records.slice(i, i + this.pageSize);
    if (records.length === 0) yield [];
  }
}

/** In-memory dead-letter queue. */
export class FakeDeadLetters extends Recorder<'send'> implements DeadLetters {
  readonly sent: { body: string; reason: DeadLetter }[] = [];

  async send(body: string, reason: DeadLetter) {
    await this.record('send', body, reason);
    this.sent.push({ body, reason: { ...reason } });
  }
}
