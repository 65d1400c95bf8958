/** Connect security profiles, user updates and SearchUsers through the real @aws-sdk/client-connect, and the admin helpers. */
import {
  ConnectClient, CreateUserCommand, DescribeUserCommand, InvalidParameterException, InvalidRequestException, ListRoutingProfilesCommand, ListSecurityProfilesCommand, ListUsersCommand,
  SearchUsersCommand, UpdateUserIdentityInfoCommand, UpdateUserSecurityProfilesCommand, paginateListRoutingProfiles, paginateListSecurityProfiles, ResourceNotFoundException,
} from '@aws-sdk/client-connect';
import { createAgent, deleteAgent, updateIdentityInfo, updateSecurityProfiles } from '../../local/admin';
import type { CloudTrailEvent, Emulator, SeededIds } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';

const credentials = { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' };
let emulator: Emulator;
let seeded: SeededIds['connectInstances'][number];
let connect: ConnectClient;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: { enabled: false } });
  connect = new ConnectClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const ids = emulator.seed({
    connectInstances: [{
      alias: 'profiles', identityManagementType: 'SAML', securityProfiles: ['Supervisor'], routingProfiles: ['Sales', 'Support'],
      users: [
        { username: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', secondaryEmail: 'ada.notify@example.org' },
        { username: 'boss@example.com', firstName: 'Grace', lastName: 'Hopper', securityProfiles: ['Admin', 'Supervisor'] },
        ...Array.from({ length: 120 }, (_, i) => ({ username: `bulk${i}@example.com` })),
      ],
    }],
  });
  seeded = ids.connectInstances[0] ?? { id: '', arn: '', alias: '', users: {}, securityProfiles: {}, routingProfiles: {} };
});

afterAll(async () => {
  connect.destroy();
  await emulator.stop();
});

const instanceId = () => seeded.id;
const profile = (name: string) => seeded.securityProfiles[name] ?? '';
const userId = (name: string) => seeded.users[name]?.id ?? '';
const fails = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

describe('routing profiles (ListRoutingProfiles)', () => {
  it('every instance has the Basic Routing Profile plus seeded ones, listed in AWS shape', async () => {
    const out = await connect.send(new ListRoutingProfilesCommand({ InstanceId: instanceId() }));

    expect(out.RoutingProfileSummaryList?.map((p) => p.Name)).toEqual(['Basic Routing Profile', 'Sales', 'Support']);
    const sales = seeded.routingProfiles.Sales ?? '';
    expect(out.RoutingProfileSummaryList?.[1]).toEqual({ Id: sales, Arn: `${seeded.arn}/routing-profile/${sales}`, Name: 'Sales', LastModifiedTime: expect.any(Date), LastModifiedRegion: 'us-east-1' });
    expect(sales).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(out.NextToken).toBeUndefined();
  });

  it('pages it (MaxResults 1..1000) through the SDK paginator, by the instance id or its ARN', async () => {
    const pages: string[][] = [];

    for await (const page of paginateListRoutingProfiles({ client: connect, pageSize: 2 }, { InstanceId: seeded.arn })) {
      pages.push((page.RoutingProfileSummaryList ?? []).map((p) => p.Name ?? ''));
    }

    expect(pages).toEqual([['Basic Routing Profile', 'Sales'], ['Support']]);
    expect(await fails(connect.send(new ListRoutingProfilesCommand({ InstanceId: instanceId(), MaxResults: 1001 })))).toBeInstanceOf(InvalidParameterException);
    expect(await fails(connect.send(new ListRoutingProfilesCommand({ InstanceId: instanceId(), NextToken: 'not-a-token' })))).toBeInstanceOf(InvalidParameterException);
  });

  it('answers ResourceNotFoundException for an instance that does not exist', async () => {
    const missing = '00000000-0000-4000-8000-0000000000ff';

    expect(await fails(connect.send(new ListRoutingProfilesCommand({ InstanceId: missing })))).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('security profiles', () => {
  it('every instance has the default set (Admin, Agent, CallCenterManager, QualityAnalyst) plus seeded ones, listed in AWS shape', async () => {
    const out = await connect.send(new ListSecurityProfilesCommand({ InstanceId: instanceId() }));
    expect(out.SecurityProfileSummaryList?.map((p) => p.Name)).toEqual(['Admin', 'Agent', 'CallCenterManager', 'QualityAnalyst', 'Supervisor']);
    const agent = out.SecurityProfileSummaryList?.[1];
    expect(agent).toEqual({ Id: profile('Agent'), Arn: `${seeded.arn}/security-profile/${profile('Agent')}`, Name: 'Agent', LastModifiedTime: expect.any(Date), LastModifiedRegion: 'us-east-1' });
    expect(profile('Agent')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(emulator.state.securityProfiles(instanceId()).map((p) => p.Name)).toContain('Supervisor');
  });

  it('pages ListSecurityProfiles (MaxResults 1..1000) through the SDK paginator', async () => {
    const pages: number[] = [];
    for await (const page of paginateListSecurityProfiles({ client: connect, pageSize: 2 }, { InstanceId: seeded.arn })) pages.push(page.SecurityProfileSummaryList?.length ?? 0);
    expect(pages).toEqual([2, 2, 1]);
    expect(await fails(connect.send(new ListSecurityProfilesCommand({ InstanceId: instanceId(), MaxResults: 1001 })))).toBeInstanceOf(InvalidParameterException);
  });

  it('seeds users with the Agent profile by default, or the profiles named', async () => {
    const ada = await connect.send(new DescribeUserCommand({ InstanceId: instanceId(), UserId: userId('ada@example.com') }));
    expect(ada.User?.SecurityProfileIds).toEqual([profile('Agent')]);
    const boss = await connect.send(new DescribeUserCommand({ InstanceId: instanceId(), UserId: userId('boss@example.com') }));
    expect(boss.User?.SecurityProfileIds).toEqual([profile('Admin'), profile('Supervisor')]);
  });

  it('CreateUser needs 1 to 10 security profiles of the instance (InvalidParameterException otherwise)', async () => {
    const create = (SecurityProfileIds: string[]) => connect.send(new CreateUserCommand({
      InstanceId: instanceId(), Username: 'new@example.com', PhoneConfig: { PhoneType: 'SOFT_PHONE' }, RoutingProfileId: 'rp', SecurityProfileIds,
    }));
    expect(await fails(create(['00000000-0000-4000-8000-000000000001']))).toBeInstanceOf(InvalidParameterException);
    expect(await fails(create([]))).toBeInstanceOf(InvalidParameterException);
    expect(await fails(create(Array.from({ length: 11 }, () => profile('Agent'))))).toBeInstanceOf(InvalidParameterException);
    expect(emulator.state.connectUsers(instanceId()).map((u) => u.Username)).not.toContain('new@example.com');
  });
});

describe('IdentityInfo.Email by identity management type (API reference, UserIdentityInfo)', () => {
  const newUser = (InstanceId: string, Username: string, IdentityInfo: Record<string, string>) => new CreateUserCommand({
    InstanceId, Username, IdentityInfo, PhoneConfig: { PhoneType: 'SOFT_PHONE' }, RoutingProfileId: 'rp', SecurityProfileIds: [profile('Agent')],
  });

  it('a SAML instance refuses Email on CreateUser with InvalidRequestException (400), names no value, creates nothing and CloudTrail records the refusal', async () => {
    const events: CloudTrailEvent[] = [];
    const stop = emulator.onEvent((e) => events.push(e));
    const error = await fails(connect.send(newUser(instanceId(), 'refused@example.com', { FirstName: 'Re', LastName: 'Fused', Email: 'refused@example.com' })));
    stop();
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 } });
    expect(String((error as Error).message)).not.toContain('refused@example.com');
    expect(emulator.state.connectUsers(instanceId()).map((u) => u.Username)).not.toContain('refused@example.com');
    expect(events[0]?.detail).toMatchObject({ eventName: 'CreateUser', errorCode: 'InvalidRequestException' });
  });

  it('a SAML instance refuses Email on UpdateUserIdentityInfo (even an unchanged one) and keeps the user as it was; SecondaryEmail is accepted', async () => {
    const id = userId('boss@example.com');
    const before = emulator.state.connectUsers(instanceId()).find((u) => u.Id === id);
    const update = (IdentityInfo: Record<string, string>) => connect.send(new UpdateUserIdentityInfoCommand({ InstanceId: instanceId(), UserId: id, IdentityInfo }));
    expect(await fails(update({ FirstName: 'Grace', LastName: 'Hopper', Email: 'boss@example.com' }))).toBeInstanceOf(InvalidRequestException);
    expect(emulator.state.connectUsers(instanceId()).find((u) => u.Id === id)).toEqual(before);
    await update({ FirstName: 'Grace', LastName: 'Hopper', SecondaryEmail: 'grace@example.org' });
    expect(emulator.state.connectUsers(instanceId()).find((u) => u.Id === id)?.IdentityInfo).toEqual({ FirstName: 'Grace', LastName: 'Hopper', SecondaryEmail: 'grace@example.org' });
    await update({ FirstName: 'Grace', LastName: 'Hopper' });
  });

  it('a CONNECT_MANAGED instance keeps accepting Email on both operations', async () => {
    const managed = emulator.seed({ connectInstances: [{ alias: 'managed', identityManagementType: 'CONNECT_MANAGED', users: [{ username: 'seeded', email: 'seeded@example.com' }] }] }).connectInstances[0];
    const agent = managed?.securityProfiles.Agent ?? '';
    const created = await connect.send(new CreateUserCommand({
      InstanceId: managed?.id, Username: 'jdoe', IdentityInfo: { FirstName: 'J', LastName: 'Doe', Email: 'j.doe@example.com' },
      PhoneConfig: { PhoneType: 'SOFT_PHONE' }, RoutingProfileId: 'rp', SecurityProfileIds: [agent], Password: 'Passw0rd!',
    }));
    await connect.send(new UpdateUserIdentityInfoCommand({ InstanceId: managed?.id, UserId: created.UserId, IdentityInfo: { FirstName: 'J', LastName: 'Doe', Email: 'jane.doe@example.com' } }));
    const users = emulator.state.connectUsers(managed?.id ?? '');
    expect(users.find((u) => u.Id === created.UserId)?.IdentityInfo).toEqual({ FirstName: 'J', LastName: 'Doe', Email: 'jane.doe@example.com' });
    expect(users.find((u) => u.Username === 'seeded')?.IdentityInfo).toEqual({ Email: 'seeded@example.com' });
  });

  it('Password only where Connect manages identities, DirectoryUserId never on SAML (CreateUser reference): refused, nothing created', async () => {
    const managed = emulator.seed({ connectInstances: [{ alias: 'managed-passwords', identityManagementType: 'CONNECT_MANAGED' }] }).connectInstances[0];
    const create = (InstanceId: string, Username: string, extra: { Password?: string; DirectoryUserId?: string }, agent = profile('Agent')) => connect.send(new CreateUserCommand({
      InstanceId, Username, IdentityInfo: { FirstName: 'P', LastName: 'W' }, PhoneConfig: { PhoneType: 'SOFT_PHONE' }, RoutingProfileId: 'rp', SecurityProfileIds: [agent], ...extra,
    }));
    const managedAgent = managed?.securityProfiles.Agent ?? '';
    expect(await fails(create(instanceId(), 'with-password@example.com', { Password: 'Passw0rd!' }))).toBeInstanceOf(InvalidParameterException);
    expect(await fails(create(instanceId(), 'with-directory-id@example.com', { DirectoryUserId: 'dir-1' }))).toBeInstanceOf(InvalidParameterException);
    expect(await fails(create(managed?.id ?? '', 'nopassword', {}, managedAgent))).toBeInstanceOf(InvalidParameterException);
    expect(emulator.state.connectUsers(instanceId()).map((u) => u.Username)).not.toContain('with-password@example.com');
    expect(emulator.state.connectUsers(instanceId()).map((u) => u.Username)).not.toContain('with-directory-id@example.com');
    expect(emulator.state.connectUsers(managed?.id ?? '').map((u) => u.Username)).not.toContain('nopassword');
    // Where each belongs, it is taken.
    await create(instanceId(), 'no-password@example.com', {});
    await create(managed?.id ?? '', 'withpassword', { Password: 'Passw0rd!' }, managedAgent);
    expect(emulator.state.connectUsers(managed?.id ?? '').map((u) => u.Username)).toContain('withpassword');
  });

  it('seeding follows the same rule: a SAML instance user with an email is refused, naming the fix', () => {
    expect(() => emulator.seed({ connectInstances: [{ alias: 'bad-seed', identityManagementType: 'SAML', users: [{ username: 'x@example.com', email: 'x@example.com' }] }] }))
      .toThrow(/SAML.*refuses IdentityInfo.Email.*secondaryEmail/);
  });
});

describe('UpdateUserSecurityProfiles', () => {
  it('replaces the profiles and emits the CloudTrail event with SecurityProfileIds and null responseElements', async () => {
    const events: CloudTrailEvent[] = [];
    const stop = emulator.onEvent((e) => events.push(e));
    const id = userId('ada@example.com');
    await connect.send(new UpdateUserSecurityProfilesCommand({ InstanceId: instanceId(), UserId: id, SecurityProfileIds: [profile('CallCenterManager')] }));
    stop();
    expect((await connect.send(new DescribeUserCommand({ InstanceId: instanceId(), UserId: id }))).User?.SecurityProfileIds).toEqual([profile('CallCenterManager')]);
    expect(events).toHaveLength(1);
    expect(events[0]?.detail).toMatchObject({
      eventName: 'UpdateUserSecurityProfiles',
      requestParameters: { InstanceId: instanceId(), UserId: id, SecurityProfileIds: [profile('CallCenterManager')] },
      responseElements: null,
    });
  });

  it('refuses unknown profiles; CloudTrail records the failed call with its errorCode and no response', async () => {
    const events: CloudTrailEvent[] = [];
    const stop = emulator.onEvent((e) => events.push(e));
    const error = await fails(connect.send(new UpdateUserSecurityProfilesCommand({ InstanceId: instanceId(), UserId: userId('boss@example.com'), SecurityProfileIds: ['00000000-0000-4000-8000-00000000abcd'] })));
    stop();
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(events).toHaveLength(1);
    expect(events[0]?.detail).toMatchObject({ eventName: 'UpdateUserSecurityProfiles', errorCode: 'InvalidParameterException', responseElements: null });
  });

  it('records a call IAM refused before it reached Connect (recordRefusedCall): errorCode AccessDenied, nothing changed', () => {
    const event = emulator.recordRefusedCall({ operation: 'DeleteUser', instanceId: instanceId(), userId: userId('boss@example.com') });

    expect(event.detail).toMatchObject({ eventName: 'DeleteUser', errorCode: 'AccessDenied', requestParameters: { UserId: userId('boss@example.com') } });
    expect(emulator.state.connectUsers(instanceId()).some((u) => u.Id === userId('boss@example.com'))).toBe(true);
  });
});

describe('malformed ids and paging', () => {
  it('answers InvalidParameterException (400) for instance, user and profile ids that are not UUIDs (default switch)', async () => {
    expect(await fails(connect.send(new DescribeUserCommand({ InstanceId: 'not-an-instance', UserId: userId('ada@example.com') })))).toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
    expect(await fails(connect.send(new DescribeUserCommand({ InstanceId: instanceId(), UserId: 'user-1' })))).toBeInstanceOf(InvalidParameterException);
    expect(await fails(connect.send(new UpdateUserSecurityProfilesCommand({ InstanceId: instanceId(), UserId: userId('ada@example.com'), SecurityProfileIds: ['Agent'] })))).toBeInstanceOf(InvalidParameterException);
    expect(await fails(connect.send(new ListUsersCommand({ InstanceId: 'x'.repeat(101) })))).toBeInstanceOf(InvalidParameterException);
  });

  it('ListUsers pages 100 users by default (MaxResults 1..1000)', async () => {
    const first = await connect.send(new ListUsersCommand({ InstanceId: instanceId() }));
    expect(first.UserSummaryList).toHaveLength(100);
    expect(first.NextToken).toEqual(expect.any(String));
    expect((await connect.send(new ListUsersCommand({ InstanceId: instanceId(), MaxResults: 1000 }))).NextToken).toBeUndefined();
  });

  it('SearchUsers returns UserSearchSummary (names, profiles, no e-mail), up to 500 a page, and finds a Username by EXACT', async () => {
    const all = await connect.send(new SearchUsersCommand({ InstanceId: instanceId(), MaxResults: 500 }));
    expect(all.ApproximateTotalCount).toBe(emulator.state.connectUsers(instanceId()).length);
    expect(await fails(connect.send(new SearchUsersCommand({ InstanceId: instanceId(), MaxResults: 501 })))).toBeInstanceOf(InvalidParameterException);
    const exact = await connect.send(new SearchUsersCommand({ InstanceId: instanceId(), SearchCriteria: { StringCondition: { FieldName: 'Username', Value: 'boss@example.com', ComparisonType: 'EXACT' } } }));
    expect(exact.Users).toEqual([expect.objectContaining({
      Id: userId('boss@example.com'), Username: 'boss@example.com', IdentityInfo: { FirstName: 'Grace', LastName: 'Hopper' }, SecurityProfileIds: [profile('Admin'), profile('Supervisor')],
    })]);
    const byProfile = await connect.send(new SearchUsersCommand({ InstanceId: instanceId(), SearchCriteria: { StringCondition: { FieldName: 'SecurityProfileId', Value: profile('Supervisor'), ComparisonType: 'EXACT' } } }));
    expect(byProfile.Users?.map((u) => u.Username)).toEqual(['boss@example.com']);
  });
});

describe('admin helpers (local/admin.ts)', () => {
  it('create an agent with named profiles, promote it, change its identity and delete it, resolving names once per client and instance', async () => {
    emulator.counters.reset();
    const admin = new ConnectClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const id = await createAgent(admin, instanceId(), { username: 'helper@example.com', identity: { FirstName: 'Hel', LastName: 'Per' } });
    const plain = await createAgent(admin, instanceId(), { username: 'helper2@example.com', securityProfiles: ['QualityAnalyst'] });
    const describe = async (user: string) => (await connect.send(new DescribeUserCommand({ InstanceId: instanceId(), UserId: user }))).User;
    expect((await describe(id))?.SecurityProfileIds).toEqual([profile('Agent')]);
    expect((await describe(plain))?.SecurityProfileIds).toEqual([profile('QualityAnalyst')]);
    await updateSecurityProfiles(admin, instanceId(), id, ['CallCenterManager']);
    expect((await describe(id))?.SecurityProfileIds).toEqual([profile('CallCenterManager')]);
    await updateIdentityInfo(admin, instanceId(), id, { FirstName: 'New', LastName: 'Name', SecondaryEmail: 'helper@example.org' });
    expect((await describe(id))?.IdentityInfo).toEqual({ FirstName: 'New', LastName: 'Name', SecondaryEmail: 'helper@example.org' });
    await deleteAgent(admin, instanceId(), id);
    expect(emulator.state.connectUsers(instanceId()).map((u) => u.Id)).not.toContain(id);
    expect(emulator.counters.get('connect:ListSecurityProfiles').total).toBe(1);
    await expect(createAgent(admin, instanceId(), { username: 'x@example.com', securityProfiles: ['NoSuchProfile'] })).rejects.toThrow(/NoSuchProfile/);
    admin.destroy();
  });

  it('retry throttling and server errors like the admin tools do', async () => {
    const admin = new ConnectClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    emulator.setFaults({ operations: { 'connect:ListSecurityProfiles': { throttleNext: 1 }, 'connect:CreateUser': { errorNext: 1 }, 'connect:DeleteUser': { throttleNext: 2 } } });
    const id = await createAgent(admin, instanceId(), { username: 'retried@example.com' });
    await deleteAgent(admin, instanceId(), id);
    emulator.setFaults({});
    expect(emulator.state.connectUsers(instanceId()).map((u) => u.Username)).not.toContain('retried@example.com');
    expect(emulator.counters.get('connect:DeleteUser')).toMatchObject({ faulted: 2, ok: expect.any(Number) });
    admin.destroy();
  });
});
