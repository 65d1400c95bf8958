import { createProfileNames } from '../../../shared/core/security-profiles.js';
import { FakeConnect } from '../../support/fakes.js';

const INSTANCE = 'i-1';

function setup() {
  const connect = new FakeConnect(INSTANCE);
  connect.addProfile('sp-agent', 'Agent');
  connect.addProfile('sp-manager', 'CallCenterManager');
  connect.addProfile('sp-other', 'Other', 'i-2');
  let now = 1_000_000;
  const clock = { advance: (ms: number) => (now += ms) };
  const profiles = createProfileNames(connect, INSTANCE, { refreshAfterMs: 60_000, now: () => now });
  return { connect, profiles, clock };
}

describe('security profile names', () => {
  it('names the profiles of this instance, read once with ListSecurityProfiles', async () => {
    const { connect, profiles } = setup();

    const first = await profiles.of(['sp-agent']);
    const second = await profiles.of(['sp-manager', 'sp-agent']);

    expect(first).toEqual([{ id: 'sp-agent', name: 'Agent' }]);
    expect(second).toEqual([
      { id: 'sp-manager', name: 'CallCenterManager' },
      { id: 'sp-agent', name: 'Agent' },
    ]);
    expect(connect.calls).toEqual(['listSecurityProfiles']);
  });

  it('reads nothing for a user with no profile', async () => {
    const { connect, profiles } = setup();

    expect(await profiles.of([])).toEqual([]);
    expect(connect.calls).toEqual([]);
  });

  it('shares one read between concurrent callers', async () => {
    const { connect, profiles } = setup();

    await Promise.all([profiles.of(['sp-agent']), profiles.of(['sp-manager']), profiles.of(['sp-agent'])]);

    expect(connect.count('listSecurityProfiles')).toBe(1);
  });

  it('reads again as soon as an id appears that the last read did not know (a profile created since)', async () => {
    const { connect, profiles } = setup();
    await profiles.of(['sp-agent']);
    connect.addProfile('sp-trainer', 'Trainer');

    const result = await profiles.of(['sp-trainer']);

    expect(result).toEqual([{ id: 'sp-trainer', name: 'Trainer' }]);
    expect(connect.count('listSecurityProfiles')).toBe(2);
  });

  it('keeps an id still unknown after a read without a name, and does not read again for every user', async () => {
    const { connect, profiles } = setup();

    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await profiles.of(['sp-agent', 'sp-deleted']));

    expect(results[4]).toEqual([{ id: 'sp-agent', name: 'Agent' }, { id: 'sp-deleted' }]);
    expect(connect.count('listSecurityProfiles')).toBe(1);
  });

  it('does not read for every user while two different ids stay unknown, whatever the order of the users', async () => {
    const { connect, profiles } = setup();

    for (let i = 0; i < 6; i += 1) await profiles.of([i % 2 === 0 ? 'sp-gone-1' : 'sp-gone-2']);

    expect(connect.count('listSecurityProfiles')).toBe(2);
  });

  it('remembers the unknown ids of every caller that shared a read', async () => {
    const { connect, profiles } = setup();
    await Promise.all([profiles.of(['sp-gone-1']), profiles.of(['sp-gone-2'])]);

    await profiles.of(['sp-gone-2']);
    await profiles.of(['sp-gone-1']);

    expect(connect.count('listSecurityProfiles')).toBe(1);
  });

  it('reads again for an unknown id once refreshAfterMs has passed', async () => {
    const { connect, profiles, clock } = setup();
    await profiles.of(['sp-late']);
    connect.addProfile('sp-late', 'Late');
    const soon = await profiles.of(['sp-late']);
    clock.advance(60_000);

    const later = await profiles.of(['sp-late']);

    expect(soon).toEqual([{ id: 'sp-late' }]);
    expect(later).toEqual([{ id: 'sp-late', name: 'Late' }]);
    expect(connect.count('listSecurityProfiles')).toBe(2);
  });

  it('tries again after a failed read', async () => {
    const { connect, profiles } = setup();
    connect.hooks.listSecurityProfiles = () => {
      throw new Error('throttled');
    };
    await expect(profiles.of(['sp-agent'])).rejects.toThrow('throttled');
    delete connect.hooks.listSecurityProfiles;

    const result = await profiles.of(['sp-agent']);

    expect(result).toEqual([{ id: 'sp-agent', name: 'Agent' }]);
  });
});
