import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { ConnectClient, DescribeInstanceCommand, ResourceNotFoundException as ConnectNotFound } from '@aws-sdk/client-connect';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { IdentitystoreClient, ListUsersCommand, ResourceNotFoundException as StoreNotFound } from '@aws-sdk/client-identitystore';
import { DescribeApplicationCommand, ListInstancesCommand, ResourceNotFoundException as SsoNotFound, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { deploymentReadsAdapter } from '../../../shared/adapters/deployment-reads.js';
import { PermanentError, RetryableError } from '../../../shared/core/errors.js';

const meta = { $metadata: {} };
const sts = mockClient(STSClient);
const store = mockClient(IdentitystoreClient);
const connect = mockClient(ConnectClient);
const sso = mockClient(SSOAdminClient);
const iam = mockClient(IAMClient);
const trail = mockClient(CloudTrailClient);
const options = { region: 'eu-west-1', maxAttempts: 1 };
const reads = deploymentReadsAdapter({
  sts: new STSClient(options), identityStore: new IdentitystoreClient(options), connect: new ConnectClient(options),
  ssoAdmin: new SSOAdminClient(options), iam: new IAMClient(options), cloudTrail: new CloudTrailClient(options),
});
const denied = () => Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $fault: 'client', ...meta });

beforeEach(() => {
  for (const m of [sts, store, connect, sso, iam, trail]) m.reset();
});

describe('deployment reads adapter: facts', () => {
  it('the caller, the store\'s first users, the instance, the application and the Identity Center instances', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/ops' });
    store.on(ListUsersCommand).resolves({ Users: [{ UserId: 'u-1', IdentityStoreId: 'd-1', ExternalIds: [{ Issuer: 'scim', Id: '1' }] }, { UserId: 'u-2', IdentityStoreId: 'd-1' }] });
    connect.on(DescribeInstanceCommand).resolves({ Instance: { Arn: 'arn:i', InstanceAlias: 'cc', IdentityManagementType: 'SAML', InstanceStatus: 'ACTIVE' } });
    sso.on(DescribeApplicationCommand).resolves({ Name: 'Amazon Connect', Status: 'ENABLED', InstanceArn: 'arn:sso' });
    sso.on(ListInstancesCommand, { NextToken: undefined }).resolves({ Instances: [{ InstanceArn: 'arn:sso', IdentityStoreId: 'd-1' }], NextToken: 't' })
      .on(ListInstancesCommand, { NextToken: 't' }).resolves({ Instances: [{ InstanceArn: 'arn:sso2', IdentityStoreId: 'd-2' }] });

    expect(await reads.caller()).toEqual({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops' });
    expect(await reads.storeUsers('d-1')).toEqual({ users: 2, external: 1 });
    expect(store.commandCalls(ListUsersCommand)[0]?.args[0].input).toEqual({ IdentityStoreId: 'd-1', MaxResults: 50 });
    expect(await reads.connectInstance('i-1')).toEqual({ arn: 'arn:i', alias: 'cc', identityManagementType: 'SAML', status: 'ACTIVE' });
    expect(await reads.application('arn:app')).toEqual({ name: 'Amazon Connect', status: 'ENABLED', instanceArn: 'arn:sso' });
    expect(await reads.ssoInstances()).toEqual([{ instanceArn: 'arn:sso', identityStoreId: 'd-1' }, { instanceArn: 'arn:sso2', identityStoreId: 'd-2' }]);
  });

  it('"no such thing" is undefined: a missing store, instance or application', async () => {
    store.on(ListUsersCommand).rejects(new StoreNotFound({ message: 'no store', ResourceType: 'IDENTITY_STORE', ...meta }));
    connect.on(DescribeInstanceCommand).rejects(new ConnectNotFound({ message: 'no instance', ...meta }));
    sso.on(DescribeApplicationCommand).rejects(new SsoNotFound({ message: 'no application', ...meta }));

    expect(await reads.storeUsers('d-0')).toBeUndefined();
    expect(await reads.connectInstance('i-0')).toBeUndefined();
    expect(await reads.application('arn:none')).toBeUndefined();
  });

  it('assumes the role once as the doctor\'s session; STS refusing the caller is "denied"', async () => {
    sts.on(AssumeRoleCommand).resolvesOnce({}).rejects(Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied', ...meta }));

    expect(await reads.assumeRole('arn:role', 'ext-1')).toBe('assumed');
    expect(await reads.assumeRole('arn:role')).toBe('denied');
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({ RoleArn: 'arn:role', RoleSessionName: 'connect-sso-sync-doctor', DurationSeconds: 900, ExternalId: 'ext-1' });
  });

  it('the trails covering a region, whether each logs write management events, and whether it is logging', async () => {
    trail.on(DescribeTrailsCommand).resolves({ trailList: [
      { Name: 'org', TrailARN: 'arn:trail/org', IsMultiRegionTrail: true, HomeRegion: 'us-east-1' },
      { Name: 'here', TrailARN: 'arn:trail/here', HomeRegion: 'eu-west-1' },
      { Name: 'elsewhere', TrailARN: 'arn:trail/elsewhere', HomeRegion: 'us-west-2' },
    ] });
    trail.on(GetEventSelectorsCommand).resolves({ EventSelectors: [{ ReadWriteType: 'ReadOnly' }] })
      .on(GetEventSelectorsCommand, { TrailName: 'arn:trail/here' })
      .resolves({ AdvancedEventSelectors: [{ Name: 'm', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] });
    trail.on(GetTrailStatusCommand).resolves({}).on(GetTrailStatusCommand, { Name: 'arn:trail/here' }).resolves({ IsLogging: false });

    expect(await reads.trails('eu-west-1')).toEqual([{ name: 'org', logsWrites: false }, { name: 'here', logsWrites: true, logging: false }]);
    // A trail that logs no writes has its status left unread (doctor needs no GetTrailStatus on it).
    expect(trail.commandCalls(GetTrailStatusCommand).map((c) => c.args[0].input.Name)).toEqual(['arn:trail/here']);
    expect((await reads.trails(undefined)).map((t) => t.name)).toEqual(['org', 'here', 'elsewhere']);
  });

  it('the policy simulation\'s decision, asked with aws:userid in the context', async () => {
    iam.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [{ EvalActionName: 'connect:GetFederationToken', EvalDecision: 'implicitDeny' }] });

    expect(await reads.policyDecision('arn:role', 'connect:GetFederationToken', 'arn:i/user/s', 's')).toBe('implicitDeny');
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)[0]?.args[0].input).toEqual({
      PolicySourceArn: 'arn:role', ActionNames: ['connect:GetFederationToken'], ResourceArns: ['arn:i/user/s'],
      ContextEntries: [{ ContextKeyName: 'aws:userid', ContextKeyType: 'string', ContextKeyValues: ['s'] }],
    });
  });
});

describe('deployment reads adapter: failures are classified, the AWS error as their cause', () => {
  it.each([
    ['sts:GetCallerIdentity', () => sts.on(GetCallerIdentityCommand), () => reads.caller()],
    ['sts:AssumeRole', () => sts.on(AssumeRoleCommand), () => reads.assumeRole('arn:role')],
    ['identitystore:ListUsers', () => store.on(ListUsersCommand), () => reads.storeUsers('d-1')],
    ['connect:DescribeInstance', () => connect.on(DescribeInstanceCommand), () => reads.connectInstance('i-1')],
    ['sso:DescribeApplication', () => sso.on(DescribeApplicationCommand), () => reads.application('arn:app')],
    ['sso:ListInstances', () => sso.on(ListInstancesCommand), () => reads.ssoInstances()],
    ['cloudtrail:DescribeTrails', () => trail.on(DescribeTrailsCommand), () => reads.trails('eu-west-1')],
    ['cloudtrail:GetEventSelectors', () => trail.on(DescribeTrailsCommand).resolves({ trailList: [{ Name: 't' }] }).on(GetEventSelectorsCommand), () => reads.trails(undefined)],
    ['iam:SimulatePrincipalPolicy', () => iam.on(SimulatePrincipalPolicyCommand), () => reads.policyDecision('arn:role', 'a', 'r', 'u')],
  ] as const)('%s: a server fault is retryable, with the call named', async (what, on, read) => {
    const fault = Object.assign(new Error('internal'), { name: 'InternalFailure', $fault: 'server', ...meta });
    on().rejects(fault);

    const thrown = await read().catch((e: unknown) => e);

    expect(thrown).toBeInstanceOf(RetryableError);
    expect(thrown).toMatchObject({ code: 'SERVICE_ERROR', cause: fault, message: `${what} failed: InternalFailure: internal` });
  });

  it('access denied on a read is permanent (only AssumeRole turns it into "denied")', async () => {
    connect.on(DescribeInstanceCommand).rejects(denied());

    const thrown = await reads.connectInstance('i-1').catch((e: unknown) => e);

    expect(thrown).toBeInstanceOf(PermanentError);
    expect(thrown).toMatchObject({ code: 'ACCESS_DENIED' });
  });
});
