/** SSO Admin assignments through the real @aws-sdk/client-sso-admin: per principal, per account, validation, throttling. */
import { GetUserIdCommand, IdentitystoreClient, ThrottlingException as IdentityThrottling } from '@aws-sdk/client-identitystore';
import {
  CreateApplicationAssignmentCommand, DeleteApplicationAssignmentCommand, DescribeApplicationAssignmentCommand, ListAccountAssignmentsForPrincipalCommand,
  ListApplicationAssignmentsForPrincipalCommand, ListInstancesCommand, ResourceNotFoundException, SSOAdminClient, ThrottlingException, ValidationException,
} from '@aws-sdk/client-sso-admin';
import type { Emulator, SeededIds } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';

const credentials = { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' };
const PERMISSION_SET = 'arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef';
let emulator: Emulator;
let store: SeededIds['identityStores'][number];
let sso: SeededIds['ssoInstances'][number];
let client: SSOAdminClient;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: { enabled: false } });
  client = new SSOAdminClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const ids = emulator.seed({
    identityStores: [{ users: [{ userName: 'ana@example.com' }, { userName: 'ben@example.com' }], groups: [{ displayName: 'Admins', members: ['ana@example.com'] }] }],
  });
  store = ids.identityStores[0] ?? { id: '', users: {}, groups: {} };
  sso = emulator.seed({
    ssoInstances: [{
      identityStoreId: store.id,
      applications: [{ name: 'Amazon Connect' }, { name: 'Wiki' }],
      accountAssignments: [
        { accountId: '111111111111', permissionSetArn: PERMISSION_SET, principal: { userName: 'ana@example.com' } },
        { accountId: '222222222222', principal: { userName: 'ana@example.com' } },
        { accountId: '333333333333', permissionSetArn: PERMISSION_SET, principal: { groupName: 'Admins' } },
      ],
    }],
  }).ssoInstances[0] ?? { instanceArn: '', identityStoreId: '', applications: {}, accountAssignments: [] };
});

afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

const ana = () => store.users['ana@example.com'] ?? '';
const admins = () => store.groups.Admins ?? '';
const app = (name: string) => sso.applications[name] ?? '';
const fails = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

describe('account assignments', () => {
  it('seeds account assignments resolved against the instance identity store, inspectable in state', () => {
    expect(sso.accountAssignments).toHaveLength(3);
    expect(sso.accountAssignments[1]?.PermissionSetArn).toMatch(/^arn:aws:sso:::permissionSet\/ssoins-[0-9a-f]{16}\/ps-[0-9a-f]{16}$/);
    expect(emulator.state.accountAssignments(sso.instanceArn)).toEqual(sso.accountAssignments);
    expect(() => emulator.seed({ ssoInstances: [{ identityStoreId: store.id, accountAssignments: [{ accountId: '111111111111', principal: { userName: 'nobody' } }] }] })).toThrow(/principal/);
  });

  it('ListAccountAssignmentsForPrincipal lists a principal own assignments, filtered by account and paged (MaxResults 1..100)', async () => {
    const all = await client.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: sso.instanceArn, PrincipalId: ana(), PrincipalType: 'USER' }));
    expect(all.AccountAssignments).toEqual([
      { AccountId: '111111111111', PermissionSetArn: PERMISSION_SET, PrincipalId: ana(), PrincipalType: 'USER' },
      expect.objectContaining({ AccountId: '222222222222', PrincipalId: ana(), PrincipalType: 'USER' }),
    ]);
    const filtered = await client.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: sso.instanceArn, PrincipalId: ana(), PrincipalType: 'USER', Filter: { AccountId: '222222222222' } }));
    expect(filtered.AccountAssignments?.map((a) => a.AccountId)).toEqual(['222222222222']);
    const first = await client.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: sso.instanceArn, PrincipalId: ana(), PrincipalType: 'USER', MaxResults: 1 }));
    const second = await client.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: sso.instanceArn, PrincipalId: ana(), PrincipalType: 'USER', MaxResults: 1, NextToken: first.NextToken }));
    expect([first.AccountAssignments?.[0]?.AccountId, second.AccountAssignments?.[0]?.AccountId, second.NextToken]).toEqual(['111111111111', '222222222222', undefined]);
    expect(await fails(client.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: sso.instanceArn, PrincipalId: ana(), PrincipalType: 'USER', MaxResults: 101 })))).toBeInstanceOf(ValidationException);
    expect(await fails(client.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: sso.instanceArn, PrincipalId: ana(), PrincipalType: 'USER', Filter: { AccountId: '12' } })))).toBeInstanceOf(ValidationException);
  });
});

describe('application assignments', () => {
  it('ListApplicationAssignmentsForPrincipal lists the applications a principal is assigned to, filtered by ApplicationArn', async () => {
    await client.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app('Amazon Connect'), PrincipalId: ana(), PrincipalType: 'USER' }));
    await client.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app('Wiki'), PrincipalId: ana(), PrincipalType: 'USER' }));
    await client.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app('Wiki'), PrincipalId: admins(), PrincipalType: 'GROUP' }));
    const forAna = await client.send(new ListApplicationAssignmentsForPrincipalCommand({ InstanceArn: sso.instanceArn, PrincipalId: ana(), PrincipalType: 'USER' }));
    expect(forAna.ApplicationAssignments).toEqual([
      { ApplicationArn: app('Amazon Connect'), PrincipalId: ana(), PrincipalType: 'USER' },
      { ApplicationArn: app('Wiki'), PrincipalId: ana(), PrincipalType: 'USER' },
    ]);
    const filtered = await client.send(new ListApplicationAssignmentsForPrincipalCommand({ InstanceArn: sso.instanceArn, PrincipalId: admins(), PrincipalType: 'GROUP', Filter: { ApplicationArn: app('Wiki') } }));
    expect(filtered.ApplicationAssignments).toEqual([{ ApplicationArn: app('Wiki'), PrincipalId: admins(), PrincipalType: 'GROUP' }]);
  });

  it('DescribeApplicationAssignment and DeleteApplicationAssignment answer ResourceNotFoundException once it is gone', async () => {
    const key = { ApplicationArn: app('Wiki'), PrincipalId: ana(), PrincipalType: 'USER' as const };
    expect(await client.send(new DescribeApplicationAssignmentCommand(key))).toMatchObject(key);
    await client.send(new DeleteApplicationAssignmentCommand(key));
    expect(await fails(client.send(new DescribeApplicationAssignmentCommand(key)))).toBeInstanceOf(ResourceNotFoundException);
    expect(await fails(client.send(new DeleteApplicationAssignmentCommand(key)))).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('validates ARNs, principal ids and types against the model (ValidationException), unknown but well-formed ones are not found', async () => {
    const bad = [
      { ApplicationArn: 'arn:aws:sso::123456789012:application/x', PrincipalId: ana(), PrincipalType: 'USER' as const },
      { ApplicationArn: app('Wiki'), PrincipalId: 'user-1', PrincipalType: 'USER' as const },
      { ApplicationArn: app('Wiki'), PrincipalId: ana(), PrincipalType: 'ROLE' as never },
    ];
    for (const input of bad) expect(await fails(client.send(new CreateApplicationAssignmentCommand(input)))).toBeInstanceOf(ValidationException);
    expect(await fails(client.send(new ListApplicationAssignmentsForPrincipalCommand({ InstanceArn: 'arn:aws:sso:::instance/short', PrincipalId: ana(), PrincipalType: 'USER' })))).toBeInstanceOf(ValidationException);
    const unknownInstance = 'arn:aws:sso:::instance/ssoins-ffffffffffffffff';
    expect(await fails(client.send(new ListApplicationAssignmentsForPrincipalCommand({ InstanceArn: unknownInstance, PrincipalId: ana(), PrincipalType: 'USER' })))).toBeInstanceOf(ResourceNotFoundException);
    expect(await fails(client.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app('Wiki'), PrincipalId: '00000000-0000-4000-8000-000000000000', PrincipalType: 'USER' })))).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('throttling', () => {
  it('SSO Admin and Identity Store answer ThrottlingException with HTTP 429, which the SDK classifies as throttling and retries', async () => {
    emulator.setRateLimits({ retryAfterSeconds: 0.01 });
    emulator.setFaults({ operations: { 'sso-admin:ListInstances': { throttleNext: 1 }, 'identitystore:GetUserId': { throttleNext: 1 } } });
    const throttled = await fails(client.send(new ListInstancesCommand({})));
    expect(throttled).toBeInstanceOf(ThrottlingException);
    // SSO Admin's shape has no retryable trait: the SDK retries it by its name and status.
    expect(throttled).toMatchObject({ name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 429 } });
    const identity = new IdentitystoreClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const getUser = () => identity.send(new GetUserIdCommand({ IdentityStoreId: store.id, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'ana@example.com' } } }));
    const identityThrottled = await fails(getUser());
    expect(identityThrottled).toBeInstanceOf(IdentityThrottling);
    expect(identityThrottled).toMatchObject({ $metadata: { httpStatusCode: 429 }, $retryable: { throttling: true }, RetryAfterSeconds: 0.01 });
    identity.destroy();

    emulator.setFaults({ operations: { 'sso-admin:ListInstances': { throttleNext: 2 } } });
    const retrying = new SSOAdminClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 3 });
    const out = await retrying.send(new ListInstancesCommand({}));
    retrying.destroy();
    emulator.setFaults({});
    emulator.setRateLimits({ retryAfterSeconds: 1 });
    expect(out.$metadata.attempts).toBe(3);
  });
});
