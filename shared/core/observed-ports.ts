import type { SyncDeps } from './context.js';
import { PermanentError } from './errors.js';
import type { AppAssignments, IdentityStore, LinkStore } from './ports/index.js';

/** One write of a use case, in ids and attribute names (no values: safe to show and to log). */
export interface PlannedStep {
  verb:
    | ('create-user' | 'update-user' | 'delete-user')
    | ('create-group' | 'add-member' | 'remove-member')
    | ('assign' | 'unassign')
    | ('write-link' | 'delete-link' | 'record-deletion' | 'remember-failure');
  /** The identity, group or Connect user the write is about. */
  subject?: string;
  /** The group of a membership, the principal type of an assignment, the attributes of an update, a failure's code. */
  detail?: string;
}

/** The id a planned CreateUser answers: no identity exists yet, so nothing is read for it. */
export const PLANNED_IDENTITY = '(new identity)';

/**
 * What happens to a write: `write` for the writes a plan lists (made and recorded with their answer, or only recorded
 * and answered as the adapter would on success: `planned`), `quiet` for the bookkeeping writes no plan lists (creation
 * attempts, claims, a failure forgotten).
 */
export interface WriteStrategy {
  write<T>(step: PlannedStep, make: () => Promise<T>, planned: () => T | Promise<T>, answer?: (value: T) => string): Promise<T>;
  quiet<T>(make: () => Promise<T>, planned: () => T | Promise<T>): Promise<T>;
}

/**
 * The use cases' ports with every read made and every write handed to `strategy`, each write described once, here:
 * the dry run (dry-run.ts) and the recorded run (recorded-run.ts) list the same verbs, so a plan and its application
 * read alike. Reads that name a planned identity are not sent (it has no memberships yet); a link deleted during the
 * run is not read back until one is written again.
 */
export function observedPorts(deps: SyncDeps, strategy: WriteStrategy): SyncDeps {
  const { write, quiet } = strategy;
  const store = deps.identityStore;
  const planned = (id: string) => id === PLANNED_IDENTITY;
  const identityStore: IdentityStore = {
    findUserIdByEmail: (email) => store.findUserIdByEmail(email),
    findUserIdByUserName: (userName) => store.findUserIdByUserName(userName),
    describeUser: async (id) => (planned(id) ? undefined : store.describeUser(id)),
    findGroupIdByName: (name) => store.findGroupIdByName(name),
    memberships: async (id, groupIds) => (planned(id) ? new Set<string>() : store.memberships(id, groupIds)),
    groupIdsOf: async (id) => (planned(id) ? new Set<string>() : store.groupIdsOf(id)),
    // Planned as CreateUser would answer: a UserName another user has is a uniqueness conflict (the sync then says
    // USERNAME_TAKEN, as it would for real), never "would succeed".
    createUser: (user) =>
      write({ verb: 'create-user' }, () => store.createUser(user), async () => {
        if (await store.findUserIdByUserName(user.userName)) throw new PermanentError('ALREADY_EXISTS', 'identitystore: ConflictException (UNIQUENESS_CONSTRAINT_VIOLATION)');
        return PLANNED_IDENTITY;
      }, (id) => `created ${id}`),
    updateUser: (id, changes) =>
      write({ verb: 'update-user', subject: id, detail: Object.keys(changes).join(', ') }, () => store.updateUser(id, changes), () => undefined),
    deleteUser: (id) => write({ verb: 'delete-user', subject: id }, () => store.deleteUser(id), () => undefined),
    createGroup: (name, description) =>
      write({ verb: 'create-group', detail: name }, () => store.createGroup(name, description), () => `(new group ${name})`, (id) => `created ${id}`),
    addMember: (groupId, userId) =>
      write({ verb: 'add-member', subject: userId, detail: groupId }, () => store.addMember(groupId, userId), () => 'added' as const, String),
    removeMember: (groupId, userId) =>
      write({ verb: 'remove-member', subject: userId, detail: groupId }, () => store.removeMember(groupId, userId), () => 'removed' as const, String),
    removeMembership: (groupId, userId, membershipId) =>
      write({ verb: 'remove-member', subject: userId, detail: groupId }, () => store.removeMembership(groupId, userId, membershipId), () => 'removed' as const, String),
  };
  const real = deps.assignments;
  const assignments: AppAssignments = {
    accessOf: async (id) => (planned(id) ? { otherApplications: 0, accounts: 0 } : real.accessOf(id)),
    assign: (id, type) => write({ verb: 'assign', subject: id, detail: type }, () => real.assign(id, type), () => 'assigned' as const, String),
    unassign: (id, type) => write({ verb: 'unassign', subject: id, detail: type }, () => real.unassign(id, type), () => undefined),
  };
  const table = deps.links;
  // A link deleted during the run is gone for the rest of it (the dry run deleted nothing): a sync that drops the link
  // of an identity deleted by hand and syncs afresh must not read it back.
  const dropped = new Set<string>();
  const links: LinkStore = {
    async get(instanceId, connectUserId) {
      const record = await table.get(instanceId, connectUserId);
      if (!dropped.has(connectUserId)) return record;
      const { link: _dropped, ...rest } = record;
      return rest;
    },
    creationAttempts: (instanceId, id) => table.creationAttempts(instanceId, id),
    claimant: (instanceId, identityUserId) => table.claimant(instanceId, identityUserId),
    claimOf: (instanceId, identityUserId) => table.claimOf(instanceId, identityUserId),
    pages: (instanceId) => table.pages(instanceId),
    recordCreationAttempt: (instanceId, id, at) => quiet(() => table.recordCreationAttempt(instanceId, id, at), () => undefined),
    clearFailure: (instanceId, id, step) => quiet(() => table.clearFailure(instanceId, id, step), () => undefined),
    claim: (instanceId, identityUserId, id, created, groupIds) =>
      quiet(() => table.claim(instanceId, identityUserId, id, created, groupIds), async () => {
        // A holder whose link or claim this run released (a hand-over from a deleted Connect user) holds it no more.
        const holder = planned(identityUserId) ? undefined : await table.claimant(instanceId, identityUserId);
        return { holder: holder && !dropped.has(holder) ? holder : id, created };
      }),
    adopt: (link) => write({ verb: 'write-link', subject: link.connectUserId, detail: link.identityUserId }, () => table.adopt(link), () => 'linked' as const),
    async put(link) {
      await write({ verb: 'write-link', subject: link.connectUserId, detail: link.identityUserId }, () => table.put(link), () => undefined);
      dropped.delete(link.connectUserId);
    },
    async delete(link, options) {
      await write({ verb: 'delete-link', subject: link.connectUserId, detail: link.identityUserId }, () => table.delete(link, options), () => undefined);
      dropped.add(link.connectUserId);
    },
    tombstone: (instanceId, id, at) =>
      write({ verb: 'record-deletion', subject: id }, () => table.tombstone(instanceId, id, at), () => table.get(instanceId, id)),
    recordFailure: (instanceId, id, failure, step) =>
      write({ verb: 'remember-failure', subject: id, detail: failure.code }, () => table.recordFailure(instanceId, id, failure, step), () => 'new' as const),
  };
  return { ...deps, identityStore, assignments, links };
}
