import { ConnectIdentities, findDrift, recordingConnectDirectory } from '../../../shared/core/drift.js';
import type { ConnectUserLister, IdentityDirectory } from '../../../shared/core/operator-ports.js';
import { createPlanner, type UserPlan } from '../../../shared/core/reconcile-plan.js';
import { reconcileUsers, type Checkpoint, type CheckpointStore } from '../../../shared/core/reconcile.js';
import { createSyncUser, type SyncSettings } from '../../../shared/core/sync-user.js';
import { FakeAssignments, FakeConnect, FakeIdentityStore } from '../../support/fakes.js';

const INSTANCE = 'i-1';
const settings: SyncSettings = { agentGroupName: 'ConnectAgents', assignmentMode: 'group', createUsers: true };

/** ListUsers over the fake Connect, `pageSize` users a page, tokens "p<n>". */
function lister(connect: FakeConnect, pageSize: number): ConnectUserLister & { requested: (string | undefined)[] } {
  const requested: (string | undefined)[] = [];
  return {
    requested,
    async *pages(_instance, startToken) {
      const all = [...connect.users.values()].map((u) => ({ id: u.id, username: u.username }));
      let index = startToken ? Number(startToken.slice(1)) : 0;
      do {
        const token = index === 0 ? undefined : `p${index}`;
        requested.push(token);
        const next = index + pageSize < all.length ? `p${index + pageSize}` : undefined;
        yield { token, users: all.slice(index, index + pageSize), nextToken: next };
        index += pageSize;
      } while (index < all.length);
    },
  };
}

function world() {
  const connect = new FakeConnect(INSTANCE);
  const store = new FakeIdentityStore();
  const assignments = new FakeAssignments();
  connect.add({ id: 'c-new', username: 'new@example.com' });
  connect.add({ id: 'c-linked', username: 'linked@example.com' });
  connect.add({ id: 'c-synced', username: 'synced@example.com' });
  connect.add({ id: 'c-noemail', username: 'no-email' });
  const group = store.seedGroup('ConnectAgents');
  store.seedUser({ userName: 'linked@example.com', email: 'linked@example.com' });
  const synced = store.seedUser({ userName: 'synced@example.com', email: 'synced@example.com' });
  store.memberships.add(`${group}|${synced}`);
  assignments.assigned.add(`GROUP:${group}`);
  return { connect, store, assignments, group };
}

const reader = (assignments: FakeAssignments) => ({ assignedPrincipals: async () => new Set(assignments.assigned) });

describe('reconcile with the dry-run planner', () => {
  it('plans create / link / in-sync / cannot per user from real reads and writes nothing', async () => {
    const { connect, store, assignments } = world();
    const planner = createPlanner(store, reader(assignments));
    const syncUser = createSyncUser({ connect, identityStore: planner.identityStore, assignments: planner.assignments, settings });
    const plans: UserPlan[] = [];

    const summary = await reconcileUsers({ instanceId: INSTANCE, lister: lister(connect, 2), syncUser, assignmentMode: 'group', concurrency: 2, onUser: (p) => plans.push(p) });

    const byId = Object.fromEntries(plans.map((p) => [p.connectUserId, p]));
    expect(byId['c-new']).toMatchObject({ status: 'create', actions: ['create', 'add-to-group'] });
    expect(byId['c-linked']).toMatchObject({ status: 'link', actions: ['link', 'add-to-group'] });
    expect(byId['c-synced']).toMatchObject({ status: 'in-sync', actions: [] });
    expect(byId['c-noemail']).toMatchObject({ status: 'cannot', code: 'NO_EMAIL' });
    expect(summary).toMatchObject({ users: 4, pages: 2, byStatus: { create: 1, link: 1, 'in-sync': 1, cannot: 1, error: 0 }, byCode: { NO_EMAIL: 1 } });
    expect(store.calls.filter((c) => ['createUser', 'createGroup', 'addMember'].includes(c))).toEqual([]);
    expect(assignments.calls).toEqual([]);
    expect(planner.writes).toMatchObject({ usersCreated: 1, membershipsAdded: 2, groupCreated: false, groupAssigned: false });
  });

  it('plans a link, not a create, when the userName is taken (the core would meet a conflict)', async () => {
    const connect = new FakeConnect(INSTANCE);
    const store = new FakeIdentityStore();
    connect.add({ id: 'c-1', username: 'taken', email: 'new@example.com' });
    store.seedUser({ userName: 'taken', email: 'other@example.com' });
    const planner = createPlanner(store, undefined);
    const syncUser = createSyncUser({ connect, identityStore: planner.identityStore, assignments: planner.assignments, settings: { ...settings, assignmentMode: 'none' } });

    const plans: UserPlan[] = [];
    await reconcileUsers({ instanceId: INSTANCE, lister: lister(connect, 10), syncUser, assignmentMode: 'none', concurrency: 1, onUser: (p) => plans.push(p) });

    expect(plans[0]).toMatchObject({ status: 'link', actions: ['link', 'add-to-group'] });
    expect(planner.writes.groupCreated).toBe(true);
  });
});

describe('reconcile --apply', () => {
  function memoryCheckpoint(initial?: Checkpoint): CheckpointStore & { saved: Checkpoint[]; current?: Checkpoint } {
    const store = {
      saved: [] as Checkpoint[],
      current: initial,
      load: async () => store.current,
      save: async (c: Checkpoint) => {
        store.saved.push(c);
        store.current = c;
      },
      clear: async () => {
        store.current = undefined;
      },
    };
    return store;
  }

  it('carries the plan out through the same core, is idempotent on a second run, and clears its checkpoint', async () => {
    const { connect, store, assignments, group } = world();
    const syncUser = createSyncUser({ connect, identityStore: store, assignments, settings });
    const checkpoint = memoryCheckpoint();

    const first = await reconcileUsers({ instanceId: INSTANCE, lister: lister(connect, 3), syncUser, assignmentMode: 'group', concurrency: 3, checkpoint });
    const second = await reconcileUsers({ instanceId: INSTANCE, lister: lister(connect, 3), syncUser, assignmentMode: 'group', concurrency: 3 });

    expect(first.byStatus).toMatchObject({ create: 1, link: 1, 'in-sync': 1, cannot: 1 });
    expect(store.membersOf(group)).toHaveLength(3);
    expect(second.byStatus).toMatchObject({ create: 0, link: 0, 'in-sync': 3, cannot: 1 });
    expect(checkpoint.saved.at(-1)).toMatchObject({ pagesDone: 2, usersDone: 4, doneInPage: 0 });
    expect(checkpoint.current).toBeUndefined();
  });

  it('resumes from the checkpoint: the page it names, skipping the users done in it', async () => {
    const { connect, store, assignments } = world();
    const syncUser = createSyncUser({ connect, identityStore: store, assignments, settings });
    const checkpoint = memoryCheckpoint({ instanceId: INSTANCE, pageToken: 'p2', doneInPage: 1, pagesDone: 1, usersDone: 3 });
    const list = lister(connect, 2);
    const seen: string[] = [];

    const summary = await reconcileUsers({ instanceId: INSTANCE, lister: list, syncUser, assignmentMode: 'group', concurrency: 2, checkpoint, resume: true, onUser: (p) => seen.push(p.connectUserId) });

    expect(list.requested).toEqual(['p2']);
    expect(seen).toEqual(['c-noemail']);
    expect(summary.resumedFrom).toEqual({ pagesDone: 1, usersDone: 3 });
  });

  it('refuses a checkpoint of another instance', async () => {
    const { connect, store, assignments } = world();
    const syncUser = createSyncUser({ connect, identityStore: store, assignments, settings });
    const checkpoint = memoryCheckpoint({ instanceId: 'other', doneInPage: 0, pagesDone: 1, usersDone: 1 });

    await expect(reconcileUsers({ instanceId: INSTANCE, lister: lister(connect, 2), syncUser, assignmentMode: 'group', concurrency: 1, checkpoint, resume: true })).rejects.toThrow(/another|not i-1/);
  });
});

describe('drift', () => {
  it('reports group members matching no Connect Username or email, and only those', async () => {
    const connect = new FakeConnect(INSTANCE);
    connect.add({ id: 'c-1', username: 'agent1', email: 'one@example.com' });
    const known = new ConnectIdentities();
    const recording = recordingConnectDirectory(connect, known);
    await recording.describeUser(INSTANCE, 'c-1');
    known.add('agent2@example.com'); // from ListUsers
    const users: Record<string, { userName: string; emails: string[] }> = {
      'u-1': { userName: 'someone', emails: ['ONE@example.com'] },
      'u-2': { userName: 'agent2@example.com', emails: [] },
      'u-3': { userName: 'leaver@example.com', emails: ['leaver@example.com'] },
    };
    const directory: IdentityDirectory = {
      async *groupMemberPages() {
        yield ['u-1', 'u-2'];
        yield ['u-3', 'u-gone'];
      },
      describeUser: async (id) => (users[id] ? { id, ...users[id] } : undefined),
    };

    const report = await findDrift(directory, 'g-1', known);

    expect(report).toEqual({ members: 4, drift: [{ identityUserId: 'u-3', userName: 'leaver@example.com' }] });
  });
});
