/** Error messages never echo request values (AWS's generally do not): a scan of failing calls across every service. */
import { CloudTrailClient, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { ConnectClient, CreateUserCommand, DescribeUserCommand, SearchUsersCommand, UpdateUserSecurityProfilesCommand } from '@aws-sdk/client-connect';
import {
  CreateGroupCommand, CreateUserCommand as CreateIdentityUser, DescribeUserCommand as DescribeIdentityUser, GetGroupIdCommand, GetUserIdCommand,
  IdentitystoreClient, UpdateUserCommand,
} from '@aws-sdk/client-identitystore';
import { DeleteMessageCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateApplicationAssignmentCommand, DescribeApplicationAssignmentCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { STSClient } from '@aws-sdk/client-sts';
import type { Emulator, SeededIds } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';

const credentials = { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' };
// Distinctive values: none may appear in an error message.
const SECRET_USER = 'zelda.quux@example.com';
const SECRET_GROUP = 'Quuxers';
const UNKNOWN_ID = '0123456789-0badc0de-0000-4000-8000-00000000beef';
let emulator: Emulator;
let ids: SeededIds;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: { enabled: false } });
  ids = emulator.seed({
    connectInstances: [{ alias: 'echo', identityManagementType: 'SAML', users: [{ username: SECRET_USER }] }],
    identityStores: [{ users: [{ userName: SECRET_USER, email: SECRET_USER }], groups: [{ displayName: SECRET_GROUP }] }],
    queues: [{ name: 'echo-queue' }],
  });
  ids.ssoInstances = emulator.seed({ ssoInstances: [{ identityStoreId: ids.identityStores[0]?.id ?? '', applications: [{ name: 'App' }] }] }).ssoInstances;
});

afterAll(async () => {
  await emulator.stop();
});

it('no error message contains a user name, e-mail, id, group name, queue name, trail name or receipt handle that was sent', async () => {
  const config = { endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
  const connect = new ConnectClient(config);
  const identity = new IdentitystoreClient(config);
  const sso = new SSOAdminClient(config);
  const sqs = new SQSClient(config);
  const cloudTrail = new CloudTrailClient(config);
  const sts = new STSClient(config);
  const instance = ids.connectInstances[0];
  const storeId = ids.identityStores[0]?.id ?? '';
  const app = ids.ssoInstances[0]?.applications.App ?? '';
  const agent = instance?.securityProfiles.Agent ?? '';
  const failing: [string[], Promise<unknown>][] = [
    [[SECRET_USER], connect.send(new CreateUserCommand({ InstanceId: instance?.id, Username: SECRET_USER, PhoneConfig: { PhoneType: 'SOFT_PHONE' }, RoutingProfileId: 'rp', SecurityProfileIds: [agent] }))],
    [['bad user name!'], connect.send(new CreateUserCommand({ InstanceId: instance?.id, Username: 'bad user name!', PhoneConfig: { PhoneType: 'SOFT_PHONE' }, RoutingProfileId: 'rp', SecurityProfileIds: [agent] }))],
    [['11111111-2222-4333-8444-555555555555'], connect.send(new DescribeUserCommand({ InstanceId: instance?.id, UserId: '11111111-2222-4333-8444-555555555555' }))],
    [['not-a-uuid-instance'], connect.send(new DescribeUserCommand({ InstanceId: 'not-a-uuid-instance', UserId: 'u' }))],
    [['66666666-2222-4333-8444-555555555555'], connect.send(new UpdateUserSecurityProfilesCommand({ InstanceId: instance?.id, UserId: instance?.users[SECRET_USER]?.id, SecurityProfileIds: ['66666666-2222-4333-8444-555555555555'] }))],
    [['NoSuchField'], connect.send(new SearchUsersCommand({ InstanceId: instance?.id, SearchCriteria: { StringCondition: { FieldName: 'NoSuchField', Value: SECRET_USER, ComparisonType: 'EXACT' } } }))],
    [[SECRET_USER], identity.send(new CreateIdentityUser({ IdentityStoreId: storeId, UserName: SECRET_USER.toUpperCase(), DisplayName: 'D', Name: { GivenName: 'G', FamilyName: 'F' }, Emails: [{ Value: 'x@example.com' }] }))],
    [['Ze lda'], identity.send(new CreateIdentityUser({ IdentityStoreId: storeId, UserName: 'Ze lda', DisplayName: 'D', Name: { GivenName: 'G', FamilyName: 'F' }, Emails: [{ Value: 'y@example.com' }] }))],
    [[SECRET_GROUP], identity.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: SECRET_GROUP }))],
    [['nobody.quux@example.com'], identity.send(new GetUserIdCommand({ IdentityStoreId: storeId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: 'nobody.quux@example.com' } } }))],
    [['NoGroupQuux'], identity.send(new GetGroupIdCommand({ IdentityStoreId: storeId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'NoGroupQuux' } } }))],
    [[UNKNOWN_ID.slice(11)], identity.send(new DescribeIdentityUser({ IdentityStoreId: storeId, UserId: UNKNOWN_ID.slice(11) }))],
    [['d-ffffffffff'], identity.send(new DescribeIdentityUser({ IdentityStoreId: 'd-ffffffffff', UserId: UNKNOWN_ID.slice(11) }))],
    [['Soft\u00adHyphen'], identity.send(new UpdateUserCommand({ IdentityStoreId: storeId, UserId: ids.identityStores[0]?.users[SECRET_USER], Operations: [{ AttributePath: 'displayName', AttributeValue: 'Soft\u00adHyphen' }] }))],
    [[UNKNOWN_ID.slice(11)], sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: UNKNOWN_ID.slice(11), PrincipalType: 'USER' }))],
    [['ffffffffffffffff'], sso.send(new DescribeApplicationAssignmentCommand({ ApplicationArn: 'arn:aws:sso::123456789012:application/ssoins-ffffffffffffffff/apl-ffffffffffffffff', PrincipalId: UNKNOWN_ID.slice(11), PrincipalType: 'USER' }))],
    [['missing-quux'], sqs.send(new GetQueueUrlCommand({ QueueName: 'missing-quux' }))],
    [['handle-quux'], sqs.send(new DeleteMessageCommand({ QueueUrl: ids.queues['echo-queue']?.url, ReceiptHandle: 'handle-quux' }))],
    [['AWS.quux'], sqs.send(new SendMessageCommand({ QueueUrl: ids.queues['echo-queue']?.url, MessageBody: 'x', MessageAttributes: { 'AWS.quux': { DataType: 'String', StringValue: 'v' } } }))],
    [['trailquux'], cloudTrail.send(new GetTrailStatusCommand({ Name: 'trailquux' }))],
    [['bad--quux'], cloudTrail.send(new GetTrailStatusCommand({ Name: 'bad--quux' }))],
  ];
  const messages: string[] = [];
  for (const [values, call] of failing) {
    const error = await call.then(() => undefined, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    messages.push(error?.message ?? '');
    for (const value of values) expect({ message: error?.message, value, leaks: error?.message.toLowerCase().includes(value.toLowerCase()) }).toMatchObject({ leaks: false });
  }
  // STS answers its query protocol's XML error.
  const sts400 = await fetch(emulator.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=QuuxAction&Version=2011-06-15' });
  expect(await sts400.text()).not.toContain('QuuxAction');
  expect(messages.every((m) => m.length > 0)).toBe(true);
  for (const client of [connect, identity, sso, sqs, cloudTrail, sts]) client.destroy();
});
