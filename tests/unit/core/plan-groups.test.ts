import {
  everyoneIn,
  managedGroupNames,
  namedProfiles,
  needsProfiles,
  wantedGroupNames,
  type GroupMapping,
} from '../../../shared/core/plan-groups.js';

const ROLES: GroupMapping = {
  byProfile: new Map([
    ['Agent', ['ConnectAgents']],
    ['CallCenterManager', ['ConnectAgents', 'ConnectSupervisors']],
    ['sp-admin-id', ['ConnectAdmins']],
  ]),
  everyone: [],
};

describe('role mapping', () => {
  it('manages every group the mapping names, once each, sorted', () => {
    const mapping: GroupMapping = { ...ROLES, everyone: ['AllStaff'] };

    expect(managedGroupNames(mapping)).toEqual(['AllStaff', 'ConnectAdmins', 'ConnectAgents', 'ConnectSupervisors']);
  });

  it('needs the profiles only when a key names a profile', () => {
    expect(needsProfiles(ROLES)).toBe(true);
    expect(needsProfiles(everyoneIn('ConnectAgents'))).toBe(false);
  });

  it('puts every user in the default group without GROUP_MAPPING', () => {
    expect(wantedGroupNames(everyoneIn('ConnectAgents'), [])).toEqual(['ConnectAgents']);
  });

  it('unites the groups of every profile, matched by name or by id, sorted', () => {
    const profiles = [{ id: 'sp-manager', name: 'CallCenterManager' }, { id: 'sp-admin-id', name: 'Admin' }];

    expect(wantedGroupNames(ROLES, profiles)).toEqual(['ConnectAdmins', 'ConnectAgents', 'ConnectSupervisors']);
  });

  it('matches a profile whose name is unknown by its id only', () => {
    expect(wantedGroupNames(ROLES, [{ id: 'sp-admin-id' }])).toEqual(['ConnectAdmins']);
    expect(wantedGroupNames(ROLES, [{ id: 'Agent-id-unknown' }])).toEqual([]);
  });

  it('adds the "*" groups to every user, and wants nothing for a user whose profiles map to nothing', () => {
    const withEveryone: GroupMapping = { ...ROLES, everyone: ['AllStaff'] };

    expect(wantedGroupNames(withEveryone, [{ id: 'sp-qa', name: 'QualityAnalyst' }])).toEqual(['AllStaff']);
    expect(wantedGroupNames(ROLES, [{ id: 'sp-qa', name: 'QualityAnalyst' }])).toEqual([]);
  });

  it('names the profiles it knows and leaves the others with their id only', () => {
    const known = new Map([['sp-agent', 'Agent']]);

    expect(namedProfiles(['sp-agent', 'sp-gone'], known)).toEqual([{ id: 'sp-agent', name: 'Agent' }, { id: 'sp-gone' }]);
  });
});
