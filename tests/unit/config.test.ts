import { ConfigError, instanceIdOf, loadLinksTable, loadSyncConfig, loadSyncSettings, syncSettingsOf } from '../../shared/config/config.js';
import { MAX_MANAGED_GROUPS, parseGroupMapping } from '../../shared/config/group-mapping-config.js';
import { loadReconcileConfig } from '../../shared/config/operator-config.js';
import * as params from '../../infra/params.js';
import { UUID, UUID_SOURCE } from '../../shared/core/ids.js';

const INSTANCE = '4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20';
const GROUP_A = 'a1b2c3d4e5-11111111-2222-3333-4444-555555555555';
const GROUP_B = '22222222-3333-4444-5555-666666666666';
const VALID = {
  IDENTITY_STORE_ID: 'd-1234567890',
  CONNECT_INSTANCE_ID: INSTANCE,
  LINKS_TABLE: 'connect-sso-sync-dev-links',
  DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/connect-sso-sync-dev-sync-dlq',
  SSO_INSTANCE_ARN: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  CONNECT_APPLICATION_ARN: 'arn:aws:sso::123456789012:application/ssoins-1234567890abcdef/apl-1234567890abcdef',
};

/** The message of the ConfigError `load` throws. */
function problemOf(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadSyncConfig', () => {
  it('applies the documented defaults and freezes the result', () => {
    const config = loadSyncConfig(VALID);

    expect(config).toMatchObject({
      connectInstanceId: INSTANCE,
      connectInstanceArn: undefined,
      linksTable: 'connect-sso-sync-dev-links',
      maxReceiveCount: 5,
      agentGroupName: 'ConnectAgents',
      assignmentMode: 'group',
      createUsers: true,
      deprovision: 'membership',
      updateIdentity: 'created',
      managedGroupIds: undefined,
      protectedGroupNames: [],
      connectRequestsPerSecond: 1,
      identityCenterRoleArn: undefined,
    });
    expect(config.groupMapping).toEqual({ byProfile: new Map(), everyone: ['ConnectAgents'] });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats empty strings (unset stage parameters) as not set', () => {
    const config = loadSyncConfig({
      ...VALID,
      IDENTITY_CENTER_ROLE_ARN: '',
      AGENT_GROUP_NAME: '',
      CREATE_USERS: '',
      GROUP_MAPPING: ' ',
      MANAGED_GROUP_IDS: '',
      PROTECTED_GROUPS: '',
      MAX_RECEIVE_COUNT: '',
    });

    expect(config).toMatchObject({
      identityCenterRoleArn: undefined,
      agentGroupName: 'ConnectAgents',
      createUsers: true,
      managedGroupIds: undefined,
      protectedGroupNames: [],
      maxReceiveCount: 5,
    });
  });

  it('reads every setting', () => {
    const config = loadSyncConfig({
      ...VALID,
      MAX_RECEIVE_COUNT: '3',
      GROUP_MAPPING: '{"Agent": "ConnectAgents", "CallCenterManager": ["ConnectAgents", "ConnectSupervisors"], "*": "AllStaff"}',
      MANAGED_GROUP_IDS: ` ${GROUP_A} , ${GROUP_B} `,
      PROTECTED_GROUPS: 'AWSAdministrators, Break Glass',
      ASSIGNMENT_MODE: 'user',
      CREATE_USERS: 'false',
      DEPROVISION: 'delete',
      UPDATE_IDENTITY: 'none',
      IDENTITY_CENTER_ROLE_ARN: 'arn:aws:iam::210987654321:role/connect-sso-sync',
      IDENTITY_CENTER_EXTERNAL_ID: 'connect-sso-sync-7f3a',
      IDENTITY_CENTER_REGION: 'eu-west-1',
      CONNECT_REQUESTS_PER_SECOND: '2',
    });

    expect(config).toMatchObject({
      maxReceiveCount: 3,
      managedGroupIds: new Set([GROUP_A, GROUP_B]),
      protectedGroupNames: ['AWSAdministrators', 'Break Glass'],
      assignmentMode: 'user',
      createUsers: false,
      deprovision: 'delete',
      updateIdentity: 'none',
      identityCenterRoleArn: 'arn:aws:iam::210987654321:role/connect-sso-sync',
      identityCenterExternalId: 'connect-sso-sync-7f3a',
      identityCenterRegion: 'eu-west-1',
      connectRequestsPerSecond: 2,
    });
    expect(config.groupMapping).toEqual({
      byProfile: new Map([
        ['Agent', ['ConnectAgents']],
        ['CallCenterManager', ['ConnectAgents', 'ConnectSupervisors']],
      ]),
      everyone: ['AllStaff'],
    });
  });

  it('accepts an instance ARN for CONNECT_INSTANCE_ID, keeping the bare id and its region and account', () => {
    const config = loadSyncConfig({ ...VALID, CONNECT_INSTANCE_ID: `arn:aws:connect:eu-west-2:123456789012:instance/${INSTANCE}` });

    expect(config.connectInstanceId).toBe(INSTANCE);
    expect(config.connectInstanceArn).toEqual({ region: 'eu-west-2', account: '123456789012' });
  });

  it.each([
    ['IDENTITY_STORE_ID', { IDENTITY_STORE_ID: undefined }, 'is required'],
    ['IDENTITY_STORE_ID', { IDENTITY_STORE_ID: 'store-1' }, 'must look like'],
    ['CONNECT_INSTANCE_ID', { CONNECT_INSTANCE_ID: 'my-instance' }, 'must be a Connect instance id'],
    ['CONNECT_INSTANCE_ID', { CONNECT_INSTANCE_ID: `evil/instance/${INSTANCE}` }, 'must be a Connect instance id'],
    ['LINKS_TABLE', { LINKS_TABLE: undefined }, 'is required'],
    ['LINKS_TABLE', { LINKS_TABLE: 'no spaces allowed' }, 'must be a DynamoDB table name'],
    ['DLQ_URL', { DLQ_URL: 'not a url' }, 'must be the URL'],
    ['MAX_RECEIVE_COUNT', { MAX_RECEIVE_COUNT: 'five' }, 'must be a number'],
    ['MAX_RECEIVE_COUNT', { MAX_RECEIVE_COUNT: '0' }, 'must be positive'],
    ['MAX_RECEIVE_COUNT', { MAX_RECEIVE_COUNT: '2.5' }, 'must be a whole number'],
    ['ASSIGNMENT_MODE', { ASSIGNMENT_MODE: 'groups' }, 'must be group, user or none'],
    ['CREATE_USERS', { CREATE_USERS: 'yes' }, 'must be true or false'],
    ['DEPROVISION', { DEPROVISION: 'remove' }, 'must be membership, delete or none'],
    ['UPDATE_IDENTITY', { UPDATE_IDENTITY: 'all' }, 'must be created or none'],
    ['MANAGED_GROUP_IDS', { MANAGED_GROUP_IDS: `${GROUP_A},ConnectAgents` }, 'must be comma-separated Identity Store group ids'],
    ['PROTECTED_GROUPS', { PROTECTED_GROUPS: 'Admins,Bad\u0007Name' }, 'must be comma-separated group names'],
    ['CONNECT_APPLICATION_ARN', { CONNECT_APPLICATION_ARN: 'arn:aws:sso:::application/x' }, 'must look like'],
    ['IDENTITY_CENTER_ROLE_ARN', { IDENTITY_CENTER_ROLE_ARN: 'admin' }, 'must be an IAM role ARN'],
    ['IDENTITY_CENTER_EXTERNAL_ID', { IDENTITY_CENTER_EXTERNAL_ID: 'has spaces in it' }, 'must be 2-1224 characters'],
    ['IDENTITY_CENTER_REGION', { IDENTITY_CENTER_REGION: 'Frankfurt' }, 'must be an AWS region'],
    ['CONNECT_REQUESTS_PER_SECOND', { CONNECT_REQUESTS_PER_SECOND: '500' }, 'must be at most 100'],
  ])('fails at start-up naming %s when it is wrong', (variable, change, what) => {
    const message = problemOf(() => loadSyncConfig({ ...VALID, ...change }));

    expect(message).toMatch(/^invalid configuration: /);
    expect(message).toContain(`${variable} ${what}`);
  });

  it('names every wrong variable at once', () => {
    const message = problemOf(() => loadSyncConfig({ ...VALID, IDENTITY_STORE_ID: '', DEPROVISION: 'x', LINKS_TABLE: '' }));

    expect(message).toContain('IDENTITY_STORE_ID is required');
    expect(message).toContain('DEPROVISION must be');
    expect(message).toContain('LINKS_TABLE is required');
  });

  describe('what each mode needs', () => {
    it('needs SSO_INSTANCE_ARN and CONNECT_APPLICATION_ARN unless ASSIGNMENT_MODE=none', () => {
      const message = problemOf(() => loadSyncConfig({ ...VALID, SSO_INSTANCE_ARN: '', CONNECT_APPLICATION_ARN: undefined }));

      expect(message).toContain('SSO_INSTANCE_ARN is required unless ASSIGNMENT_MODE=none');
      expect(message).toContain('CONNECT_APPLICATION_ARN is required unless ASSIGNMENT_MODE=none');
    });

    it('still needs SSO_INSTANCE_ARN with ASSIGNMENT_MODE=none while UPDATE_IDENTITY=created (ownership checks)', () => {
      const message = problemOf(() => loadSyncConfig({ ...VALID, ASSIGNMENT_MODE: 'none', SSO_INSTANCE_ARN: '', CONNECT_APPLICATION_ARN: '' }));

      expect(message).toContain('SSO_INSTANCE_ARN is required with UPDATE_IDENTITY=created');
      expect(message).not.toContain('CONNECT_APPLICATION_ARN');
    });

    it('needs SSO_INSTANCE_ARN with DEPROVISION=delete (ownership checks)', () => {
      const env = { ...VALID, ASSIGNMENT_MODE: 'none', UPDATE_IDENTITY: 'none', DEPROVISION: 'delete', SSO_INSTANCE_ARN: '' };

      expect(problemOf(() => loadSyncConfig(env))).toContain('SSO_INSTANCE_ARN is required with DEPROVISION=delete');
    });

    it('needs neither ARN with ASSIGNMENT_MODE=none, UPDATE_IDENTITY=none and no deletion', () => {
      const config = loadSyncConfig({
        ...VALID,
        ASSIGNMENT_MODE: 'none',
        UPDATE_IDENTITY: 'none',
        SSO_INSTANCE_ARN: '',
        CONNECT_APPLICATION_ARN: '',
      });

      expect(config).toMatchObject({ assignmentMode: 'none', ssoInstanceArn: undefined, connectApplicationArn: undefined });
    });

    it('needs IDENTITY_CENTER_EXTERNAL_ID with IDENTITY_CENTER_ROLE_ARN', () => {
      const env = { ...VALID, IDENTITY_CENTER_ROLE_ARN: 'arn:aws:iam::210987654321:role/connect-sso-sync' };

      expect(problemOf(() => loadSyncConfig(env))).toContain('IDENTITY_CENTER_EXTERNAL_ID is required with IDENTITY_CENTER_ROLE_ARN');
    });
  });

  describe('GROUP_MAPPING', () => {
    it.each([
      ['not JSON', '{Agent: ConnectAgents}', 'is not valid JSON'],
      ['an array', '["ConnectAgents"]', 'must be a JSON object'],
      ['a string', '"ConnectAgents"', 'must be a JSON object'],
      ['an empty profile name', '{" ": "ConnectAgents"}', 'has an empty security profile name'],
      ['an empty group name', '{"Agent": " "}', 'entry "Agent" has an empty group name'],
      ['an empty list', '{"Agent": []}', 'entry "Agent" must name at least one group'],
      ['a number', '{"Agent": 7}', 'entry "Agent" must be a group name or a list of group names'],
      ['a control character in a group name', '{"Agent": "Connect\\u0007Agents"}', 'entry "Agent" has a group name Identity Center refuses'],
      ['a group name over 1,024 characters', `{"Agent": "${'g'.repeat(1025)}"}`, 'entry "Agent" has a group name Identity Center refuses'],
      ['no group at all', '{}', 'names no group'],
    ])('is refused when it is %s, naming the variable', (_, value, what) => {
      const message = problemOf(() => loadSyncConfig({ ...VALID, GROUP_MAPPING: value }));

      expect(message.startsWith(`invalid configuration: GROUP_MAPPING ${what}`)).toBe(true);
    });

    it(`is refused when it names more than ${MAX_MANAGED_GROUPS} groups`, () => {
      const many = Object.fromEntries(Array.from({ length: MAX_MANAGED_GROUPS + 1 }, (_, i) => [`Profile${i}`, `Group${i}`]));

      const message = problemOf(() => loadSyncConfig({ ...VALID, GROUP_MAPPING: JSON.stringify(many) }));

      expect(message).toContain(`GROUP_MAPPING names ${MAX_MANAGED_GROUPS + 1} groups; at most ${MAX_MANAGED_GROUPS}`);
    });

    it(`accepts exactly ${MAX_MANAGED_GROUPS} groups`, () => {
      const many = Object.fromEntries(Array.from({ length: MAX_MANAGED_GROUPS }, (_, i) => [`Profile${i}`, `Group${i}`]));

      expect(loadSyncConfig({ ...VALID, GROUP_MAPPING: JSON.stringify(many) }).groupMapping.byProfile.size).toBe(MAX_MANAGED_GROUPS);
    });

    it('trims names, removes duplicates and takes "*" for every user', () => {
      const mapping = parseGroupMapping('{" Agent ": [" ConnectAgents", "ConnectAgents"], "*": "AllStaff"}', 'Ignored');

      expect(mapping).toEqual({ byProfile: new Map([['Agent', ['ConnectAgents']]]), everyone: ['AllStaff'] });
    });

    it('is every user in AGENT_GROUP_NAME when unset', () => {
      expect(loadSyncConfig({ ...VALID, AGENT_GROUP_NAME: 'Agents' }).groupMapping).toEqual({ byProfile: new Map(), everyone: ['Agents'] });
    });
  });
});

describe('loadSyncSettings and syncSettingsOf', () => {
  it('reads the shared settings without the function-only variables', () => {
    const { LINKS_TABLE: _table, DLQ_URL: _dlq, ...shared } = VALID;

    expect(loadSyncSettings(shared).connectInstanceId).toBe(INSTANCE);
  });

  it('reads SIGN_IN_ATTRIBUTE (email by default, or userName) and refuses anything else by name', () => {
    expect(loadSyncSettings(VALID).signInAttribute).toBe('email');
    expect(loadSyncSettings({ ...VALID, SIGN_IN_ATTRIBUTE: 'userName' }).signInAttribute).toBe('userName');
    expect(problemOf(() => loadSyncSettings({ ...VALID, SIGN_IN_ATTRIBUTE: 'subject' }))).toContain('SIGN_IN_ATTRIBUTE must be email or userName');
  });

  it('hands the core its settings', () => {
    const config = loadSyncConfig({ ...VALID, PROTECTED_GROUPS: 'Admins', MANAGED_GROUP_IDS: GROUP_B, DEPROVISION: 'delete' });

    expect(syncSettingsOf(config)).toEqual({
      instanceId: INSTANCE,
      mapping: config.groupMapping,
      assignmentMode: 'group',
      createUsers: true,
      protectedGroupNames: ['Admins'],
      managedGroupIds: new Set([GROUP_B]),
      deprovision: 'delete',
      updateIdentity: 'created',
      signInAttribute: 'email',
    });
  });

  it('loadLinksTable names LINKS_TABLE when it is missing', () => {
    expect(loadLinksTable({ LINKS_TABLE: 'links' })).toBe('links');
    expect(problemOf(() => loadLinksTable({}))).toContain('LINKS_TABLE is required');
  });
});

describe('instanceIdOf', () => {
  it.each([
    [INSTANCE],
    [`arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE}`],
    [`arn%3Aaws%3Aconnect%3Aus-east-1%3A123456789012%3Ainstance%2F${INSTANCE}`],
  ])('reads the bare id from %s', (value) => {
    expect(instanceIdOf(value)).toBe(INSTANCE);
  });
});

describe('loadReconcileConfig: SHARED_LINKS_TABLES', () => {
  const load = (value?: string) => loadReconcileConfig({ ...VALID, ...(value !== undefined && { SHARED_LINKS_TABLES: value }) });

  it('unset or empty is "not said" (undefined); none is no other stage; else the other stages\' link tables', () => {
    expect([load().sharedLinksTables, load('').sharedLinksTables, load('None').sharedLinksTables]).toEqual([undefined, undefined, []]);
    expect(load(' connect-sso-sync-us-links , connect-sso-sync-uk-links ').sharedLinksTables).toEqual(['connect-sso-sync-us-links', 'connect-sso-sync-uk-links']);
  });

  it.each(['connect-sso-sync-dev-links', 'not a table'])('refuses %s (this stage\'s own table, or no table name)', (value) => {
    expect(problemOf(() => load(value))).toContain('SHARED_LINKS_TABLES must be `none` or comma-separated DynamoDB table names');
  });
});

describe('the UUID pattern', () => {
  it('is one text for the functions (shared/core/ids.ts) and the package-time checks (infra/params.js, loaded by osls without TypeScript)', () => {
    expect(params.UUID).toBe(UUID_SOURCE);
    expect(UUID.test(INSTANCE)).toBe(true);
    expect(UUID.test(INSTANCE.toUpperCase())).toBe(false);
  });
});
