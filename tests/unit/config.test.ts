import { instanceIdOf, loadSyncConfig } from '../../shared/config.js';

const VALID = {
  IDENTITY_STORE_ID: 'd-1234567890',
  CONNECT_INSTANCE_ID: '4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20',
  DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/connect-sso-sync-dev-sync-dlq',
  SSO_INSTANCE_ARN: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  CONNECT_APPLICATION_ARN: 'arn:aws:sso::123456789012:application/ssoins-1234567890abcdef/apl-1234567890abcdef',
};

describe('loadSyncConfig', () => {
  it('applies the documented defaults and freezes the result', () => {
    const config = loadSyncConfig(VALID);

    expect(config).toMatchObject({
      agentGroupName: 'ConnectAgents',
      assignmentMode: 'group',
      createUsers: true,
      connectRequestsPerSecond: 1,
      identityCenterRoleArn: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats empty strings (unset stage parameters) as not set', () => {
    const config = loadSyncConfig({ ...VALID, IDENTITY_CENTER_ROLE_ARN: '', AGENT_GROUP_NAME: '', CREATE_USERS: '' });

    expect(config).toMatchObject({ identityCenterRoleArn: undefined, agentGroupName: 'ConnectAgents', createUsers: true });
  });

  it('accepts an instance ARN for CONNECT_INSTANCE_ID and keeps the bare id', () => {
    const config = loadSyncConfig({
      ...VALID,
      CONNECT_INSTANCE_ID: 'arn:aws:connect:eu-west-2:123456789012:instance/4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20',
    });

    expect(config.connectInstanceId).toBe('4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20');
  });

  it.each([
    ['IDENTITY_STORE_ID', { IDENTITY_STORE_ID: undefined }],
    ['IDENTITY_STORE_ID', { IDENTITY_STORE_ID: 'store-1' }],
    ['CONNECT_INSTANCE_ID', { CONNECT_INSTANCE_ID: 'my-instance' }],
    ['DLQ_URL', { DLQ_URL: 'not a url' }],
    ['ASSIGNMENT_MODE', { ASSIGNMENT_MODE: 'groups' }],
    ['CREATE_USERS', { CREATE_USERS: 'yes' }],
    ['SSO_INSTANCE_ARN', { SSO_INSTANCE_ARN: undefined }],
    ['CONNECT_APPLICATION_ARN', { CONNECT_APPLICATION_ARN: 'arn:aws:sso:::application/x' }],
    ['IDENTITY_CENTER_ROLE_ARN', { IDENTITY_CENTER_ROLE_ARN: 'admin' }],
    ['IDENTITY_CENTER_REGION', { IDENTITY_CENTER_REGION: 'Frankfurt' }],
  ])('fails at start-up naming %s when it is wrong', (variable, change) => {
    expect(() => loadSyncConfig({ ...VALID, ...change })).toThrow(new RegExp(`invalid configuration: .*${variable}`));
  });

  it('does not need the application settings when ASSIGNMENT_MODE=none', () => {
    const config = loadSyncConfig({ ...VALID, ASSIGNMENT_MODE: 'none', SSO_INSTANCE_ARN: '', CONNECT_APPLICATION_ARN: '' });

    expect(config.assignmentMode).toBe('none');
  });
});

describe('instanceIdOf', () => {
  it.each([
    ['4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20'],
    ['arn:aws:connect:us-east-1:123456789012:instance/4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20'],
    ['arn%3Aaws%3Aconnect%3Aus-east-1%3A123456789012%3Ainstance%2F4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20'],
  ])('reads the bare id from %s', (value) => {
    expect(instanceIdOf(value)).toBe('4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20');
  });
});
