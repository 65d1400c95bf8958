import type { SyncDeps } from './context.js';
import type { PlannedStep } from './dry-run.js';
import { asSyncError } from './errors.js';
import type { AppAssignments, IdentityStore, LinkStore } from './ports.js';

/** A write a use case made, and what it answered ("added", "already-member", "done", "failed CODE"). */
export interface AppliedStep extends PlannedStep {
  result: string;
}

/**
 * The same ports with every write made and recorded with its answer, in the order made: the use cases run over them
 * unchanged (`connect-sso-sync user --apply` prints each step's outcome). The dry run's twin (dry-run.ts): the same
 * verbs, so a plan and its application read alike. Ids and attribute names only.
 */
export function recordedRun(deps: SyncDeps): { deps: SyncDeps; steps: AppliedStep[] } {
  const steps: AppliedStep[] = [];
  async function run<T>(step: PlannedStep, write: () => Promise<T>, answer: (value: T) => string = () => 'done'): Promise<T> {
    try {
      const value = await write();
      steps.push({ ...step, result: answer(value) });
      return value;
    } catch (error) {
      steps.push({ ...step, result: `failed ${asSyncError(error).code}` });
      throw error;
    }
  }
  const store = deps.identityStore;
  const identityStore: IdentityStore = {
    findUserIdByEmail: (email) => store.findUserIdByEmail(email),
    findUserIdByUserName: (userName) => store.findUserIdByUserName(userName),
    describeUser: (id) => store.describeUser(id),
    findGroupIdByName: (name) => store.findGroupIdByName(name),
    memberships: (id, groupIds) => store.memberships(id, groupIds),
    groupIdsOf: (id) => store.groupIdsOf(id),
    createUser: (user) => run({ verb: 'create-user' }, () => store.createUser(user), (id) => `created ${id}`),
    updateUser: (id, changes) => run({ verb: 'update-user', subject: id, detail: Object.keys(changes).join(', ') }, () => store.updateUser(id, changes)),
    deleteUser: (id) => run({ verb: 'delete-user', subject: id }, () => store.deleteUser(id)),
    createGroup: (name, description) => run({ verb: 'create-group', detail: name }, () => store.createGroup(name, description), (id) => `created ${id}`),
    addMember: (groupId, userId) => run({ verb: 'add-member', subject: userId, detail: groupId }, () => store.addMember(groupId, userId), String),
    removeMember: (groupId, userId) =>
      run({ verb: 'remove-member', subject: userId, detail: groupId }, () => store.removeMember(groupId, userId), String),
  };
  const real = deps.assignments;
  const assignments: AppAssignments = {
    accessOf: (id) => real.accessOf(id),
    assign: (id, type) => run({ verb: 'assign', subject: id, detail: type }, () => real.assign(id, type), String),
    unassign: (id, type) => run({ verb: 'unassign', subject: id, detail: type }, () => real.unassign(id, type)),
  };
  const table = deps.links;
  const links: LinkStore = {
    get: (instanceId, id) => table.get(instanceId, id),
    creationAttempts: (instanceId, id) => table.creationAttempts(instanceId, id),
    recordCreationAttempt: (instanceId, id, at) => table.recordCreationAttempt(instanceId, id, at),
    claim: (instanceId, identityUserId, id, created) => table.claim(instanceId, identityUserId, id, created),
    claimant: (instanceId, identityUserId) => table.claimant(instanceId, identityUserId),
    clearFailure: (instanceId, id) => table.clearFailure(instanceId, id),
    pages: (instanceId) => table.pages(instanceId),
    put: (link) => run({ verb: 'write-link', subject: link.connectUserId, detail: link.identityUserId }, () => table.put(link)),
    delete: (link, options) => run({ verb: 'delete-link', subject: link.connectUserId, detail: link.identityUserId }, () => table.delete(link, options)),
    tombstone: (instanceId, id, at) => run({ verb: 'record-deletion', subject: id }, () => table.tombstone(instanceId, id, at)),
    recordFailure: (instanceId, id, failure) =>
      run({ verb: 'remember-failure', subject: id, detail: failure.code }, () => table.recordFailure(instanceId, id, failure)),
  };
  return { deps: { ...deps, identityStore, assignments, links }, steps };
}

