import { createOwnership, describeDoors, opensOtherDoors } from '../../../shared/core/ownership.js';
import { FakeAssignments, FakeIdentityStore } from '../../support/fakes.js';

function setup() {
  const identityStore = new FakeIdentityStore();
  const assignments = new FakeAssignments();
  const user = identityStore.seedUser({ userName: 'maria', email: 'maria@example.com' });
  const agents = identityStore.seedGroup('ConnectAgents');
  identityStore.join(agents, user);
  return { identityStore, assignments, user, agents, ownership: createOwnership(identityStore, assignments) };
}

describe('ownership rules', () => {
  it('refuses an identity in a protected group, naming the group id and no person', () => {
    const { ownership } = setup();

    const check = () => ownership.assertNotProtected(new Set(['g-agents', 'g-admins']), new Set(['g-admins']));

    expect(check).toThrow(expect.objectContaining({ code: 'PROTECTED_IDENTITY', retryable: false }));
    expect(check).toThrow(/protected group g-admins/);
  });

  it('lets an identity in no protected group through', () => {
    const { ownership } = setup();

    expect(() => ownership.assertNotProtected(new Set(['g-agents']), new Set(['g-admins']))).not.toThrow();
    expect(() => ownership.assertNotProtected(new Set(['g-agents']), new Set())).not.toThrow();
  });

  it('finds no other door for an identity only in managed groups, with no other assignment', async () => {
    const { ownership, user, agents } = setup();

    const doors = await ownership.otherDoors(user, new Set([agents]));

    expect(doors).toEqual({ groups: 0, applications: 0, accounts: 0 });
    expect(opensOtherDoors(doors)).toBe(false);
  });

  it('counts the groups outside the managed ones, other applications and AWS accounts', async () => {
    const { ownership, identityStore, assignments, user, agents } = setup();
    identityStore.join(identityStore.seedGroup('Finance'), user);
    identityStore.join(identityStore.seedGroup('Developers'), user);
    assignments.seedAccess(user, { otherApplications: 1, accounts: 3 });

    const doors = await ownership.otherDoors(user, new Set([agents]));

    expect(doors).toEqual({ groups: 2, applications: 1, accounts: 3 });
    expect(opensOtherDoors(doors)).toBe(true);
  });

  it('describes what blocked a change with counts only', () => {
    expect(describeDoors({ groups: 2, applications: 0, accounts: 1 })).toBe(
      '2 group(s) besides the managed ones, 1 AWS account assignment(s)',
    );
    expect(describeDoors({ groups: 0, applications: 1, accounts: 0 })).toBe('1 other application assignment(s)');
    expect(describeDoors({ groups: 0, applications: 0, accounts: 0 })).toBe('');
  });
});
