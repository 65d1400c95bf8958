/**
 * The CloudFormation template `osls package` renders from serverless.yml, for several stages and modes, read as it
 * would be deployed (conditions applied): IAM per role, queue and topic policies, ordering, region, names, the link
 * table, the environment contract with the function code, and agreement with infra/identity-center-role.yml.
 * Six packagings run at once in beforeAll (about 30 s on two cores).
 */
import { join } from 'node:path';
import { actionsOf, deployed, grants, policyStatements, resourcesOf, roleStatements, type Statement } from '../support/cloudformation.js';
import { packageStage, REPO_ROOT, type Json, type JsonObject, type Packaged } from '../support/osls-package.js';
import { loadServerlessConfig } from '../../local/emulator/serverless-config.js';
import { DIRECTORY_COUNTERPARTS } from '../../infra/params.js';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-2';
const INSTANCE_ID = '4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20';
const INSTANCE_ARN = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}`;
const STORE_ID = 'd-1234567890';
const SSO_INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const APPLICATION = 'arn:aws:sso::222222222222:application/ssoins-1234567890abcdef/apl-1234567890abcdef';
const GROUP_A = '9067a1b2c3-1111aaaa-2222-4333-8444-555566667777';
const GROUP_B = '9067a1b2c3-8888bbbb-9999-4aaa-8bbb-ccccddddeeee';
const IC_ROLE = 'arn:aws:iam::222222222222:role/connect-sso-sync-identity-center';
const IC_READ_ROLE = 'arn:aws:iam::222222222222:role/connect-sso-sync-identity-center-read';

const BASE = { identityStoreId: STORE_ID, ssoInstanceArn: SSO_INSTANCE, connectApplicationArn: APPLICATION, managedGroupIds: `${GROUP_A},${GROUP_B}` };

const STORE = `arn:aws:identitystore::${ACCOUNT}:identitystore/${STORE_ID}`;
const USERS = 'arn:aws:identitystore:::user/*';
const GROUPS = 'arn:aws:identitystore:::group/*';
const MEMBERSHIPS = 'arn:aws:identitystore:::membership/*';
const MANAGED_GROUPS = [`arn:aws:identitystore:::group/${GROUP_A}`, `arn:aws:identitystore:::group/${GROUP_B}`];
const CONNECT_INSTANCE = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}`;
const att = (id: string, attribute = 'Arn') => JSON.stringify({ 'Fn::GetAtt': [id, attribute] });

const SETUPS = {
  // Defaults (group mode, createUsers, updateIdentity=created, deprovision=membership); region from AWS_REGION.
  alpha: { stage: 'alpha', params: { ...BASE, connectInstanceId: INSTANCE_ID, alarmEmail: 'ops@example.com' }, env: { AWS_REGION: REGION } },
  // The same stage with the instance given as an ARN, and no other region setting.
  alphaArn: { stage: 'alpha', params: { ...BASE, connectInstanceId: INSTANCE_ARN, alarmEmail: 'ops@example.com' } },
  // A second stage in the same account, every mode changed.
  beta: {
    stage: 'beta',
    region: REGION,
    params: {
      ...BASE,
      connectInstanceId: INSTANCE_ID,
      assignmentMode: 'user',
      createUsers: 'false',
      updateIdentity: 'none',
      signInAttribute: 'userName',
      deprovision: 'delete',
      reconcileEnabled: 'false',
      reconcileSchedule: 'rate(6 hours)',
      groupMapping: '{"Agent":["ConnectAgents"]}',
      protectedGroups: 'Admins, Break Glass',
      connectRequestsPerSecond: '0.5',
      logLevel: 'debug',
    },
  },
  // No assignments, no identity updates, no deletes; an application is set (reconcile reads it), no SSO instance.
  gamma: {
    stage: 'gamma',
    env: { AWS_REGION: REGION },
    // (osls refuses an empty --param value: an unset parameter is one not passed.)
    params: { identityStoreId: STORE_ID, connectApplicationArn: APPLICATION, managedGroupIds: BASE.managedGroupIds, connectInstanceId: INSTANCE_ID, assignmentMode: 'none', updateIdentity: 'none', deprovision: 'none' },
  },
  // Identity Center in another account.
  delta: {
    stage: 'delta',
    env: { AWS_REGION: REGION },
    params: { ...BASE, connectInstanceId: INSTANCE_ID, identityCenterRoleArn: IC_ROLE, identityCenterReadRoleArn: IC_READ_ROLE, identityCenterExternalId: 'connect-sso-sync-delta', identityCenterRegion: 'us-east-1' },
  },
  // Exactly what `npm run package` (CI) does: stage ci, its example parameters, nothing else.
  ci: { stage: 'ci' },
} as const;
type Setup = keyof typeof SETUPS;

const packaged = {} as Record<Setup, Packaged>;
const view = {} as Record<Setup, JsonObject>;

beforeAll(async () => {
  const names = Object.keys(SETUPS) as Setup[];
  const results = await Promise.all(names.map((name) => packageStage(SETUPS[name])));
  names.forEach((name, i) => {
    const result = results[i] as Packaged;
    packaged[name] = result;
    view[name] = deployed(result.template, { accountId: ACCOUNT, region: name === 'ci' ? 'us-east-1' : REGION });
  });
}, 240_000);

const resources = (setup: Setup): JsonObject => view[setup].Resources as JsonObject;
const resource = (setup: Setup, id: string): JsonObject => {
  const found = resources(setup)[id];
  if (typeof found !== 'object' || found === null || Array.isArray(found)) throw new Error(`${setup}: no resource ${id}`);
  return found;
};
const properties = (setup: Setup, id: string): JsonObject => resource(setup, id).Properties as JsonObject;
const sync = (setup: Setup) => roleStatements(view[setup], 'SyncFunctionRole');
const reconcile = (setup: Setup) => roleStatements(view[setup], 'ReconcileFunctionRole');
const replay = (setup: Setup) => roleStatements(view[setup], 'ReplayFunctionRole');
const environment = (setup: Setup, fn = 'SyncUserLambdaFunction') => (properties(setup, fn).Environment as JsonObject).Variables as JsonObject;
const ofType = (setup: Setup, type: string) => Object.entries(resources(setup)).filter(([, r]) => (r as JsonObject).Type === type).map(([id]) => id);
const allRoleStatements = (setup: Setup) => ofType(setup, 'AWS::IAM::Role').flatMap((id) => roleStatements(view[setup], id));
const expected = (...statements: [string | string[], string | string[]][]): string[] =>
  grants(statements.map(([action, resource]) => ({ Effect: 'Allow', Action: [action].flat(), Resource: [resource].flat() })));
/** The sso-directory counterparts of these Identity Store actions, on "*" (infra/params.js says why). */
const directory = (...actions: string[]): [string[], string] => [[...new Set(actions.flatMap((a) => DIRECTORY_COUNTERPARTS[a] ?? []))], '*'];

describe('syncUser role (IAM), defaults', () => {
  it('grants exactly what the function calls, each on the configured resources', () => {
    expect(grants(sync('alpha'))).toEqual(
      expected(
        [['logs:CreateLogStream', 'logs:PutLogEvents'], `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/connect-sso-sync-alpha-syncUser:*`],
        [['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], att('SyncQueue')],
        ['sqs:SendMessage', att('SyncDeadLetterQueue')],
        ['connect:DescribeUser', `${CONNECT_INSTANCE}/agent/*`],
        [['connect:SearchUsers', 'connect:ListSecurityProfiles', 'connect:DescribeInstance'], CONNECT_INSTANCE],
        [['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], att('LinksTable')],
        [
          ['identitystore:GetUserId', 'identitystore:DescribeUser', 'identitystore:GetGroupId', 'identitystore:IsMemberInGroups', 'identitystore:GetGroupMembershipId', 'identitystore:ListGroupMembershipsForMember'],
          [STORE, USERS, GROUPS, MEMBERSHIPS],
        ],
        [['identitystore:CreateGroupMembership', 'identitystore:DeleteGroupMembership'], [STORE, USERS, ...MANAGED_GROUPS]],
        ['identitystore:DeleteGroupMembership', MEMBERSHIPS],
        ['identitystore:CreateUser', [STORE, USERS]],
        ['identitystore:UpdateUser', [STORE, USERS]],
        [['sso:CreateApplicationAssignment', 'sso:DescribeApplicationAssignment'], APPLICATION],
        [['sso:ListApplicationAssignmentsForPrincipal', 'sso:ListAccountAssignmentsForPrincipal'], SSO_INSTANCE],
        directory(
          'identitystore:GetUserId',
          'identitystore:DescribeUser',
          'identitystore:GetGroupId',
          'identitystore:IsMemberInGroups',
          'identitystore:GetGroupMembershipId',
          'identitystore:CreateGroupMembership',
          'identitystore:DeleteGroupMembership',
          'identitystore:CreateUser',
          'identitystore:UpdateUser',
        ),
      ),
    );
  });

  it('has no sso:ListApplicationAssignments (CLI and reconcile only), no deletes of users or assignments in the default modes', () => {
    const actions = actionsOf(sync('alpha'));

    expect(actions).not.toContain('sso:ListApplicationAssignments');
    expect(actions).not.toContain('identitystore:DeleteUser');
    expect(actions).not.toContain('sso:DeleteApplicationAssignment');
    expect(actions).not.toContain('sts:AssumeRole');
  });
});

describe('hardening 4: membership writes only in the managed groups', () => {
  it.each(['alpha', 'beta', 'gamma'] as const)('%s: CreateGroupMembership and DeleteGroupMembership reach exactly the managed groups', (setup) => {
    for (const action of ['identitystore:CreateGroupMembership', 'identitystore:DeleteGroupMembership']) {
      const groups = resourcesOf(sync(setup), action).filter((arn) => arn.includes(':group/'));

      expect(groups).toEqual(MANAGED_GROUPS);
    }
  });

  it('DeleteGroupMembership is granted on membership/* only together with the group check (its own statement, nothing else on it)', () => {
    const onMemberships = sync('alpha').filter((s) => s.Resource.includes(MEMBERSHIPS) && s.Action.some((a) => a.endsWith('GroupMembership')));

    expect(onMemberships.map((s) => s.Action)).toEqual([['identitystore:DeleteGroupMembership']]);
  });

  it.each(Object.keys(SETUPS) as Setup[])('%s: no role can create groups, and no statement has a wildcard action', (setup) => {
    const statements = allRoleStatements(setup);

    expect(actionsOf(statements)).not.toContain('identitystore:CreateGroup');
    expect(statements.flatMap((s) => s.Action).filter((a) => a.includes('*'))).toEqual([]);
  });
});

describe('IAM by mode', () => {
  it('user mode, deprovision=delete, no creation, no identity updates (beta)', () => {
    const actions = actionsOf(sync('beta'));

    expect(resourcesOf(sync('beta'), 'sso:DeleteApplicationAssignment')).toEqual([APPLICATION]);
    expect(resourcesOf(sync('beta'), 'identitystore:DeleteUser')).toEqual([USERS, STORE].sort());
    expect(actions).not.toContain('identitystore:CreateUser');
    expect(actions).not.toContain('identitystore:UpdateUser');
    // deprovision=delete still needs the ownership checks.
    expect(resourcesOf(sync('beta'), 'sso:ListAccountAssignmentsForPrincipal')).toEqual([SSO_INSTANCE]);
  });

  it('assignmentMode=none with an application set: no assignment grants, no ownership checks, and no empty Resource (gamma)', () => {
    const actions = actionsOf(sync('gamma'));

    expect(actions.filter((a) => a.startsWith('sso:'))).toEqual([]);
    for (const statement of allRoleStatements('gamma')) {
      expect(statement.Resource.length).toBeGreaterThan(0);
      expect(statement.Resource).not.toContain('');
    }
    expect(resourcesOf(reconcile('gamma'), 'sso:ListApplicationAssignments')).toEqual([APPLICATION]);
  });

  it('the rendered template has only the statements the modes need: no condition, no empty ARN even where nothing is deployed', () => {
    for (const setup of Object.keys(SETUPS) as Setup[]) {
      const raw = JSON.stringify(packaged[setup].template);

      expect({ setup, emptyResource: /"(Not)?Resource":(""|\[\]|\[""|\[[^\]]*,"")/.test(raw) }).toEqual({ setup, emptyResource: false });
      expect(Object.keys(packaged[setup].template.Conditions as JsonObject)).toEqual(['HasAlarmEmail']);
      expect(raw).not.toContain('"when"');
    }
  });

  it('every deployed statement of every stage names a resource', () => {
    for (const setup of Object.keys(SETUPS) as Setup[]) {
      for (const statement of allRoleStatements(setup)) {
        expect({ setup, sid: statement.Sid, empty: statement.Resource.length === 0 || statement.Resource.includes('') }).toEqual({ setup, sid: statement.Sid, empty: false });
      }
    }
  });

  it('Identity Center in another account: the function roles carry no Identity Center grant, only sts:AssumeRole, reconcile on the read-only role (delta)', () => {
    for (const statements of [sync('delta'), reconcile('delta')]) {
      expect(actionsOf(statements).filter((a) => /^(identitystore|sso|sso-directory):/.test(a))).toEqual([]);
    }
    expect(resourcesOf(sync('delta'), 'sts:AssumeRole')).toEqual([IC_ROLE]);
    expect(resourcesOf(reconcile('delta'), 'sts:AssumeRole')).toEqual([IC_READ_ROLE]);
    expect(environment('delta', 'ReconcileLambdaFunction').IDENTITY_CENTER_ROLE_ARN).toBe(IC_READ_ROLE);
    expect(actionsOf(replay('delta'))).not.toContain('sts:AssumeRole');
  });
});

describe('reconcile function', () => {
  it('its role reads and queues, and writes nothing to Identity Center (a group assignment is queued too)', () => {
    expect(grants(reconcile('alpha'))).toEqual(
      expected(
        [['logs:CreateLogStream', 'logs:PutLogEvents'], `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/connect-sso-sync-alpha-reconcile:*`],
        [['connect:ListUsers', 'connect:SearchUsers', 'connect:ListSecurityProfiles', 'connect:DescribeInstance'], CONNECT_INSTANCE],
        ['dynamodb:Query', att('LinksTable')],
        ['dynamodb:PutItem', att('LinksTable')],
        ['dynamodb:UpdateItem', att('LinksTable')],
        [['identitystore:GetGroupId', 'identitystore:ListGroupMemberships', 'identitystore:DescribeUser', 'identitystore:IsMemberInGroups', 'identitystore:ListUsers'], [STORE, USERS, GROUPS, MEMBERSHIPS]],
        ['sso:ListApplicationAssignments', APPLICATION],
        [['sqs:SendMessage', 'sqs:GetQueueAttributes'], att('SyncQueue')],
        directory('identitystore:GetGroupId', 'identitystore:ListGroupMemberships', 'identitystore:DescribeUser', 'identitystore:IsMemberInGroups', 'identitystore:ListUsers'),
      ),
    );
  });

  it('writes only its run summary\'s item: PutItem is limited to the instance\'s partition of the link table', () => {
    const puts = reconcile('alpha').filter((st) => st.Action.includes('dynamodb:PutItem'));
    expect(puts).toEqual([expect.objectContaining({ Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [INSTANCE_ID] } } })]);
  });

  it('writes adoption links only in the instance\'s partition of the link table (UpdateItem limited like the summary)', () => {
    const updates = reconcile('alpha').filter((st) => st.Action.includes('dynamodb:UpdateItem'));
    expect(updates).toEqual([expect.objectContaining({ Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [INSTANCE_ID] } } })]);
  });

  it('runs up to 900 s, on the reconcileSchedule, enabled by default and disabled by reconcileEnabled=false', () => {
    expect(properties('alpha', 'ReconcileLambdaFunction').Timeout).toBe(900);
    expect(properties('alpha', 'ReconcileEventsRuleSchedule1')).toMatchObject({ ScheduleExpression: 'rate(1 hour)', State: 'ENABLED' });
    expect(properties('beta', 'ReconcileEventsRuleSchedule1')).toMatchObject({ ScheduleExpression: 'rate(6 hours)', State: 'DISABLED' });
  });

  it('the replay role is unchanged: read, release, delete and move dead letters; send to the sync queue', () => {
    expect(grants(replay('alpha'))).toEqual(
      expected(
        [['logs:CreateLogStream', 'logs:PutLogEvents'], `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/connect-sso-sync-alpha-replay:*`],
        [['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'], [att('SyncDeadLetterQueue'), att('EventsDeadLetterQueue')]],
        [['sqs:StartMessageMoveTask', 'sqs:ListMessageMoveTasks'], att('SyncDeadLetterQueue')],
        [['sqs:SendMessage', 'sqs:GetQueueAttributes'], att('SyncQueue')],
      ),
    );
  });
});

describe('environment (the contract with the function code)', () => {
  it('maps every stage parameter and the stack resources to the fixed variable names', () => {
    expect(environment('alpha')).toEqual({
      IDENTITY_STORE_ID: STORE_ID,
      CONNECT_INSTANCE_ID: INSTANCE_ID,
      SSO_INSTANCE_ARN: SSO_INSTANCE,
      CONNECT_APPLICATION_ARN: APPLICATION,
      MANAGED_GROUP_IDS: `${GROUP_A},${GROUP_B}`,
      GROUP_MAPPING: '',
      AGENT_GROUP_NAME: 'ConnectAgents',
      PROTECTED_GROUPS: '',
      ASSIGNMENT_MODE: 'group',
      CREATE_USERS: 'true',
      DEPROVISION: 'membership',
      UPDATE_IDENTITY: 'created',
      SIGN_IN_ATTRIBUTE: 'email',
      IDENTITY_CENTER_ROLE_ARN: '',
      IDENTITY_CENTER_EXTERNAL_ID: '',
      IDENTITY_CENTER_REGION: '',
      CONNECT_REQUESTS_PER_SECOND: '1',
      LINKS_TABLE: { Ref: 'LinksTable' },
      SHARED_LINKS_TABLES: '',
      DLQ_URL: { Ref: 'SyncDeadLetterQueue' },
      SYNC_QUEUE_URL: { Ref: 'SyncQueue' },
      EVENTS_DLQ_URL: { Ref: 'EventsDeadLetterQueue' },
      MAX_RECEIVE_COUNT: '5',
      POWERTOOLS_SERVICE_NAME: 'connect-sso-sync',
      POWERTOOLS_METRICS_NAMESPACE: 'ConnectSsoSync',
      STAGE: 'alpha',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    });
  });

  it('passes the modes, the mapping, the pace and the cross-account settings as given', () => {
    expect(environment('beta')).toMatchObject({
      ASSIGNMENT_MODE: 'user',
      CREATE_USERS: 'false',
      UPDATE_IDENTITY: 'none',
      SIGN_IN_ATTRIBUTE: 'userName',
      DEPROVISION: 'delete',
      GROUP_MAPPING: '{"Agent":["ConnectAgents"]}',
      PROTECTED_GROUPS: 'Admins,Break Glass',
      CONNECT_REQUESTS_PER_SECOND: '0.5',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      STAGE: 'beta',
    });
    expect(environment('delta')).toMatchObject({
      IDENTITY_CENTER_ROLE_ARN: IC_ROLE,
      IDENTITY_CENTER_EXTERNAL_ID: 'connect-sso-sync-delta',
      IDENTITY_CENTER_REGION: 'us-east-1',
    });
  });

  it('MAX_RECEIVE_COUNT is the sync queue\'s maxReceiveCount, and every function gets the same environment', () => {
    const redrive = properties('alpha', 'SyncQueue').RedrivePolicy as JsonObject;

    expect(environment('alpha').MAX_RECEIVE_COUNT).toBe(String(redrive.maxReceiveCount));
    // Reconcile's IDENTITY_CENTER_ROLE_ARN is the read-only role: the same (empty) with Identity Center in this account.
    expect(environment('alpha', 'ReconcileLambdaFunction')).toEqual(environment('alpha'));
    expect(environment('alpha', 'ReplayLambdaFunction')).toEqual(environment('alpha'));
  });
});

describe('hardening 6: TLS-only queues, and nothing starts before the policies exist', () => {
  const queuePolicies = ['SyncQueuePolicy', 'SyncDeadLetterQueuePolicy', 'EventsDeadLetterQueuePolicy'];

  it.each([
    ['SyncQueuePolicy', 'SyncQueue'],
    ['SyncDeadLetterQueuePolicy', 'SyncDeadLetterQueue'],
    ['EventsDeadLetterQueuePolicy', 'EventsDeadLetterQueue'],
  ])('%s denies every request without TLS', (policy, queue) => {
    expect(properties('alpha', policy).Queues).toEqual([{ Ref: queue }]);
    expect(policyStatements(view.alpha, policy)).toContainEqual({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: ['sqs:*'],
      Resource: [{ 'Fn::GetAtt': [queue, 'Arn'] }],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  it('only this stage\'s rule may send to the sync queue and events-dlq, named by ARN without waiting for the rule', () => {
    const rule = properties('alpha', 'ConnectUserCreatedRule');
    const ruleArn = `arn:aws:events:${REGION}:${ACCOUNT}:rule/${String(rule.Name)}`;

    for (const policy of ['SyncQueuePolicy', 'EventsDeadLetterQueuePolicy']) {
      const allow = policyStatements(view.alpha, policy).filter((s) => s.Effect === 'Allow');

      expect(allow).toHaveLength(1);
      expect(allow[0]).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Action: ['sqs:SendMessage'], Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } } });
    }
  });

  it('the event source mapping and the functions wait for every queue policy and IAM policy, and for their roles', () => {
    const separatePolicies = [...ofType('alpha', 'AWS::SQS::QueuePolicy'), ...ofType('alpha', 'AWS::IAM::Policy'), ...ofType('alpha', 'AWS::IAM::ManagedPolicy')];

    expect(separatePolicies.sort()).toEqual([...queuePolicies].sort());
    const mapping = resource('alpha', 'SyncUserEventSourceMappingSQSSyncQueue');

    expect(mapping.Type).toBe('AWS::Lambda::EventSourceMapping');
    expect(mapping.DependsOn).toEqual(expect.arrayContaining([...separatePolicies, 'SyncFunctionRole']));
    // ...and for the function, which it names (an implicit dependency).
    expect(JSON.stringify((mapping.Properties as JsonObject).FunctionName)).toContain('SyncUserLambdaFunction');
    expect(resource('alpha', 'SyncUserLambdaFunction').DependsOn).toEqual(expect.arrayContaining([...separatePolicies, 'SyncFunctionRole']));
    expect(resource('alpha', 'ReconcileLambdaFunction').DependsOn).toEqual(expect.arrayContaining(['SyncQueuePolicy', 'ReconcileFunctionRole']));
    expect(resource('alpha', 'ReplayLambdaFunction').DependsOn).toEqual(expect.arrayContaining([...separatePolicies, 'ReplayFunctionRole']));
    expect(resource('alpha', 'ConnectUserCreatedRule').DependsOn).toEqual(expect.arrayContaining(['SyncQueuePolicy', 'EventsDeadLetterQueuePolicy']));
  });

  it('the functions run with the roles whose inline policies are checked above (no generated default role)', () => {
    expect(properties('alpha', 'SyncUserLambdaFunction').Role).toEqual({ 'Fn::GetAtt': ['SyncFunctionRole', 'Arn'] });
    expect(properties('alpha', 'ReconcileLambdaFunction').Role).toEqual({ 'Fn::GetAtt': ['ReconcileFunctionRole', 'Arn'] });
    expect(properties('alpha', 'ReplayLambdaFunction').Role).toEqual({ 'Fn::GetAtt': ['ReplayFunctionRole', 'Arn'] });
    expect(ofType('alpha', 'AWS::IAM::Role').sort()).toEqual(['ReconcileFunctionRole', 'ReplayFunctionRole', 'SyncFunctionRole']);
  });
});

describe('hardening 7: the region follows --region, AWS_REGION, the instance ARN', () => {
  const regionOf = (setup: Setup) => ((packaged[setup].state.service as JsonObject).provider as JsonObject).region;

  it('AWS_REGION=eu-west-2 packages for eu-west-2 (not us-east-1)', () => {
    expect(regionOf('alpha')).toBe('eu-west-2');
    expect(packaged.alpha.output).toContain('Packaging connect-sso-sync for stage alpha (eu-west-2)');
  });

  it('--region, and an instance ARN with no other setting, decide it too; the CI example is in us-east-1', () => {
    expect(regionOf('beta')).toBe('eu-west-2');
    expect(regionOf('alphaArn')).toBe('eu-west-2');
    expect(regionOf('ci')).toBe('us-east-1');
  });
});

describe('hardening 8: connectInstanceId as an ARN', () => {
  it('renders the same IAM and environment as the bare id', () => {
    for (const role of ['SyncFunctionRole', 'ReconcileFunctionRole', 'ReplayFunctionRole']) {
      expect((packaged.alphaArn.template.Resources as JsonObject)[role]).toEqual((packaged.alpha.template.Resources as JsonObject)[role]);
    }
    expect(environment('alphaArn')).toEqual(environment('alpha'));
  });

  it('puts the bare id into every Connect ARN', () => {
    const connect = allRoleStatements('alphaArn').filter((s) => s.Action.some((a) => a.startsWith('connect:')));

    expect(connect.flatMap((s) => s.Resource)).toEqual(expect.arrayContaining([CONNECT_INSTANCE, `${CONNECT_INSTANCE}/agent/*`]));
    for (const arn of connect.flatMap((s) => s.Resource)) expect(String(arn)).toMatch(new RegExp(`:instance/${INSTANCE_ID}(/agent/\\*)?$`));
  });
});

describe('hardening 9: alarms reach the topic', () => {
  it('the topic is encrypted with a customer managed key (rotated, with an alias), not alias/aws/sns', () => {
    expect(properties('alpha', 'AlarmTopic').KmsMasterKeyId).toEqual({ 'Fn::GetAtt': ['AlarmTopicKey', 'Arn'] });
    expect(properties('alpha', 'AlarmTopicKey').EnableKeyRotation).toBe(true);
    expect(properties('alpha', 'AlarmTopicKeyAlias')).toEqual({ AliasName: 'alias/connect-sso-sync-alpha-alarms', TargetKeyId: { Ref: 'AlarmTopicKey' } });
  });

  it('the key policy lets the account administer it and CloudWatch use it for this stage\'s alarms only', () => {
    const alarmArns = ['sync-dlq-messages', 'events-dlq-messages'].map((n) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:connect-sso-sync-alpha-${n}`);
    const statements = policyStatements(view.alpha, 'AlarmTopicKey', 'KeyPolicy');

    expect(statements).toEqual([
      { Sid: 'AccountAdministersTheKey', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['kms:*'], Resource: ['*'] },
      {
        Sid: 'CloudWatchAlarmsEncryptNotifications',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: ['*'],
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': alarmArns } },
      },
    ]);
    expect(policyStatements(view.alpha, 'AlarmTopicPolicy')).toEqual([
      {
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['sns:Publish'],
        Resource: [{ Ref: 'AlarmTopic' }],
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': alarmArns } },
      },
    ]);
    for (const alarm of ['SyncDeadLetterAlarm', 'EventsDeadLetterAlarm']) {
      expect(alarmArns).toContain(`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${String(properties('alpha', alarm).AlarmName)}`);
    }
  });

  it('both dead-letter alarms notify the topic when they fire and when they clear', () => {
    for (const alarm of ['SyncDeadLetterAlarm', 'EventsDeadLetterAlarm']) {
      expect(properties('alpha', alarm)).toMatchObject({ AlarmActions: [{ Ref: 'AlarmTopic' }], OKActions: [{ Ref: 'AlarmTopic' }] });
    }
  });

  it('the e-mail subscription exists only when alarmEmail is set', () => {
    expect(properties('alpha', 'AlarmEmailSubscription')).toMatchObject({ Protocol: 'email', Endpoint: 'ops@example.com' });
    expect(resources('beta').AlarmEmailSubscription).toBeUndefined();
  });
});

describe('two stages in one account', () => {
  const physicalNames = (setup: Setup): string[] => {
    const r = (id: string) => properties(setup, id);
    return [
      r('SyncQueue').QueueName,
      r('SyncDeadLetterQueue').QueueName,
      r('EventsDeadLetterQueue').QueueName,
      r('LinksTable').TableName,
      r('ConnectUserCreatedRule').Name,
      r('AlarmTopic').TopicName,
      r('AlarmTopicKeyAlias').AliasName,
      r('SyncDeadLetterAlarm').AlarmName,
      r('EventsDeadLetterAlarm').AlarmName,
      r('SyncFunctionRole').RoleName,
      r('ReconcileFunctionRole').RoleName,
      r('ReplayFunctionRole').RoleName,
      r('SyncUserLambdaFunction').FunctionName,
      r('ReconcileLambdaFunction').FunctionName,
      r('ReplayLambdaFunction').FunctionName,
    ].map(String);
  };

  it('never share a named resource: every name carries its stage', () => {
    const alpha = physicalNames('alpha');
    const beta = physicalNames('beta');

    for (const name of alpha) expect(name).toContain('-alpha-');
    for (const name of beta) expect(name).toContain('-beta-');
    expect(alpha.filter((name) => beta.includes(name))).toEqual([]);
  });

  it('each has its own rule feeding its own queue, and IAM role names within 64 characters in the longest region', () => {
    expect(properties('beta', 'ConnectUserCreatedRule').Targets).toMatchObject([{ Arn: { 'Fn::GetAtt': ['SyncQueue', 'Arn'] } }]);
    const longest = deployed(packaged.beta.template, { region: 'ap-southeast-2', accountId: ACCOUNT }).Resources as JsonObject;

    for (const role of ['SyncFunctionRole', 'ReconcileFunctionRole', 'ReplayFunctionRole']) {
      const name = String(((longest[role] as JsonObject).Properties as JsonObject).RoleName);

      expect(name).toMatch(/^connect-sso-sync-beta-ap-southeast-2-/);
      expect(name.length).toBeLessThanOrEqual(64);
    }
  });
});

describe('the rule', () => {
  it('keeps its logical id (the emulator reads it) and matches the four Connect user calls from CloudTrail', () => {
    expect(properties('alpha', 'ConnectUserCreatedRule')).toMatchObject({
      Description: 'Amazon Connect user changes (CreateUser, UpdateUserIdentityInfo, UpdateUserSecurityProfiles, DeleteUser) recorded by CloudTrail',
      EventBusName: 'default',
      State: 'ENABLED',
      EventPattern: {
        source: ['aws.connect'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['connect.amazonaws.com'],
          eventName: ['CreateUser', 'UpdateUserIdentityInfo', 'UpdateUserSecurityProfiles', 'DeleteUser'],
          // Only calls that succeeded: a refused DeleteUser is recorded with errorCode and deleted nobody.
          errorCode: [{ exists: false }],
        },
      },
      Targets: [{ Id: 'sync-queue', DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] } } }],
    });
  });
});

describe('the link table', () => {
  it('renders as the emulator creates it: pk/sk, on demand, encrypted, point-in-time recovery, tombstones expiring, retained', () => {
    const table = resource('alpha', 'LinksTable');

    expect(table).toMatchObject({ Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(table.Properties).toEqual({
      TableName: 'connect-sso-sync-alpha-links',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });
});

describe('stack outputs', () => {
  it('give the table name and the role ARNs the Identity Center account and the operators need', () => {
    expect(view.alpha.Outputs).toMatchObject({
      LinksTableName: { Value: { Ref: 'LinksTable' } },
      SyncFunctionRoleArn: { Value: { 'Fn::GetAtt': ['SyncFunctionRole', 'Arn'] } },
      ReconcileFunctionRoleArn: { Value: { 'Fn::GetAtt': ['ReconcileFunctionRole', 'Arn'] } },
      SyncQueueUrl: { Value: { Ref: 'SyncQueue' } },
      SyncDeadLetterQueueUrl: { Value: { Ref: 'SyncDeadLetterQueue' } },
      EventsDeadLetterQueueUrl: { Value: { Ref: 'EventsDeadLetterQueue' } },
      AlarmTopicArn: { Value: { Ref: 'AlarmTopic' } },
    });
  });
});

describe('hardening 5: infra/identity-center-role.yml grants what the same-account roles grant', () => {
  const icTemplate = loadServerlessConfig(join(REPO_ROOT, 'infra', 'identity-center-role.yml')) as JsonObject;
  const identityCenterOnly = (statements: Statement[]) =>
    grants(statements).filter((g) => g.startsWith('identitystore:') || g.startsWith('sso:') || g.startsWith('sso-directory:'));

  it.each([
    ['alpha', { AssignmentMode: 'group', CreateUsers: 'true', UpdateIdentity: 'created', Deprovision: 'membership', SsoInstanceArn: SSO_INSTANCE }],
    ['beta', { AssignmentMode: 'user', CreateUsers: 'false', UpdateIdentity: 'none', Deprovision: 'delete', SsoInstanceArn: SSO_INSTANCE }],
    ['gamma', { AssignmentMode: 'none', CreateUsers: 'true', UpdateIdentity: 'none', Deprovision: 'none', SsoInstanceArn: '' }],
  ] as const)('for the modes of %s', (setup, modes) => {
    const parameters: Record<string, string> = {
      SyncFunctionRoleArn: `arn:aws:iam::${ACCOUNT}:role/connect-sso-sync-${setup}-${REGION}-sync`,
      ReconcileFunctionRoleArn: `arn:aws:iam::${ACCOUNT}:role/connect-sso-sync-${setup}-${REGION}-reconcile`,
      ExternalId: 'agreed',
      IdentityStoreId: STORE_ID,
      ManagedGroupIds: `${GROUP_A},${GROUP_B}`,
      ApplicationArn: APPLICATION,
      ...modes,
    };
    const stack = deployed(icTemplate, { parameters, accountId: ACCOUNT });
    const syncRole = roleStatements(stack, 'IdentityCenterRole');
    const readRole = roleStatements(stack, 'IdentityCenterReadRole');

    expect(identityCenterOnly(syncRole)).toEqual(identityCenterOnly(sync(setup)));
    expect(identityCenterOnly(readRole)).toEqual(identityCenterOnly(reconcile(setup)));
    for (const role of [syncRole, readRole]) {
      expect(actionsOf(role).filter((a) => !a.startsWith('identitystore:') && !a.startsWith('sso:') && !a.startsWith('sso-directory:'))).toEqual([]);
    }
  });
});

describe('npm run package (CI)', () => {
  it('packages stage ci from its example parameters alone, with one zip per function', () => {
    expect(packaged.ci.output).toContain('Service packaged');
    const artifacts = (name: string) => (properties('ci', name).Code as JsonObject).S3Key as Json;

    for (const [fn, zip] of [['SyncUserLambdaFunction', 'syncUser.zip'], ['ReconcileLambdaFunction', 'reconcile.zip'], ['ReplayLambdaFunction', 'replay.zip']]) {
      expect(String(artifacts(fn as string))).toMatch(new RegExp(`/${zip}$`));
    }
  });
});
