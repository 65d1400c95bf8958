/**
 * What following AWS's models changed, through the real SDK: paging with opaque tokens past the first page (also with
 * short pages), SQS's modelled throttling error, the model's looser rules where the emulator was stricter, switches
 * where the model and the API reference disagree, and UpdateUser's extension paths.
 */
import { ConnectClient, CreateUserCommand, InvalidParameterException } from '@aws-sdk/client-connect';
import { IdentitystoreClient, ListUsersCommand, UpdateUserCommand, ValidationException } from '@aws-sdk/client-identitystore';
import { GetQueueUrlCommand, InvalidAddress, QueueDoesNotExist, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { CreateApplicationAssignmentCommand, ListApplicationAssignmentsCommand, ListApplicationsCommand, SSOAdminClient, paginateListApplicationAssignments } from '@aws-sdk/client-sso-admin';
import type { Emulator, SeededIds } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';

const credentials = { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' };
const USERS = 250;
let emulator: Emulator;
let ids: SeededIds;
const clients = (maxAttempts = 1) => ({
  sso: new SSOAdminClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts }),
  identity: new IdentitystoreClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts }),
  connect: new ConnectClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts }),
  sqs: new SQSClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts }),
});
let c: ReturnType<typeof clients>;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: { enabled: false } });
  c = clients();
  const users = Array.from({ length: USERS }, (_, i) => ({ userName: `user${i}@example.com`, email: `user${i}@example.com` }));
  const stores = emulator.seed({ identityStores: [{ users }] });
  const storeId = stores.identityStores[0]?.id ?? '';
  ids = emulator.seed({
    ssoInstances: [{ identityStoreId: storeId, applications: [{ name: 'Amazon Connect' }, { name: 'Wiki' }, { name: 'Mail' }] }],
    connectInstances: [{ alias: 'models', identityManagementType: 'SAML' }],
    queues: [{ name: 'models' }],
  });
  const applicationArn = Object.values(ids.ssoInstances[0]?.applications ?? {})[0] ?? '';
  for (const userId of Object.values(stores.identityStores[0]?.users ?? {})) {
    await c.sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: applicationArn, PrincipalId: userId, PrincipalType: 'USER' }));
  }
  ids = { ...ids, identityStores: stores.identityStores };
});

afterAll(async () => {
  Object.values(c).forEach((client) => client.destroy());
  await emulator.stop();
});

beforeEach(() => {
  emulator.setBehaviour({ pages: 'full', connectUsername: 'documented' });
  emulator.setFaults({});
});

const applicationArn = (): string => Object.values(ids.ssoInstances[0]?.applications ?? {})[0] ?? '';

describe('paging like AWS', () => {
  it.each(['full', 'short'] as const)('pages past 100 application assignments with the tokens it returns (%s pages)', async (pages) => {
    emulator.setBehaviour({ pages });
    const seen: string[] = [];
    let calls = 0;
    for await (const page of paginateListApplicationAssignments({ client: c.sso }, { ApplicationArn: applicationArn() })) {
      calls += 1;
      seen.push(...(page.ApplicationAssignments ?? []).map((a) => a.PrincipalId ?? ''));
    }
    expect(new Set(seen).size).toBe(USERS);
    expect(seen).toHaveLength(USERS);
    // 100 a page: 3 calls; short pages (50 while more than a full page follows): 50, 50, 50, then the last 100.
    expect(calls).toBe(pages === 'full' ? 3 : 4);
  });

  it('ListApplications pages by its token, and an empty token is the first page where the model allows one', async () => {
    const instanceArn = ids.ssoInstances[0]?.instanceArn ?? '';
    const first = await c.sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 2 }));
    const second = await c.sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 2, NextToken: first.NextToken }));
    expect([first.Applications?.length, second.Applications?.length, second.NextToken]).toEqual([2, 1, undefined]);
    const empty = await c.sso.send(new ListApplicationAssignmentsCommand({ ApplicationArn: applicationArn(), NextToken: '' }));
    expect(empty.ApplicationAssignments).toHaveLength(100);
    // Identity Store's NextToken has a minimum length of 1 in its model.
    await expect(c.identity.send(new ListUsersCommand({ IdentityStoreId: ids.identityStores[0]?.id ?? '', NextToken: '' }))).rejects.toBeInstanceOf(ValidationException);
  });

  it('a token works only on the list it came from', async () => {
    const page = await c.sso.send(new ListApplicationAssignmentsCommand({ ApplicationArn: applicationArn() }));
    const instanceArn = ids.ssoInstances[0]?.instanceArn ?? '';
    await expect(c.sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, NextToken: page.NextToken }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('SQS throttling as modelled', () => {
  it('answers RequestThrottled with HTTP 403, which the SDK retries', async () => {
    emulator.setFaults({ operations: { 'sqs:GetQueueUrl': { throttleNext: 1 } } });
    await expect(c.sqs.send(new GetQueueUrlCommand({ QueueName: 'models' }))).rejects.toMatchObject({ name: 'RequestThrottled', $metadata: { httpStatusCode: 403 } });
    emulator.setFaults({ operations: { 'sqs:GetQueueUrl': { throttleNext: 1 } } });
    const retrying = clients(2).sqs;
    const out = await retrying.send(new GetQueueUrlCommand({ QueueName: 'models' }));
    expect(out.$metadata.attempts).toBe(2);
    retrying.destroy();
  });
});

describe('SQS queue URLs', () => {
  it('a bare queue name is InvalidAddress, another account\'s queue does not exist here', async () => {
    const url = ids.queues.models?.url ?? '';
    await expect(c.sqs.send(new SendMessageCommand({ QueueUrl: 'models', MessageBody: 'x' }))).rejects.toBeInstanceOf(InvalidAddress);
    await expect(c.sqs.send(new SendMessageCommand({ QueueUrl: url.replace(emulator.accountId, '999999999999'), MessageBody: 'x' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    await expect(c.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }))).resolves.toMatchObject({ MessageId: expect.any(String) });
  });
});

describe('Connect CreateUser follows the model', () => {
  const create = (username: string, extra: Record<string, unknown> = {}) => {
    const instance = ids.connectInstances[0];
    return c.connect.send(new CreateUserCommand({
      InstanceId: instance?.id ?? '', Username: username, SecurityProfileIds: [instance?.securityProfiles.Agent ?? ''], RoutingProfileId: '00000000-0000-4000-8000-000000000002', ...extra,
    }));
  };

  it('needs no PhoneConfig, and refuses a FirstName beyond the model\'s 255 characters', async () => {
    await expect(create('no.phone.config@example.com')).resolves.toMatchObject({ UserId: expect.any(String) });
    await expect(create('long.name@example.com', { IdentityInfo: { FirstName: 'a'.repeat(256) } })).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('refuses a 65-100 character Username under connectUsername documented (64 of [a-zA-Z0-9_-.@]), takes it under model', async () => {
    const long = `${'a'.repeat(70)}@example.com`;
    await expect(create(long)).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(create('short.name@example.com')).resolves.toMatchObject({ UserId: expect.any(String) });
    emulator.setBehaviour({ connectUsername: 'model' });
    await expect(create(long)).resolves.toMatchObject({ UserId: expect.any(String) });
    // The model's 100 characters hold under either rule.
    await expect(create('c'.repeat(101))).rejects.toBeInstanceOf(InvalidParameterException);
  });
});

describe('Identity Store UpdateUser extension paths', () => {
  it('sets and removes an attribute of the enterprise extension', async () => {
    const store = ids.identityStores[0];
    const userId = store?.users['user0@example.com'] ?? '';
    const path = 'aws:identitystore:enterprise.employeeNumber';
    await c.identity.send(new UpdateUserCommand({ IdentityStoreId: store?.id ?? '', UserId: userId, Operations: [{ AttributePath: path, AttributeValue: '42' }] }));
    const user = () => emulator.state.identityUsers(store?.id ?? '').find((u) => u.UserId === userId);
    expect(user()?.Extensions).toEqual({ 'aws:identitystore:enterprise': { employeeNumber: '42' } });
    await c.identity.send(new UpdateUserCommand({ IdentityStoreId: store?.id ?? '', UserId: userId, Operations: [{ AttributePath: path }] }));
    expect(user()?.Extensions).toBeUndefined();
  });
});
