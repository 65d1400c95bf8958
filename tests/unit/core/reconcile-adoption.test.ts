/**
 * The adoption of unlinked users on a SAML instance from the Identity Store's listing (reconcile-adoption.ts): a user
 * already right in Identity Center is a link write alone; everything else goes the per-user sync way (with the
 * identity the listing matched), and a sign-in name that differs only in case is reported, never linked or queued.
 */
import type { Link } from '../../../shared/core/ports/index.js';
import { planReconcile, type ConnectUserRow, type PlanInput } from '../../../shared/core/reconcile-plan.js';
import type { SignInAttribute } from '../../../shared/core/sign-in.js';
import { createIdentityIndex, matchBySignInName, type IndexedIdentity } from '../../../shared/core/sign-in-index.js';

const AGENTS = 'g-agents';
const ADMINS = 'g-admins';
const name = (n: number) => `agent${n}@example.com`;
const connectUser = (n: number, username = name(n)): ConnectUserRow => ({ id: `c-${n}`, username, securityProfileIds: ['sp-agent'] });
const identity = (n: number, over: Partial<IndexedIdentity> = {}): IndexedIdentity => ({ id: `u-${n}`, sends: name(n), userName: name(n), disabled: false, ...over });

function indexOf(identities: IndexedIdentity[], attribute: SignInAttribute = 'email') {
  const index = createIdentityIndex(attribute);
  for (const i of identities) index.add(i);
  return index.index();
}

/** `users` Connect users without links; identities as given; group members as given. */
function plan(users: ConnectUserRow[], identities: IndexedIdentity[], over: Partial<PlanInput> = {}) {
  const index = indexOf(identities, over.identities?.attribute);
  return planReconcile({
    connectUsers: new Map(users.map((u) => [u.id, u])),
    links: new Map(),
    managed: new Map([['ConnectAgents', AGENTS], ['ConnectAdmins', ADMINS]]),
    members: new Map([[AGENTS, new Set(identities.map((i) => i.id))], [ADMINS, new Set()]]),
    assigned: new Set([`GROUP:${AGENTS}`, `GROUP:${ADMINS}`]),
    failures: new Map(),
    wantedNames: () => ['ConnectAgents'],
    assignmentMode: 'group',
    identities: index,
    protectedMembers: new Set(),
    ...over,
  });
}

describe('adoption from the listing (SAML)', () => {
  it('links a user whose identity signs in as it and is in exactly its groups, without a sync', () => {
    const result = plan([connectUser(1)], [identity(1)]);

    expect(result.linkWrites).toEqual([{ connectUserId: 'c-1', username: name(1), identityUserId: 'u-1', groupIds: [AGENTS], securityProfileIds: ['sp-agent'] }]);
    expect(result.actions).toEqual([]);
    expect(result.adoption).toEqual({ matched: 1, linkOnly: 1, toWrite: 0 });
    expect(result.drift['missing-link']).toBe(1);
  });

  it('syncs, starting from the matched identity, a user whose identity is not in its group yet', () => {
    const result = plan([connectUser(1)], [identity(1)], { members: new Map([[AGENTS, new Set()], [ADMINS, new Set()]]) });

    expect(result.linkWrites).toEqual([]);
    expect(result.actions).toEqual([expect.objectContaining({ connectUserId: 'c-1', action: 'sync', drift: ['missing-link'], identityUserId: 'u-1' })]);
    expect(result.adoption).toEqual({ matched: 1, linkOnly: 0, toWrite: 1 });
  });

  it('syncs a user in a managed group it should not be in, or whose group is not assigned to the application', () => {
    const extra = plan([connectUser(1)], [identity(1)], { members: new Map([[AGENTS, new Set(['u-1'])], [ADMINS, new Set(['u-1'])]]) });
    const unassigned = plan([connectUser(1)], [identity(1)], { assigned: new Set() });

    expect(extra.linkWrites).toEqual([]);
    expect(extra.actions.map((a) => a.identityUserId)).toEqual(['u-1']);
    expect(unassigned.linkWrites).toEqual([]);
    expect(unassigned.actions.map((a) => a.identityUserId)).toEqual(['u-1']);
  });

  it('reports a sign-in name that differs only in case (SIGN_IN_NAME_MISMATCH): never linked, never queued', () => {
    const result = plan([connectUser(1, 'Agent1@Example.com')], [identity(1)]);

    expect(result.linkWrites).toEqual([]);
    expect(result.actions).toEqual([]);
    expect(result.signInProblems).toEqual([{ connectUserId: 'c-1', username: 'Agent1@Example.com', identityUserId: 'u-1', code: 'SIGN_IN_NAME_MISMATCH' }]);
    expect(result.drift['sign-in-mismatch']).toBe(1);
  });

  it('leaves a protected identity to the sync, which refuses it (PROTECTED_IDENTITY), never to a link write', () => {
    const result = plan([connectUser(1)], [identity(1)], { protectedMembers: new Set(['u-1']) });

    expect(result.linkWrites).toEqual([]);
    expect(result.actions).toEqual([expect.objectContaining({ connectUserId: 'c-1', action: 'sync' })]);
  });

  it('leaves an identity another Connect user holds (link or claim), and a user with its own claim, to the sync', () => {
    const held: Link = { instanceId: 'i-1', connectUserId: 'c-9', identityUserId: 'u-1', created: false, groupIds: [AGENTS], createdAt: '', updatedAt: '' };
    const byLink = plan([connectUser(1)], [identity(1)], { links: new Map([['c-9', held]]) });
    const byClaim = plan([connectUser(1)], [identity(1)], { unlinkedClaims: new Map([['c-9', ['u-1']]]) });
    const ownClaim = plan([connectUser(1)], [identity(1)], { unlinkedClaims: new Map([['c-1', ['u-7']]]) });

    for (const result of [byLink, byClaim, ownClaim]) {
      expect(result.linkWrites).toEqual([]);
      expect(result.actions.map((a) => a.connectUserId)).toContain('c-1');
    }
  });

  it('keeps a remembered failure and a disabled identity on the per-user path (known failures stay known)', () => {
    const failed = plan([connectUser(1)], [identity(1)], { failures: new Map([['c-1', { code: 'PROTECTED_IDENTITY', since: '2026-01-01T00:00:00Z' }]]) });
    const disabled = plan([connectUser(1)], [identity(1, { disabled: true })]);

    expect(failed.linkWrites).toEqual([]);
    expect(failed.knownFailures.map((f) => f.connectUserId)).toEqual(['c-1']);
    expect(disabled.linkWrites).toEqual([]);
    expect(disabled.actions.map((a) => a.connectUserId)).toEqual(['c-1']);
  });

  it('syncs without a matched identity when none signs in as the user (the sync creates one)', () => {
    const result = plan([connectUser(1)], [identity(2)]);

    expect(result.actions).toEqual([expect.objectContaining({ connectUserId: 'c-1', action: 'sync', drift: ['missing-link'] })]);
    expect(result.actions[0]?.identityUserId).toBeUndefined();
    expect(result.adoption).toEqual({ matched: 0, linkOnly: 0, toWrite: 1 });
  });

  it('without a listing (a non-SAML instance) every unlinked user goes the per-user way, and no adoption is reported', () => {
    const result = plan([connectUser(1)], [identity(1)], { identities: undefined });

    expect(result.linkWrites).toEqual([]);
    expect(result.actions).toEqual([{ connectUserId: 'c-1', username: name(1), action: 'sync', drift: ['missing-link'] }]);
    expect(result.adoption).toBeUndefined();
  });
});

describe('matchBySignInName', () => {
  it('email mode: another identity whose UserName is the Username makes the match unsure (AMBIGUOUS_MATCH is the sync\'s to say)', () => {
    const index = indexOf([identity(1), identity(2, { userName: name(1), sends: 'other@example.com' })]);

    expect(matchBySignInName(name(1), index)).toEqual({ kind: 'unsure' });
  });

  it('a Username that can never be a sign-in name is unsure (the sync reports why)', () => {
    expect(matchBySignInName('not an address', indexOf([identity(1)]))).toEqual({ kind: 'unsure' });
  });

  it('userName mode matches the UserName exactly, and a case variant is a mismatch', () => {
    const index = indexOf([identity(1, { sends: 'jdoe', userName: 'jdoe' })], 'userName');

    expect(matchBySignInName('jdoe', index)).toEqual({ kind: 'exact', identity: expect.objectContaining({ id: 'u-1' }) });
    expect(matchBySignInName('JDoe', index)).toEqual({ kind: 'mismatch', identity: expect.objectContaining({ id: 'u-1' }) });
  });

  it('an exact match beside a case variant is unsure: the sync decides (find-identity.ts reports the mismatch)', () => {
    const index = indexOf([identity(1), identity(2, { sends: name(1).toUpperCase(), userName: 'someone' })]);

    expect(matchBySignInName(name(1), index).kind).toBe('unsure');
  });
});
