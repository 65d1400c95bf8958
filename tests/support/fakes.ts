import { PermanentError } from '../../shared/core/errors.js';
import type {
  AppAssignments,
  ConnectDirectory,
  ConnectUser,
  DeadLetter,
  DeadLetters,
  IdentityStore,
  NewIdentityUser,
  PrincipalType,
} from '../../shared/core/ports.js';

/** In-memory Connect: users per instance, and a log of calls. */
export class FakeConnect implements ConnectDirectory {
  readonly users = new Map<string, ConnectUser>();
  readonly calls: string[] = [];
  constructor(readonly instanceId: string) {}

  add(user: ConnectUser): ConnectUser {
    this.users.set(user.id, user);
    return user;
  }

  async describeUser(instanceId: string, userId: string) {
    this.calls.push('describeUser');
    return instanceId === this.instanceId ? this.users.get(userId) : undefined;
  }

  async findUserIdByUsername(instanceId: string, username: string) {
    this.calls.push('findUserIdByUsername');
    if (instanceId !== this.instanceId) return undefined;
    return [...this.users.values()].find((u) => u.username.toLowerCase() === username.toLowerCase())?.id;
  }
}

interface StoredUser extends NewIdentityUser {
  id: string;
}

/** In-memory Identity Store with the service's uniqueness rules (userName, group name, membership). */
export class FakeIdentityStore implements IdentityStore {
  readonly users = new Map<string, StoredUser>();
  readonly groups = new Map<string, string>();
  readonly memberships = new Set<string>();
  readonly calls: string[] = [];
  private seq = 0;

  seedUser(user: Omit<NewIdentityUser, 'displayName' | 'givenName' | 'familyName'> & Partial<NewIdentityUser>): string {
    const id = `user-${++this.seq}`;
    this.users.set(id, { displayName: user.userName, givenName: 'G', familyName: 'F', ...user, id });
    return id;
  }

  seedGroup(name: string): string {
    const id = `group-${++this.seq}`;
    this.groups.set(id, name);
    return id;
  }

  membersOf(groupId: string): string[] {
    return [...this.memberships].filter((m) => m.startsWith(`${groupId}|`)).map((m) => m.split('|')[1] ?? '');
  }

  async findUserIdByEmail(email: string) {
    this.calls.push('findUserIdByEmail');
    return [...this.users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase())?.id;
  }

  async findUserIdByUserName(userName: string) {
    this.calls.push('findUserIdByUserName');
    return [...this.users.values()].find((u) => u.userName.toLowerCase() === userName.toLowerCase())?.id;
  }

  async createUser(user: NewIdentityUser) {
    this.calls.push('createUser');
    if ([...this.users.values()].some((u) => u.userName.toLowerCase() === user.userName.toLowerCase())) {
      throw new PermanentError('ALREADY_EXISTS', 'userName taken');
    }
    const id = `user-${++this.seq}`;
    this.users.set(id, { ...user, id });
    return id;
  }

  async findGroupIdByName(name: string) {
    this.calls.push('findGroupIdByName');
    return [...this.groups].find(([, n]) => n === name)?.[0];
  }

  async createGroup(name: string) {
    this.calls.push('createGroup');
    if ([...this.groups.values()].includes(name)) throw new PermanentError('ALREADY_EXISTS', 'group exists');
    return this.seedGroup(name);
  }

  async isMember(groupId: string, userId: string) {
    this.calls.push('isMember');
    return this.memberships.has(`${groupId}|${userId}`);
  }

  async addMember(groupId: string, userId: string) {
    this.calls.push('addMember');
    const key = `${groupId}|${userId}`;
    if (this.memberships.has(key)) return 'already-member' as const;
    this.memberships.add(key);
    return 'added' as const;
  }
}

export class FakeAssignments implements AppAssignments {
  readonly assigned = new Set<string>();
  readonly calls: string[] = [];
  failWith?: Error;

  async assign(principalId: string, type: PrincipalType) {
    this.calls.push(`assign:${type}`);
    if (this.failWith) throw this.failWith;
    const key = `${type}:${principalId}`;
    if (this.assigned.has(key)) return 'already-assigned' as const;
    this.assigned.add(key);
    return 'assigned' as const;
  }
}

export class FakeDeadLetters implements DeadLetters {
  readonly sent: { body: string; reason: DeadLetter }[] = [];
  failWith?: Error;

  async send(body: string, reason: DeadLetter) {
    if (this.failWith) throw this.failWith;
    this.sent.push({ body, reason });
  }
}
