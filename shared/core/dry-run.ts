import type { SyncDeps } from './context.js';
import type { AppAssignments, IdentityStore, LinkStore } from './ports.js';

/** One write a use case would make, in ids and attribute names (no values: safe to show and to log). */
export interface PlannedStep {
  verb:
    | 'create-user'
    | 'update-user'
    | 'delete-user'
    | 'create-group'
    | 'add-member'
    | 'remove-member'
    | 'assign'
    | 'unassign'
    | 'write-link'
    | 'delete-link'
    | 'record-deletion'
    | 'remember-failure';
  /** The identity, group or Connect user the write is about. */
  subject?: string;
  /** The group of a membership, the principal type of an assignment, the attributes of an update, a failure's code. */
  detail?: string;
}

/** The id a planned CreateUser answers: no identity exists yet, so nothing is read for it. */
export const PLANNED_IDENTITY = '(new identity)';

/**
 * The same ports with every write recorded instead of made, and every read made: the use cases run over them unchanged
 * and `steps` says exactly what they would write now (reconcile's dry run, `connect-sso-sync user`). Writes answer as
 * the adapters would on success; reads that name a planned identity are not sent (it has no memberships yet).
 */
export function dryRun(deps: SyncDeps): { deps: SyncDeps; steps: PlannedStep[] } {
  const steps: PlannedStep[] = [];
  const plan = (step: PlannedStep) => void steps.push(step);
  const store = deps.identityStore;
  const identityStore: IdentityStore = {
    findUserIdByEmail: (email) => store.findUserIdByEmail(email),
    findUserIdByUserName: (userName) => store.findUserIdByUserName(userName),
    describeUser: (id) => (id === PLANNED_IDENTITY ? Promise.resolve(undefined) : store.describeUser(id)),
    findGroupIdByName: (name) => store.findGroupIdByName(name),
    memberships: (id, groupIds) => (id === PLANNED_IDENTITY ? Promise.resolve(new Set<string>()) : store.memberships(id, groupIds)),
    groupIdsOf: (id) => (id === PLANNED_IDENTITY ? Promise.resolve(new Set<string>()) : store.groupIdsOf(id)),
    async createUser() {
      plan({ verb: 'create-user' });
      return PLANNED_IDENTITY;
    },
    async updateUser(id, changes) {
      plan({ verb: 'update-user', subject: id, detail: Object.keys(changes).join(', ') });
    },
    async deleteUser(id) {
      plan({ verb: 'delete-user', subject: id });
    },
    async createGroup(displayName) {
      plan({ verb: 'create-group', detail: displayName });
      return `(new group ${displayName})`;
    },
    async addMember(groupId, userId) {
      plan({ verb: 'add-member', subject: userId, detail: groupId });
      return 'added';
    },
    async removeMember(groupId, userId) {
      plan({ verb: 'remove-member', subject: userId, detail: groupId });
      return 'removed';
    },
  };
  const assignments: AppAssignments = {
    async assign(principalId, principalType) {
      plan({ verb: 'assign', subject: principalId, detail: principalType });
      return 'assigned';
    },
    async unassign(principalId, principalType) {
      plan({ verb: 'unassign', subject: principalId, detail: principalType });
    },
    accessOf: (id) => (id === PLANNED_IDENTITY ? Promise.resolve({ otherApplications: 0, accounts: 0 }) : deps.assignments.accessOf(id)),
  };
  const real = deps.links;
  // A link planned for deletion is gone for the rest of the run: a sync that drops the link of an identity deleted by
  // hand and syncs afresh must not read it back (it would plan a failure instead of the new identity).
  const dropped = new Set<string>();
  const links: LinkStore = {
    async get(instanceId, connectUserId) {
      const record = await real.get(instanceId, connectUserId);
      if (!dropped.has(connectUserId)) return record;
      const { link: _dropped, ...rest } = record;
      return rest;
    },
    creationAttempts: (instanceId, connectUserId) => real.creationAttempts(instanceId, connectUserId),
    claimant: (instanceId, identityUserId) => real.claimant(instanceId, identityUserId),
    pages: (instanceId) => real.pages(instanceId),
    async put(link) {
      plan({ verb: 'write-link', subject: link.connectUserId, detail: link.identityUserId });
    },
    async recordCreationAttempt() {},
    async claim(instanceId, identityUserId, connectUserId, created) {
      const holder = identityUserId === PLANNED_IDENTITY ? undefined : await real.claimant(instanceId, identityUserId);
      return { holder: holder ?? connectUserId, created };
    },
    async delete(link) {
      dropped.add(link.connectUserId);
      plan({ verb: 'delete-link', subject: link.connectUserId, detail: link.identityUserId });
    },
    async tombstone(instanceId, connectUserId) {
      plan({ verb: 'record-deletion', subject: connectUserId });
      return real.get(instanceId, connectUserId);
    },
    async recordFailure(_instanceId, connectUserId, failure) {
      plan({ verb: 'remember-failure', subject: connectUserId, detail: failure.code });
    },
    async clearFailure() {},
  };
  return { deps: { ...deps, identityStore, assignments, links }, steps };
}
