import type { Link } from '../../shared/core/ports/index.js';
import { rejection } from '../support/core.js';
import { FakeIdentityStore, FakeLinks } from '../support/fakes.js';

/** The fakes stand in for the adapters in every core test: their semantics are pinned here, as the adapters'. */
const link = (overrides: Partial<Link> = {}): Link => ({
  instanceId: 'i-1',
  connectUserId: 'c-1',
  identityUserId: 'u-1',
  created: true,
  groupIds: ['g-1'],
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...overrides,
});

describe('FakeLinks (as adapters/links.ts)', () => {
  it('never turns created from true to false, and keeps the first createdAt', async () => {
    const links = new FakeLinks();
    await links.put(link());

    await links.put(link({ created: false, createdAt: '2026-02-02T00:00:00Z', updatedAt: '2026-02-02T00:00:00Z' }));

    expect((await links.get('i-1', 'c-1')).link).toMatchObject({ created: true, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-02-02T00:00:00Z' });
  });

  it('refuses a link to another identity (CONFLICT_UNRESOLVED)', async () => {
    const links = new FakeLinks();
    await links.put(link());

    const error = await rejection(links.put(link({ identityUserId: 'u-2' })));

    expect([error.code, error.retryable]).toEqual(['CONFLICT_UNRESOLVED', true]);
  });

  it('answers the holder of a claim, and lets the holder claim again', async () => {
    const links = new FakeLinks();

    expect(await links.claim('i-1', 'u-1', 'c-1', true)).toEqual({ holder: 'c-1', created: true });
    expect(await links.claim('i-1', 'u-1', 'c-2', false)).toEqual({ holder: 'c-1', created: true });
    expect(await links.claim('i-1', 'u-1', 'c-1', false)).toEqual({ holder: 'c-1', created: true });
  });

  it('names a claimed identity on the Connect user with its groups, refuses after a tombstone, and forgets the name on delete', async () => {
    const links = new FakeLinks();

    await links.claim('i-1', 'u-1', 'c-1', false, ['g-1']);
    await links.claim('i-1', 'u-1', 'c-1', false, ['g-2']);
    const named = await links.get('i-1', 'c-1');
    const claim = await links.claimOf('i-1', 'u-1');
    await links.delete({ instanceId: 'i-1', connectUserId: 'c-1', identityUserId: 'u-1' });
    await links.tombstone('i-1', 'c-1', 'at');
    const error = await rejection(links.claim('i-1', 'u-2', 'c-1', false));

    expect(named).toEqual({ connectUserId: 'c-1', claims: ['u-1'] });
    expect(claim).toEqual({ holder: 'c-1', created: false, groupIds: ['g-1', 'g-2'] });
    expect(await links.get('i-1', 'c-1')).toEqual({ connectUserId: 'c-1', deletedAt: 'at' });
    expect(error.code).toBe('CONNECT_USER_DELETED');
  });

  it('deletes the link and the claim only while they name the pair', async () => {
    const links = new FakeLinks();
    links.seed(link());

    await links.delete({ instanceId: 'i-1', connectUserId: 'c-1', identityUserId: 'u-other' });
    const kept = await links.get('i-1', 'c-1');
    await links.delete(link());

    expect(kept.link).toBeDefined();
    expect(await links.get('i-1', 'c-1')).toEqual({ connectUserId: 'c-1' });
    expect(links.holderOf('i-1', 'u-1')).toBeUndefined();
    expect(links.createdByService('i-1', 'u-1')).toBe(true);
  });

  it('keeps a tombstone: no link can be written after it (CONNECT_USER_DELETED), and deleting the link keeps it', async () => {
    const links = new FakeLinks();
    links.seed(link());

    const record = await links.tombstone('i-1', 'c-1', '2026-03-03T00:00:00Z');
    await links.delete(link());
    const error = await rejection(links.put(link()));

    expect(record).toMatchObject({ link: { identityUserId: 'u-1' }, deletedAt: '2026-03-03T00:00:00Z' });
    expect(error.code).toBe('CONNECT_USER_DELETED');
    expect(await links.get('i-1', 'c-1')).toEqual({ connectUserId: 'c-1', deletedAt: '2026-03-03T00:00:00Z' });
  });

  it('remembers a failure, keeps its since when the same failure comes again, and forgets it with a link', async () => {
    const links = new FakeLinks();
    const failure = { code: 'NO_EMAIL', since: 'a', connectModifiedAt: 'm1' };

    const answers = [await links.recordFailure('i-1', 'c-1', failure), await links.recordFailure('i-1', 'c-1', { ...failure, since: 'b' })];
    const first = (await links.get('i-1', 'c-1')).failure;
    await links.recordFailure('i-1', 'c-1', { ...failure, since: 'c', connectModifiedAt: 'm2' });
    const changed = (await links.get('i-1', 'c-1')).failure;
    await links.put(link());

    expect(answers).toEqual(['new', 'repeated']);
    expect(first).toEqual({ ...failure, attempts: 2, lastAt: 'b' });
    expect(changed).toEqual({ ...failure, since: 'c', connectModifiedAt: 'm2', attempts: 1, lastAt: 'c' });
    expect((await links.get('i-1', 'c-1')).failure).toBeUndefined();
  });

  it('records creation attempts only while unlinked, forgets them with the link, and has no link meanwhile', async () => {
    const links = new FakeLinks();
    await links.recordCreationAttempt('i-1', 'c-1', 'a');
    const unlinked = await links.get('i-1', 'c-1');
    await links.put(link());
    await links.recordCreationAttempt('i-1', 'c-1', 'b');

    expect(unlinked.link).toBeUndefined();
    expect(await links.creationAttempts('i-1', 'c-1')).toEqual([]);
  });

  it('pages the links of one instance', async () => {
    const links = new FakeLinks(2);
    for (const n of [1, 2, 3]) links.seed(link({ connectUserId: `c-${n}`, identityUserId: `u-${n}` }));
    links.seed(link({ instanceId: 'i-2' }));

    const pages: string[][] = [];
    for await (const page of links.pages('i-1')) pages.push(page.map((r) => r.connectUserId));

    expect(pages).toEqual([['c-1', 'c-2'], ['c-3']]);
  });
});

describe('FakeIdentityStore (as adapters/identity-store.ts)', () => {
  it('keeps UserName and email unique (ALREADY_EXISTS), ignoring case unless told otherwise', async () => {
    const store = new FakeIdentityStore();
    const strict = new FakeIdentityStore({ ignoreCase: false });
    const user = { userName: 'maria', displayName: 'M', givenName: 'M', familyName: 'G', email: 'maria@example.com' };
    await store.createUser(user);
    await strict.createUser(user);

    expect((await rejection(store.createUser({ ...user, userName: 'other', email: 'MARIA@example.com' }))).code).toBe('ALREADY_EXISTS');
    expect((await rejection(store.createUser({ ...user, email: 'other@example.com' }))).code).toBe('ALREADY_EXISTS');
    expect(await strict.createUser({ ...user, userName: 'MARIA', email: 'MARIA@example.com' })).toMatch(/^u-/);
  });

  it('fails like the adapter for missing users and groups, and succeeds where the adapter does', async () => {
    const store = new FakeIdentityStore();
    const group = store.seedGroup('ConnectAgents');
    const user = store.seedUser({ userName: 'maria', email: 'maria@example.com' });

    expect((await rejection(store.memberships('u-gone', [group]))).code).toBe('IDENTITY_NOT_FOUND');
    expect((await rejection(store.memberships(user, ['g-gone']))).code).toBe('GROUP_NOT_FOUND');
    expect((await rejection(store.addMember('g-gone', user))).code).toBe('GROUP_NOT_FOUND');
    expect((await rejection(store.groupIdsOf('u-gone'))).code).toBe('IDENTITY_NOT_FOUND');
    expect((await rejection(store.updateUser('u-gone', { familyName: 'X' }))).code).toBe('IDENTITY_NOT_FOUND');
    expect(await store.describeUser('u-gone')).toBeUndefined();
    expect(await store.removeMember('g-gone', user)).toBe('not-member');
    await expect(store.deleteUser('u-gone')).resolves.toBeUndefined();
  });

  it('answers memberships for any number of groups and adds a member once', async () => {
    const store = new FakeIdentityStore();
    const user = store.seedUser({ userName: 'maria', email: 'maria@example.com' });
    const groups = Array.from({ length: 150 }, (_, i) => store.seedGroup(`G${i}`));

    const first = await store.addMember(groups[120] ?? '', user);
    const second = await store.addMember(groups[120] ?? '', user);

    expect([first, second]).toEqual(['added', 'already-member']);
    expect(await store.memberships(user, groups)).toEqual(new Set([groups[120]]));
    expect(store.calls.filter((c) => c === 'memberships')).toHaveLength(1);
  });
});
