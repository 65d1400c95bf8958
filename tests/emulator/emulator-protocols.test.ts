/** Protocol fidelity: the real SDK v3 clients parse the emulator's answers and errors into the right shapes and classes. */
import {
  ConnectClient, CreateUserCommand, DeleteUserCommand, DescribeInstanceCommand, DescribeUserCommand, DuplicateResourceException,
  ListUsersCommand, ResourceNotFoundException as ConnectNotFound, SearchUsersCommand, UpdateUserIdentityInfoCommand, paginateListUsers,
} from '@aws-sdk/client-connect';
import {
  AccessDeniedException, ConflictException, CreateGroupMembershipCommand, CreateUserCommand as CreateIdentityUserCommand,
  GetGroupIdCommand, GetGroupMembershipIdCommand, GetUserIdCommand, IdentitystoreClient, IsMemberInGroupsCommand,
  ListGroupMembershipsCommand, ResourceNotFoundException as IdentityNotFound, ValidationException, paginateListUsers as paginateIdentityUsers,
} from '@aws-sdk/client-identitystore';
import {
  ConflictException as SsoConflict, CreateApplicationAssignmentCommand, ListApplicationAssignmentsCommand, ListApplicationsCommand,
  ListInstancesCommand, SSOAdminClient, ValidationException as SsoValidation,
} from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Emulator, SeededIds } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';

const credentials = { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' };
let emulator: Emulator;
let ids: SeededIds;
let connect: ConnectClient;
let identity: IdentitystoreClient;
let sso: SSOAdminClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, rateLimits: { enabled: false } });
  const config = { endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
  connect = new ConnectClient(config);
  identity = new IdentitystoreClient(config);
  sso = new SSOAdminClient(config);
  ids = emulator.seed({
    connectInstances: [{ alias: 'proto', identityManagementType: 'SAML', users: Array.from({ length: 25 }, (_, i) => ({ username: `agent${i}@example.com`, firstName: `First${i}`, lastName: 'Agent' })) }],
    identityStores: [
      { users: [{ userName: 'jane@example.com', email: 'Jane@Example.com' }], groups: [{ displayName: 'ConnectAgents', members: ['jane@example.com'] }, { displayName: 'Other' }] },
      { readOnly: true },
    ],
  });
});

afterAll(async () => {
  connect.destroy();
  identity.destroy();
  sso.destroy();
  await emulator.stop();
});

const instance = (): SeededIds['connectInstances'][number] => {
  const value = ids.connectInstances[0];
  if (value === undefined) throw new Error('no instance');
  return value;
};
const storeId = (index = 0): string => ids.identityStores[index]?.id ?? '';

describe('Connect (restJson1)', () => {
  // Security profiles must exist in the instance: use the default Agent profile every instance has.
  const agent = (): string => instance().securityProfiles.Agent ?? '';
  const newUser = { Username: 'new.agent@example.com', IdentityInfo: { FirstName: 'New', LastName: 'Agent', SecondaryEmail: 'new.agent@example.org' }, PhoneConfig: { PhoneType: 'SOFT_PHONE' as const }, RoutingProfileId: 'rp' };

  it('creates, describes, updates and deletes a user, addressing the instance by id or ARN', async () => {
    const created = await connect.send(new CreateUserCommand({ InstanceId: instance().arn, ...newUser, SecurityProfileIds: [agent()] }));
    expect(created.UserArn).toBe(`${instance().arn}/agent/${created.UserId}`);
    const described = await connect.send(new DescribeUserCommand({ InstanceId: instance().id, UserId: created.UserId }));
    expect(described.User).toMatchObject({ Id: created.UserId, Username: newUser.Username, IdentityInfo: newUser.IdentityInfo, SecurityProfileIds: [agent()] });
    expect(described.User?.LastModifiedTime).toBeInstanceOf(Date);
    await connect.send(new UpdateUserIdentityInfoCommand({ InstanceId: instance().id, UserId: created.UserId, IdentityInfo: { FirstName: 'Renamed' } }));
    expect(emulator.state.connectUsers(instance().id).find((u) => u.Id === created.UserId)?.IdentityInfo).toEqual({ FirstName: 'Renamed' });
    await connect.send(new DeleteUserCommand({ InstanceId: instance().id, UserId: created.UserId }));
    await expect(connect.send(new DescribeUserCommand({ InstanceId: instance().id, UserId: created.UserId }))).rejects.toBeInstanceOf(ConnectNotFound);
  });

  it('answers DuplicateResourceException (409) for a taken Username and InvalidParameterException for a bad one', async () => {
    const error = await connect.send(new CreateUserCommand({ InstanceId: instance().id, ...newUser, SecurityProfileIds: [agent()], Username: 'agent1@example.com' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateResourceException);
    expect(error).toMatchObject({ name: 'DuplicateResourceException', $fault: 'client', $metadata: { httpStatusCode: 409 } });
    await expect(connect.send(new CreateUserCommand({ InstanceId: instance().id, ...newUser, SecurityProfileIds: [agent()], Username: 'has space' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('answers ResourceNotFoundException (404) for an unknown instance', async () => {
    const error = await connect.send(new DescribeInstanceCommand({ InstanceId: '00000000-0000-0000-0000-000000000000' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectNotFound);
    expect(error).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 404 } });
  });

  it('describes the instance with its identity management type', async () => {
    const out = await connect.send(new DescribeInstanceCommand({ InstanceId: instance().arn }));
    expect(out.Instance).toMatchObject({ Id: instance().id, Arn: instance().arn, IdentityManagementType: 'SAML', InstanceStatus: 'ACTIVE', InstanceAlias: 'proto' });
  });

  it('pages ListUsers with NextToken through the SDK paginator', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListUsers({ client: connect, pageSize: 10 }, { InstanceId: instance().id })) {
      pages += 1;
      for (const user of page.UserSummaryList ?? []) seen.push(user.Username ?? '');
      expect(Object.keys(page.UserSummaryList?.[0] ?? {}).sort()).toEqual(['Arn', 'Id', 'LastModifiedRegion', 'LastModifiedTime', 'Username']);
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    const first = await connect.send(new ListUsersCommand({ InstanceId: instance().id, MaxResults: 1000 }));
    expect(first.NextToken).toBeUndefined();
  });

  it('searches users by Username and resourceId (Or) and returns IdentityInfo without the e-mail', async () => {
    const target = instance().users['agent3@example.com'];
    const out = await connect.send(new SearchUsersCommand({
      InstanceId: instance().arn,
      SearchCriteria: { OrConditions: [
        { StringCondition: { FieldName: 'Username', Value: 'agent2@example.com', ComparisonType: 'EXACT' } },
        { StringCondition: { FieldName: 'resourceId', Value: target?.id, ComparisonType: 'EXACT' } },
      ] },
    }));
    expect(out.ApproximateTotalCount).toBe(2);
    expect(out.Users?.map((u) => u.Username).sort()).toEqual(['agent2@example.com', 'agent3@example.com']);
    expect(out.Users?.[0]?.IdentityInfo).toEqual({ FirstName: expect.stringMatching(/^First/), LastName: 'Agent' });
    const all = await connect.send(new SearchUsersCommand({ InstanceId: instance().id, MaxResults: 20 }));
    expect(all.Users).toHaveLength(20);
    const rest = await connect.send(new SearchUsersCommand({ InstanceId: instance().id, MaxResults: 20, NextToken: all.NextToken }));
    expect(rest.NextToken).toBeUndefined();
    expect((all.Users?.length ?? 0) + (rest.Users?.length ?? 0)).toBe(all.ApproximateTotalCount);
    // SearchUsers pages hold at most 500 users (ListUsers: 1000).
    await expect(connect.send(new SearchUsersCommand({ InstanceId: instance().id, MaxResults: 1000 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('Identity Store (awsJson1_1)', () => {
  it('answers ConflictException with Reason UNIQUENESS_CONSTRAINT_VIOLATION for a UserName taken in another case', async () => {
    const error = await identity.send(new CreateIdentityUserCommand({
      IdentityStoreId: storeId(), UserName: 'JANE@example.com', DisplayName: 'J', Name: { GivenName: 'J', FamilyName: 'D' }, Emails: [{ Value: 'j.d@example.com' }],
    })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictException);
    expect(error).toMatchObject({ name: 'ConflictException', Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION', $fault: 'client' });
  });

  it('requires DisplayName and Name and at most one e-mail', async () => {
    await expect(identity.send(new CreateIdentityUserCommand({ IdentityStoreId: storeId(), UserName: 'x@example.com' }))).rejects.toBeInstanceOf(ValidationException);
    await expect(identity.send(new CreateIdentityUserCommand({
      IdentityStoreId: storeId(), UserName: 'x@example.com', DisplayName: 'X', Name: { GivenName: 'X', FamilyName: 'Y' },
      Emails: [{ Value: 'a@example.com' }, { Value: 'b@example.com' }],
    }))).rejects.toBeInstanceOf(ValidationException);
  });

  it('finds users by userName or e-mail, else ResourceNotFoundException with ResourceType', async () => {
    const byEmail = await identity.send(new GetUserIdCommand({ IdentityStoreId: storeId(), AlternateIdentifier: { UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: 'jane@example.com' } } }));
    expect(byEmail.UserId).toBe(ids.identityStores[0]?.users['jane@example.com']);
    expect(byEmail.UserId).toMatch(/^[0-9a-f]{10}-[0-9a-f-]{36}$/);
    const missing = await identity.send(new GetUserIdCommand({ IdentityStoreId: storeId(), AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'nobody' } } })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(IdentityNotFound);
    expect(missing).toMatchObject({ ResourceType: 'USER', $metadata: { httpStatusCode: 404 } });
    const noStore = await identity.send(new GetGroupIdCommand({ IdentityStoreId: 'd-0000000000', AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'x' } } })).catch((e: unknown) => e);
    expect(noStore).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'IDENTITY_STORE' });
  });

  it('manages memberships: conflict when present, GROUP_MEMBERSHIP when absent, IsMemberInGroups', async () => {
    const userId = ids.identityStores[0]?.users['jane@example.com'] ?? '';
    const agents = ids.identityStores[0]?.groups.ConnectAgents ?? '';
    const other = ids.identityStores[0]?.groups.Other ?? '';
    await expect(identity.send(new CreateGroupMembershipCommand({ IdentityStoreId: storeId(), GroupId: agents, MemberId: { UserId: userId } })))
      .rejects.toMatchObject({ name: 'ConflictException', Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' });
    await expect(identity.send(new GetGroupMembershipIdCommand({ IdentityStoreId: storeId(), GroupId: other, MemberId: { UserId: userId } })))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'GROUP_MEMBERSHIP' });
    const check = await identity.send(new IsMemberInGroupsCommand({ IdentityStoreId: storeId(), MemberId: { UserId: userId }, GroupIds: [agents, other] }));
    expect(check.Results?.map((r) => [r.GroupId, r.MembershipExists])).toEqual([[agents, true], [other, false]]);
    const created = await identity.send(new CreateGroupMembershipCommand({ IdentityStoreId: storeId(), GroupId: other, MemberId: { UserId: userId } }));
    const list = await identity.send(new ListGroupMembershipsCommand({ IdentityStoreId: storeId(), GroupId: other }));
    expect(list.GroupMemberships).toEqual([expect.objectContaining({ MembershipId: created.MembershipId, MemberId: { UserId: userId } })]);
  });

  it('pages ListUsers and refuses writes to a read-only (SCIM) store with AccessDeniedException', async () => {
    for (let i = 0; i < 5; i += 1) {
      await identity.send(new CreateIdentityUserCommand({ IdentityStoreId: storeId(), UserName: `paged${i}`, DisplayName: `P ${i}`, Name: { GivenName: 'P', FamilyName: `${i}` }, Emails: [{ Value: `paged${i}@example.com` }] }));
    }
    const names: string[] = [];
    for await (const page of paginateIdentityUsers({ client: identity, pageSize: 2 }, { IdentityStoreId: storeId() })) names.push(...(page.Users ?? []).map((u) => u.UserName ?? ''));
    expect(names.filter((n) => n.startsWith('paged'))).toHaveLength(5);
    const denied = await identity.send(new CreateIdentityUserCommand({ IdentityStoreId: storeId(1), UserName: 'x', DisplayName: 'X', Name: { GivenName: 'X', FamilyName: 'Y' } })).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AccessDeniedException);
    expect(denied).toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });
});

describe('SSO Admin (awsJson1_1)', () => {
  it('assigns once, then ConflictException; refuses applications without API assignments', async () => {
    const seeded = emulator.seed({ ssoInstances: [{ identityStoreId: storeId(), applications: [{ name: 'Amazon Connect' }, { name: 'Client VPN', supportsApiAssignments: false }] }] }).ssoInstances[0];
    const instances = await sso.send(new ListInstancesCommand({}));
    expect(instances.Instances?.map((i) => i.InstanceArn)).toContain(seeded?.instanceArn);
    expect(seeded?.instanceArn).toMatch(/^arn:aws:sso:::instance\/ssoins-[0-9a-f]{16}$/);
    const apps = await sso.send(new ListApplicationsCommand({ InstanceArn: seeded?.instanceArn }));
    expect(apps.Applications?.map((a) => a.Name)).toEqual(['Amazon Connect', 'Client VPN']);
    const connectApp = seeded?.applications['Amazon Connect'] ?? '';
    expect(connectApp).toMatch(/^arn:aws:sso::123456789012:application\/ssoins-[0-9a-f]{16}\/apl-[0-9a-f]{16}$/);
    const groupId = ids.identityStores[0]?.groups.ConnectAgents ?? '';
    await sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: connectApp, PrincipalId: groupId, PrincipalType: 'GROUP' }));
    await expect(sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: connectApp, PrincipalId: groupId, PrincipalType: 'GROUP' }))).rejects.toBeInstanceOf(SsoConflict);
    const listed = await sso.send(new ListApplicationAssignmentsCommand({ ApplicationArn: connectApp }));
    expect(listed.ApplicationAssignments).toEqual([{ ApplicationArn: connectApp, PrincipalId: groupId, PrincipalType: 'GROUP' }]);
    const refused = await sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: seeded?.applications['Client VPN'], PrincipalId: groupId, PrincipalType: 'GROUP' })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SsoValidation);
    expect((refused as Error).message).toMatch(/not supported for this application/);
  });

  it('answers an unknown operation with an error the SDK parses', async () => {
    const response = await fetch(emulator.endpoint, { method: 'POST', headers: { 'x-amz-target': 'SWBExternalService.NoSuchThing', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await response.json()).toMatchObject({ __type: 'com.amazonaws.ssoadmin#UnknownOperationException' });
  });
});

describe('STS (awsQuery) and AWS_ENDPOINT_URL_* discovery', () => {
  it('reaches every service through env() alone and records AssumeRole', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, emulator.env());
    try {
      const sts = new STSClient({});
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::210987654321:role/IdentityCenterSync', RoleSessionName: 'sync' }));
      expect(assumed.Credentials?.Expiration).toBeInstanceOf(Date);
      expect(assumed.AssumedRoleUser?.Arn).toBe('arn:aws:sts::210987654321:assumed-role/IdentityCenterSync/sync');
      const asRole = new STSClient({ credentials: { accessKeyId: assumed.Credentials?.AccessKeyId ?? '', secretAccessKey: 'x', sessionToken: 'y' } });
      expect((await asRole.send(new GetCallerIdentityCommand({}))).Account).toBe('210987654321');
      expect(emulator.state.assumedRoles().map((r) => r.roleArn)).toContain('arn:aws:iam::210987654321:role/IdentityCenterSync');
      await expect(sts.send(new AssumeRoleCommand({ RoleArn: undefined, RoleSessionName: undefined }))).rejects.toMatchObject({ name: 'ValidationError', $fault: 'client' });
      const viaEnv = new ConnectClient({});
      expect((await viaEnv.send(new DescribeInstanceCommand({ InstanceId: instance().id }))).Instance?.Id).toBe(instance().id);
      sts.destroy();
      asRole.destroy();
      viaEnv.destroy();
    } finally {
      process.env = saved;
    }
  });
});
