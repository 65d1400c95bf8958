import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { ConnectClient, DescribeInstanceCommand, ListSecurityProfilesCommand } from '@aws-sdk/client-connect';
import {
  GetGroupIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsCommand,
  ListUsersCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-identitystore';
import { DescribeApplicationCommand, ListApplicationAssignmentsCommand, ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { createCliClients } from '../../../shared/composition/cli.js';
import { advancedSelectorsLogWrites, basicSelectorsLogWrites } from '../../../shared/adapters/deployment-reads.js';
import { runDoctor } from '../../../cli/doctor.js';
import { exitCodeOf } from '../../../cli/outcome.js';
import { recordingIo } from './io-helpers.js';

const STORE = 'd-1234567890';
const SSO = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const APP = 'arn:aws:sso::123456789012:application/ssoins-1234567890abcdef/apl-1234567890abcdef';
const ENV = {
  AWS_REGION: 'eu-west-1',
  IDENTITY_STORE_ID: STORE,
  CONNECT_INSTANCE_ID: '4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20',
  SSO_INSTANCE_ARN: SSO,
  CONNECT_APPLICATION_ARN: APP,
  PROTECTED_GROUPS: 'AWSAdministrators',
};
const MAPPED = { ...ENV, GROUP_MAPPING: '{"Agent": "ConnectAgents", "CallCenterManager": ["ConnectAgents", "ConnectSupervisors"]}' };
const groupIds: Record<string, string> = { ConnectAgents: 'g-1', ConnectSupervisors: 'g-2', AWSAdministrators: 'g-admin' };
const meta = { $metadata: {} };
const sts = mockClient(STSClient);
const connect = mockClient(ConnectClient);
const identity = mockClient(IdentitystoreClient);
const sso = mockClient(SSOAdminClient);
const trail = mockClient(CloudTrailClient);
const iam = mockClient(IAMClient);
const clients = () => createCliClients({});

function healthyAccount() {
  sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/ops' });
  sts.on(AssumeRoleCommand).resolves({});
  identity.on(ListUsersCommand).resolves({ Users: [{ UserId: 'u-1', IdentityStoreId: STORE }] });
  identity.on(GetGroupIdCommand).callsFake((input: { AlternateIdentifier: { UniqueAttribute: { AttributeValue: string } } }) => {
    const id = groupIds[input.AlternateIdentifier.UniqueAttribute.AttributeValue];
    if (!id) throw new ResourceNotFoundException({ message: 'no group', ...meta });
    return { GroupId: id, IdentityStoreId: STORE };
  });
  // Real-shaped: each membership names its member (doctor counts members through the adapter reconcile uses).
  identity.on(ListGroupMembershipsCommand).resolves({ GroupMemberships: [
    { MembershipId: 'm-1', IdentityStoreId: STORE, MemberId: { UserId: 'u-1' } },
    { MembershipId: 'm-2', IdentityStoreId: STORE, MemberId: { UserId: 'u-2' } },
  ] });
  connect.on(ListSecurityProfilesCommand).resolves({ SecurityProfileSummaryList: [{ Id: 'sp-1', Name: 'Agent' }, { Id: 'sp-2', Name: 'CallCenterManager' }] });
  sso.on(ListInstancesCommand).resolves({ Instances: [{ InstanceArn: SSO, IdentityStoreId: STORE }] });
  sso.on(DescribeApplicationCommand).resolves({ ApplicationArn: APP, Name: 'Amazon Connect', Status: 'ENABLED', InstanceArn: SSO });
  sso.on(ListApplicationAssignmentsCommand).resolves({ ApplicationAssignments: [{ PrincipalType: 'GROUP', PrincipalId: 'g-1', ApplicationArn: APP }] });
  connect.on(DescribeInstanceCommand).resolves({ Instance: { InstanceAlias: 'contact-center', IdentityManagementType: 'SAML', InstanceStatus: 'ACTIVE' } });
  trail.on(DescribeTrailsCommand).resolves({ trailList: [{ Name: 'org', TrailARN: 'arn:aws:cloudtrail:us-east-1:1:trail/org', IsMultiRegionTrail: true, HomeRegion: 'us-east-1' }] });
  trail.on(GetEventSelectorsCommand).resolves({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] });
  trail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
}

beforeEach(() => {
  for (const m of [sts, connect, identity, sso, trail, iam]) m.reset();
});

describe('doctor', () => {
  it('passes a healthy configuration, read-only: only Describe/Get/List calls (and AssumeRole) are made', async () => {
    healthyAccount();
    const io = recordingIo(ENV);

    const code = exitCodeOf(await runDoctor([], io, clients()));

    expect(code).toBe(0);
    expect(io.stdout.filter((l) => /^(PASS|WARN|FAIL|SKIP)/.test(l)).map((l) => l.slice(0, 4))).toEqual([
      'PASS', 'SKIP', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'SKIP', 'PASS', 'PASS', 'SKIP',
    ]);
    const calls = [sts, connect, identity, sso, trail].flatMap((m) => m.calls().map((c) => c.args[0].constructor.name));
    expect(calls.every((name) => /^(Describe|Get|List)/.test(name))).toBe(true);
  });

  it('fails a non-SAML instance, a missing trail and an application that refuses assignments, each with a fix', async () => {
    healthyAccount();
    connect.on(DescribeInstanceCommand).resolves({ Instance: { InstanceAlias: 'cc', IdentityManagementType: 'CONNECT_MANAGED' } });
    trail.on(DescribeTrailsCommand).resolves({ trailList: [] });
    sso.on(ListApplicationAssignmentsCommand).rejects(Object.assign(new Error('Operation not supported for this application'), { name: 'ValidationException' }));
    const io = recordingIo(ENV);

    const code = exitCodeOf(await runDoctor(['--json'], io, clients()));

    const { checks } = JSON.parse(io.stdout.join('\n')) as { checks: { name: string; status: string; fix?: string }[] };
    const status = Object.fromEntries(checks.map((c) => [c.name, c.status]));
    expect(code).toBe(1);
    expect(status).toMatchObject({ 'connect-instance': 'fail', cloudtrail: 'fail', application: 'fail', 'managed-groups': 'pass' });
    expect(checks.find((c) => c.name === 'application')?.fix).toContain('ASSIGNMENT_MODE=none');
    expect(checks.find((c) => c.name === 'cloudtrail')?.fix).toContain('create-trail');
  });

  it('warns that the store looks SCIM-provisioned when users carry external ids and CREATE_USERS is true', async () => {
    healthyAccount();
    identity.on(ListUsersCommand).resolves({ Users: [{ UserId: 'u-1', IdentityStoreId: STORE, ExternalIds: [{ Issuer: 'scim', Id: '1' }] }] });
    const io = recordingIo(ENV);

    await runDoctor([], io, clients());

    expect(io.text()).toMatch(/WARN\s+identity-store[\s\S]*CREATE_USERS=false/);
  });

  it('prints the managedGroupIds parameter for the mapped groups and counts the protected users', async () => {
    healthyAccount();
    const io = recordingIo(MAPPED);

    await runDoctor([], io, clients());

    expect(io.text()).toMatch(/PASS\s+managed-groups\s+ConnectAgents, ConnectSupervisors exist; deploy with --param="managedGroupIds=g-1,g-2"/);
    expect(io.text()).toMatch(/PASS\s+protected-groups\s+2 user membership\(s\) in 1 protected group/);
    expect(io.text()).toMatch(/PASS\s+security-profiles/);
  });

  it('fails when a managed group is missing, when MANAGED_GROUP_IDS differs, and when the mapping names an unknown profile', async () => {
    healthyAccount();
    const missing = recordingIo({ ...MAPPED, GROUP_MAPPING: '{"Agent": "ConnectAgents", "Admin": "ConnectAdmins"}' });
    const wrongIds = recordingIo({ ...MAPPED, MANAGED_GROUP_IDS: '0123456789-0f1e2d3c-4b5a-4697-8877-665544332211' });

    await runDoctor([], missing, clients());
    await runDoctor([], wrongIds, clients());

    expect(missing.text()).toMatch(/FAIL\s+managed-groups\s+1 of 2 managed group\(s\) do not exist: ConnectAdmins/);
    expect(missing.text()).toMatch(/FAIL\s+security-profiles\s+GROUP_MAPPING names no such security profile: Admin/);
    expect(wrongIds.text()).toMatch(/FAIL\s+managed-groups\s+MANAGED_GROUP_IDS does not name exactly the managed groups[\s\S]*managedGroupIds=g-1,g-2/);
  });

  it('fails on a protected group name that does not exist: a misspelled group protects no one', async () => {
    healthyAccount();
    const io = recordingIo({ ...MAPPED, PROTECTED_GROUPS: 'AWSAdministrators,AdminsTypo' });

    const code = exitCodeOf(await runDoctor([], io, clients()));

    expect(io.text()).toMatch(/FAIL\s+protected-groups\s+.*in 1 protected group.*; no such group: AdminsTypo$/m);
    expect(code).not.toBe(0);
  });

  it('warns when no protected group is configured', async () => {
    healthyAccount();
    const io = recordingIo({ ...ENV, PROTECTED_GROUPS: '' });

    await runDoctor([], io, clients());

    expect(io.text()).toMatch(/WARN\s+protected-groups[\s\S]*administrator groups/);
  });

  it('stops at the first line when the credentials do not work (exit 2)', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const io = recordingIo(ENV);

    expect(exitCodeOf(await runDoctor([], io, clients()))).toBe(2);
    expect(io.text()).toContain('FAIL  credentials');
  });
});

describe('CloudTrail selectors', () => {
  it('basic: management events that include writes', () => {
    expect(basicSelectorsLogWrites([{}])).toBe(true);
    expect(basicSelectorsLogWrites([{ ReadWriteType: 'ReadOnly' }])).toBe(false);
    expect(basicSelectorsLogWrites([{ IncludeManagementEvents: false }])).toBe(false);
  });

  it('advanced: eventCategory Management, not read-only, not excluding Connect', () => {
    const management = { Field: 'eventCategory', Equals: ['Management'] };
    expect(advancedSelectorsLogWrites([{ FieldSelectors: [management] }])).toBe(true);
    expect(advancedSelectorsLogWrites([{ FieldSelectors: [management, { Field: 'readOnly', Equals: ['true'] }] }])).toBe(false);
    expect(advancedSelectorsLogWrites([{ FieldSelectors: [management, { Field: 'eventSource', NotEquals: ['connect.amazonaws.com'] }] }])).toBe(false);
    expect(advancedSelectorsLogWrites([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }])).toBe(false);
  });
});

describe('doctor wording', () => {
  it('says a single managed group "exists"', async () => {
    healthyAccount();
    const io = recordingIo(ENV);

    await runDoctor([], io, clients());

    expect(io.text()).toMatch(/PASS\s+managed-groups\s+ConnectAgents exists; deploy with --param="managedGroupIds=g-1"/);
  });

  it('with the endpoint unreachable, says "cannot reach" it instead of suggesting AWS_PROFILE; exit 2', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 4566 });
    sts.on(GetCallerIdentityCommand).rejects(refused);
    const io = recordingIo(ENV);

    const code = exitCodeOf(await runDoctor([], io, clients()));

    expect(code).toBe(2);
    expect(io.stdout[0]).toMatch(/^FAIL\s+credentials\s+could not check: cannot reach 127\.0\.0\.1:4566 \(connection refused\)$/);
    expect(io.text()).toContain('fix: check the endpoint (AWS_ENDPOINT_URL_*, AWS_REGION) and that it is running (locally: npm start -- --serve)');
    expect(io.text()).not.toContain('AWS_PROFILE');
  });
});

describe('doctor --federation-role', () => {
  const ROLE = 'arn:aws:iam::123456789012:role/ConnectAgentFederation';
  const INSTANCE_ARN = 'arn:aws:connect:eu-west-1:123456789012:instance/4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20';
  const lineOf = (io: ReturnType<typeof recordingIo>) => io.stdout.find((l) => l.includes('federation-role')) ?? '';

  it('passes when the role may call connect:GetFederationToken on a user of the instance, asked as an agent\'s session would', async () => {
    healthyAccount();
    connect.on(DescribeInstanceCommand).resolves({ Instance: { Arn: INSTANCE_ARN, InstanceAlias: 'cc', IdentityManagementType: 'SAML', InstanceStatus: 'ACTIVE' } });
    iam.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [{ EvalActionName: 'connect:GetFederationToken', EvalDecision: 'allowed' }] });
    const io = recordingIo(ENV);

    const code = exitCodeOf(await runDoctor(['--federation-role', ROLE], io, clients()));

    expect(code).toBe(0);
    expect(lineOf(io)).toMatch(/^PASS\s+federation-role\s+.*may call connect:GetFederationToken/);
    const asked = iam.commandCalls(SimulatePrincipalPolicyCommand)[0]?.args[0].input;
    expect(asked).toMatchObject({ PolicySourceArn: ROLE, ActionNames: ['connect:GetFederationToken'] });
    // The resource is a user of this instance named by the session's aws:userid, as the usual policy writes it.
    const userid = asked?.ContextEntries?.[0]?.ContextKeyValues?.[0] ?? '';
    expect(asked?.ResourceArns).toEqual([`${INSTANCE_ARN}/user/${userid}`]);
  });

  it('fails with the policy to add when the simulation denies it (the agent would see "Access denied, Please contact your AWS account administrator")', async () => {
    healthyAccount();
    connect.on(DescribeInstanceCommand).resolves({ Instance: { Arn: INSTANCE_ARN, InstanceAlias: 'cc', IdentityManagementType: 'SAML', InstanceStatus: 'ACTIVE' } });
    iam.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [{ EvalActionName: 'connect:GetFederationToken', EvalDecision: 'implicitDeny' }] });
    const io = recordingIo(ENV);

    const code = exitCodeOf(await runDoctor(['--federation-role', ROLE], io, clients()));

    expect(code).toBe(1);
    expect(lineOf(io)).toMatch(/^FAIL\s+federation-role\s+.*implicitDeny/);
    expect(io.stdout.join('\n')).toContain(`allow connect:GetFederationToken on ${INSTANCE_ARN}/user/\${aws:userid}`);
  });
});

