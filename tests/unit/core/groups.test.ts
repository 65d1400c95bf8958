import { PermanentError } from '../../../shared/core/errors.js';
import { createGroups } from '../../../shared/core/groups.js';
import { rejection } from '../../support/core.js';
import { FakeIdentityStore } from '../../support/fakes.js';

describe('managed groups without MANAGED_GROUP_IDS', () => {
  it('resolves a group by name once and caches its id', async () => {
    const store = new FakeIdentityStore();
    const agents = store.seedGroup('ConnectAgents');
    const groups = createGroups(store, {});

    const ids = [await groups.idOf('ConnectAgents'), await groups.idOf('ConnectAgents')];

    expect(ids).toEqual([agents, agents]);
    expect(store.calls).toEqual(['findGroupIdByName']);
  });

  it('creates a missing group once, even for concurrent callers', async () => {
    const store = new FakeIdentityStore();
    const groups = createGroups(store, {});

    const ids = await Promise.all([groups.idOf('ConnectAgents'), groups.idOf('ConnectAgents'), groups.idOf('ConnectAgents')]);

    expect(new Set(ids).size).toBe(1);
    expect(store.count('createGroup')).toBe(1);
    expect(store.count('findGroupIdByName')).toBe(1);
    expect([...store.groups.values()]).toEqual(['ConnectAgents']);
  });

  it('uses the group another container created first (ALREADY_EXISTS, then found by name)', async () => {
    const store = new FakeIdentityStore();
    const groups = createGroups(store, {});
    let theirs = '';
    store.hooks.createGroup = () => {
      theirs = store.seedGroup('ConnectAgents');
    };

    const id = await groups.idOf('ConnectAgents');

    expect(id).toBe(theirs);
    expect(store.groups.size).toBe(1);
  });

  it('retries (CONFLICT_UNRESOLVED) when the group exists but cannot be found by name yet', async () => {
    const store = new FakeIdentityStore();
    const groups = createGroups(store, {});
    store.hooks.createGroup = () => {
      throw new PermanentError('ALREADY_EXISTS', 'conflict');
    };

    const error = await rejection(groups.idOf('ConnectAgents'));

    expect([error.code, error.retryable]).toEqual(['CONFLICT_UNRESOLVED', true]);
  });

  it('looks a forgotten group up again (its id was found stale)', async () => {
    const store = new FakeIdentityStore();
    const old = store.seedGroup('ConnectAgents');
    const groups = createGroups(store, {});
    await groups.idOf('ConnectAgents');
    store.dropGroup(old);
    const recreated = store.seedGroup('ConnectAgents');

    const cached = await groups.idOf('ConnectAgents');
    groups.forget('ConnectAgents');
    const fresh = await groups.idOf('ConnectAgents');

    expect(cached).toBe(old);
    expect(fresh).toBe(recreated);
  });

  it('existingIdOf never creates a group, and takes a missing group as missing for a minute', async () => {
    const store = new FakeIdentityStore();
    let now = 0;
    const groups = createGroups(store, {}, () => now);

    const missing = await groups.existingIdOf('ConnectAgents');
    const created = store.seedGroup('ConnectAgents');
    const stillMissing = await groups.existingIdOf('ConnectAgents');
    now += 60_000;
    const found = await groups.existingIdOf('ConnectAgents');

    expect([missing, stillMissing, found]).toEqual([undefined, undefined, created]);
    expect(store.calls).toEqual(['findGroupIdByName', 'findGroupIdByName']);
  });

  it('idOf never trusts a remembered miss: it looks up (and creates) the group it is about to add to', async () => {
    const store = new FakeIdentityStore();
    const groups = createGroups(store, {}, () => 0);
    await groups.existingIdOf('ConnectAgents');
    const createdByHand = store.seedGroup('ConnectAgents');

    const id = await groups.idOf('ConnectAgents');

    expect(id).toBe(createdByHand);
    expect(store.calls).not.toContain('createGroup');
  });
});

describe('managed groups with MANAGED_GROUP_IDS', () => {
  it('accepts a group whose id is in the set', async () => {
    const store = new FakeIdentityStore();
    const agents = store.seedGroup('ConnectAgents');
    const groups = createGroups(store, { managedGroupIds: new Set([agents]) });

    expect(await groups.idOf('ConnectAgents')).toBe(agents);
  });

  it('fails with GROUP_NOT_FOUND for a missing group and never creates it', async () => {
    const store = new FakeIdentityStore();
    const groups = createGroups(store, { managedGroupIds: new Set(['g-1']) });

    const error = await rejection(groups.idOf('ConnectAgents'));

    expect([error.code, error.retryable]).toEqual(['GROUP_NOT_FOUND', false]);
    expect(error.message).toMatch(/create it .* managedGroupIds/);
    expect(store.calls).not.toContain('createGroup');
  });

  it('fails with GROUP_NOT_MANAGED for a group outside the set, naming its id', async () => {
    const store = new FakeIdentityStore();
    const agents = store.seedGroup('ConnectAgents');
    const groups = createGroups(store, { managedGroupIds: new Set(['g-other']) });

    const viaIdOf = await rejection(groups.idOf('ConnectAgents'));
    const viaExisting = await rejection(groups.existingIdOf('ConnectAgents'));

    expect([viaIdOf.code, viaIdOf.retryable]).toEqual(['GROUP_NOT_MANAGED', false]);
    expect(viaIdOf.message).toContain(agents);
    expect(viaExisting.code).toBe('GROUP_NOT_MANAGED');
  });
});
