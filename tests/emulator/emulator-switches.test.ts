/** The switches for what AWS does not document: each pinned both ways, at start and at runtime (`setBehaviour`). */
import { ConnectClient, DescribeUserCommand, SearchUsersCommand, UpdateUserSecurityProfilesCommand } from '@aws-sdk/client-connect';
import {
  CreateGroupCommand, CreateUserCommand, GetGroupIdCommand, GetGroupMembershipIdCommand, GetUserIdCommand, IdentitystoreClient, IsMemberInGroupsCommand,
  ListGroupMembershipsForMemberCommand,
} from '@aws-sdk/client-identitystore';
import { CreateApplicationAssignmentCommand, ListAccountAssignmentsForPrincipalCommand, ListApplicationAssignmentsForPrincipalCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { Emulator, SeededIds } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';

const credentials = { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' };
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
let emulator: Emulator;
let ids: SeededIds;
let identity: IdentitystoreClient;
let connect: ConnectClient;
let sso: SSOAdminClient;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: { enabled: false } });
  const config = { endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
  identity = new IdentitystoreClient(config);
  connect = new ConnectClient(config);
  sso = new SSOAdminClient(config);
  ids = emulator.seed({
    connectInstances: [{ alias: 'switches', identityManagementType: 'SAML', users: [{ username: 'Mixed.Case@example.com' }] }],
    identityStores: [{ users: [{ userName: 'Jane@Example.com', email: 'Jane.Doe@Example.com' }], groups: [{ displayName: 'Agents', members: ['Jane@Example.com'] }] }],
  });
  const storeId = ids.identityStores[0]?.id ?? '';
  ids.ssoInstances = emulator.seed({
    ssoInstances: [{ identityStoreId: storeId, applications: [{ name: 'App' }], accountAssignments: [{ accountId: '111111111111', principal: { groupName: 'Agents' } }] }],
  }).ssoInstances;
});

afterAll(async () => {
  identity.destroy();
  connect.destroy();
  sso.destroy();
  await emulator.stop();
});

afterEach(() => emulator.setBehaviour({
  lookupCase: { identityStore: 'insensitive', connect: 'sensitive' }, unknownMember: 'not-found', repeatAssignment: 'conflict',
  principalAssignments: 'direct', connectMalformedIds: 'invalid-parameter', connectUnknownSecurityProfile: 'invalid-parameter',
}));

const store = () => ids.identityStores[0]?.id ?? '';
const jane = () => ids.identityStores[0]?.users['Jane@Example.com'] ?? '';
const agents = () => ids.identityStores[0]?.groups.Agents ?? '';
const outcome = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: unknown) => `${(e as Error).name}${(e as { ResourceType?: string }).ResourceType ? `:${(e as { ResourceType?: string }).ResourceType}` : ''}`);
const getUserId = (AttributePath: string, AttributeValue: string) => identity.send(new GetUserIdCommand({ IdentityStoreId: store(), AlternateIdentifier: { UniqueAttribute: { AttributePath, AttributeValue } } }));
const getGroupId = (AttributeValue: string) => identity.send(new GetGroupIdCommand({ IdentityStoreId: store(), AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue } } }));
const createUser = (UserName: string, email: string) => identity.send(new CreateUserCommand({
  IdentityStoreId: store(), UserName, DisplayName: 'D', Name: { GivenName: 'G', FamilyName: 'F' }, Emails: [{ Value: email }],
}));
const searchExact = (Value: string) => connect.send(new SearchUsersCommand({ InstanceId: ids.connectInstances[0]?.id, SearchCriteria: { StringCondition: { FieldName: 'Username', Value, ComparisonType: 'EXACT' } } }));

describe('lookupCase', () => {
  it('default: Identity Store ignores case in lookups and uniqueness; Connect SearchUsers EXACT does not', async () => {
    expect((await getUserId('userName', 'JANE@EXAMPLE.COM')).UserId).toBe(jane());
    expect((await getUserId('emails.value', 'jane.doe@example.com')).UserId).toBe(jane());
    expect((await getGroupId('AGENTS')).GroupId).toBe(agents());
    expect(await outcome(createUser('jane@example.com', 'x1@example.com'))).toBe('ConflictException');
    expect(await outcome(createUser('x1', 'JANE.DOE@example.com'))).toBe('ConflictException');
    expect(await outcome(identity.send(new CreateGroupCommand({ IdentityStoreId: store(), DisplayName: 'agents' })))).toBe('ConflictException');
    expect((await searchExact('mixed.case@example.com')).Users).toEqual([]);
    expect((await searchExact('Mixed.Case@example.com')).Users).toHaveLength(1);
  });

  it("'sensitive': Identity Store lookups and uniqueness compare exactly", async () => {
    emulator.setBehaviour({ lookupCase: 'sensitive' });
    expect(await outcome(getUserId('userName', 'JANE@EXAMPLE.COM'))).toBe('ResourceNotFoundException:USER');
    expect(await outcome(getUserId('emails.value', 'jane.doe@example.com'))).toBe('ResourceNotFoundException:USER');
    expect(await outcome(getGroupId('AGENTS'))).toBe('ResourceNotFoundException:GROUP');
    expect(await outcome(createUser('jane@example.com', 'jane.doe@example.com'))).toBe('ok');
    expect(await outcome(identity.send(new CreateGroupCommand({ IdentityStoreId: store(), DisplayName: 'AGENTS' })))).toBe('ok');
  });

  it("'insensitive': Connect SearchUsers EXACT ignores case too; an object sets one service only", async () => {
    emulator.setBehaviour({ lookupCase: 'insensitive' });
    expect((await searchExact('MIXED.case@EXAMPLE.com')).Users?.map((u) => u.Username)).toEqual(['Mixed.Case@example.com']);
    emulator.setBehaviour({ lookupCase: { connect: 'sensitive' } });
    expect((await searchExact('MIXED.case@EXAMPLE.com')).Users).toEqual([]);
    expect((await getUserId('userName', 'JANE@EXAMPLE.COM')).UserId).toBe(jane());
  });

  it('can be set at start', async () => {
    const local = await startEmulator({ rateLimits: { enabled: false }, behaviour: { lookupCase: 'sensitive' } });
    const seeded = local.seed({ identityStores: [{ users: [{ userName: 'a@example.com' }, { userName: 'A@example.com' }] }] }).identityStores[0];
    expect(Object.keys(seeded?.users ?? {})).toHaveLength(2);
    await local.stop();
  });
});

describe('unknownMember', () => {
  const isMember = (UserId: string, GroupIds: string[]) => identity.send(new IsMemberInGroupsCommand({ IdentityStoreId: store(), MemberId: { UserId }, GroupIds }));
  const forMember = (UserId: string) => identity.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: store(), MemberId: { UserId } }));
  const membershipId = (GroupId: string) => identity.send(new GetGroupMembershipIdCommand({ IdentityStoreId: store(), GroupId, MemberId: { UserId: jane() } }));

  it("default 'not-found': an unknown user or group is ResourceNotFoundException (USER / GROUP)", async () => {
    expect(await outcome(isMember(UNKNOWN, [agents()]))).toBe('ResourceNotFoundException:USER');
    expect(await outcome(isMember(jane(), [agents(), UNKNOWN]))).toBe('ResourceNotFoundException:GROUP');
    expect(await outcome(forMember(UNKNOWN))).toBe('ResourceNotFoundException:USER');
    expect(await outcome(membershipId(UNKNOWN))).toBe('ResourceNotFoundException:GROUP');
  });

  it("'no-membership': answers as for someone in no group", async () => {
    emulator.setBehaviour({ unknownMember: 'no-membership' });
    expect((await isMember(UNKNOWN, [agents()])).Results?.map((r) => r.MembershipExists)).toEqual([false]);
    expect((await isMember(jane(), [agents(), UNKNOWN])).Results?.map((r) => r.MembershipExists)).toEqual([true, false]);
    expect((await forMember(UNKNOWN)).GroupMemberships).toEqual([]);
    expect(await outcome(membershipId(UNKNOWN))).toBe('ResourceNotFoundException:GROUP_MEMBERSHIP');
  });
});

describe('SSO Admin switches', () => {
  it("repeatAssignment: 'conflict' (default) answers 409, 'ok' answers 200; either way one assignment", async () => {
    const app = ids.ssoInstances[0]?.applications.App ?? '';
    const assign = () => sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: agents(), PrincipalType: 'GROUP' }));
    await assign();
    expect(await assign().catch((e: unknown) => e)).toMatchObject({ name: 'ConflictException', $metadata: { httpStatusCode: 409 } });
    emulator.setBehaviour({ repeatAssignment: 'ok' });
    expect((await assign()).$metadata.httpStatusCode).toBe(200);
    expect(emulator.state.applicationAssignments(app)).toEqual([{ PrincipalId: agents(), PrincipalType: 'GROUP' }]);
  });

  it("principalAssignments: 'direct' (default) lists a user's own assignments, 'with-groups' adds its groups'", async () => {
    const instanceArn = ids.ssoInstances[0]?.instanceArn ?? '';
    const accounts = () => sso.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: instanceArn, PrincipalId: jane(), PrincipalType: 'USER' }));
    const apps = () => sso.send(new ListApplicationAssignmentsForPrincipalCommand({ InstanceArn: instanceArn, PrincipalId: jane(), PrincipalType: 'USER' }));
    expect((await accounts()).AccountAssignments).toEqual([]);
    emulator.setBehaviour({ principalAssignments: 'with-groups' });
    expect((await accounts()).AccountAssignments).toEqual([expect.objectContaining({ AccountId: '111111111111', PrincipalId: agents(), PrincipalType: 'GROUP' })]);
    expect((await apps()).ApplicationAssignments).toEqual([expect.objectContaining({ PrincipalId: agents(), PrincipalType: 'GROUP' })]);
  });
});

describe('Connect switches', () => {
  it("connectMalformedIds 'not-found' answers 404 for ids that are not UUIDs; connectUnknownSecurityProfile 'not-found' too", async () => {
    const instance = ids.connectInstances[0];
    emulator.setBehaviour({ connectMalformedIds: 'not-found', connectUnknownSecurityProfile: 'not-found' });
    expect(await connect.send(new DescribeUserCommand({ InstanceId: instance?.id, UserId: 'user-1' })).catch((e: unknown) => e)).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    const userId = instance?.users['Mixed.Case@example.com']?.id;
    expect(await outcome(connect.send(new UpdateUserSecurityProfilesCommand({ InstanceId: instance?.id, UserId: userId, SecurityProfileIds: [UNKNOWN] })))).toBe('ResourceNotFoundException');
    emulator.setBehaviour({ connectMalformedIds: 'invalid-parameter', connectUnknownSecurityProfile: 'invalid-parameter' });
    expect(await outcome(connect.send(new UpdateUserSecurityProfilesCommand({ InstanceId: instance?.id, UserId: userId, SecurityProfileIds: [UNKNOWN] })))).toBe('InvalidParameterException');
  });
});
