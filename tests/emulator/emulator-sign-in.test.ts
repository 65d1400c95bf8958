/**
 * The emulator's sign-in simulation (local/emulator/sign-in.ts): each answer AWS gives an Identity Center user opening
 * the Amazon Connect application, in both RoleSessionName mappings. Assignments are made through the real SSO Admin
 * client, as the product makes them.
 */
import { CreateApplicationAssignmentCommand, DeleteApplicationAssignmentCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { Emulator, SeededIds } from '../../local/emulator/index';
import { NOT_ONBOARDED_PAGE, startEmulator } from '../../local/emulator/index';

const credentials = { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' };
let emulator: Emulator;
let connect: SeededIds['connectInstances'][number];
let store: SeededIds['identityStores'][number];
let applicationArn: string;
let sso: SSOAdminClient;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: { enabled: false } });
  sso = new SSOAdminClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const ids = emulator.seed({
    connectInstances: [{
      alias: 'sign-in', identityManagementType: 'SAML',
      users: [
        { username: 'maria@example.com', firstName: 'Maria', lastName: 'Garcia' },
        { username: 'Maria.Lopez@Example.com', firstName: 'Maria', lastName: 'Lopez' },
        { username: 'agent_1', firstName: 'Ana', lastName: 'Silva', secondaryEmail: 'ana.silva@example.com' },
        { username: 'jdoe', firstName: 'John', lastName: 'Doe' },
        { username: 'x', firstName: 'Single', lastName: 'Letter' },
        { username: 'direct@example.com' },
      ],
    }],
    identityStores: [{
      users: [
        { userName: 'maria', email: 'maria@example.com' },
        { userName: 'maria.lopez', email: 'maria.lopez@example.com' },
        { userName: 'ana.silva', email: 'ana.silva@example.com' },
        { userName: 'jdoe', email: 'john.doe@example.com' },
        { userName: 'x', email: 'x@example.com' },
        { userName: 'obrien', email: "o'brien@example.com" },
        { userName: 'lena', email: 'lena@example.com', disabled: true },
        { userName: 'outsider', email: 'maria@example.com.invalid' },
        { userName: 'direct', email: 'direct@example.com' },
      ],
      groups: [
        { displayName: 'ConnectAgents', members: ['maria', 'maria.lopez', 'ana.silva', 'jdoe', 'x', 'obrien', 'lena'] },
        { displayName: 'Other' },
      ],
    }],
  });
  connect = ids.connectInstances[0] ?? { id: '', arn: '', alias: '', users: {}, securityProfiles: {}, routingProfiles: {} };
  store = ids.identityStores[0] ?? { id: '', users: {}, groups: {} };
  applicationArn = emulator.seed({ ssoInstances: [{ identityStoreId: store.id, applications: [{ name: 'Amazon Connect' }] }] }).ssoInstances[0]?.applications['Amazon Connect'] ?? '';
  await sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: applicationArn, PrincipalId: store.groups.ConnectAgents, PrincipalType: 'GROUP' }));
});

afterAll(async () => {
  sso.destroy();
  await emulator.stop();
});

afterEach(() => emulator.signIn.configure({ roleSessionName: '${user:email}' }));

const identity = (userName: string) => ({ identityUserId: store.users[userName] ?? '' });
const connectUserId = (username: string) => connect.users[username]?.id ?? '';

describe('RoleSessionName = ${user:email} (the default)', () => {
  it('signs in as the Connect user whose Username is exactly the primary email, by identity id or UserName', () => {
    const expected = { result: 'SIGNED_IN', roleSessionName: 'maria@example.com', connectUserId: connectUserId('maria@example.com'), message: 'Signed in to Amazon Connect.' };

    expect(emulator.signIn.as(identity('maria'))).toEqual(expected);
    expect(emulator.signIn.as({ userName: 'maria' })).toEqual(expected);
  });

  it('a Username that differs from the email only by case is not onboarded, whatever the emulator\'s lookupCase switch', () => {
    emulator.setBehaviour({ lookupCase: 'insensitive' });
    const answer = emulator.signIn.as(identity('maria.lopez'));
    emulator.setBehaviour({ lookupCase: { identityStore: 'insensitive', connect: 'sensitive' } });

    expect(answer).toEqual({ result: 'NOT_ONBOARDED', roleSessionName: 'maria.lopez@example.com', message: NOT_ONBOARDED_PAGE });
    expect(answer.message).toBe('Access Denied. Your account has been authenticated, but has not been onboarded to this application.');
  });

  it('an identity keyed by the Connect user\'s SecondaryEmail is not onboarded: the Username (agent_1) is what must arrive', () => {
    expect(emulator.signIn.as(identity('ana.silva'))).toMatchObject({ result: 'NOT_ONBOARDED', roleSessionName: 'ana.silva@example.com' });
  });

  it('an email that cannot be a RoleSessionName is refused by AWS sign-in before Connect is asked', () => {
    expect(emulator.signIn.as(identity('obrien'))).toMatchObject({ result: 'INVALID_SESSION_NAME', roleSessionName: "o'brien@example.com" });
  });

  it('a user in no assigned group, with no assignment of its own, does not have the application in its portal; a direct assignment is enough', async () => {
    expect(emulator.signIn.as(identity('direct'))).toEqual({ result: 'NOT_ASSIGNED', message: expect.stringMatching(/not in the user's AWS access portal/) });

    await sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: applicationArn, PrincipalId: store.users.direct, PrincipalType: 'USER' }));
    const assigned = emulator.signIn.as(identity('direct'));
    await sso.send(new DeleteApplicationAssignmentCommand({ ApplicationArn: applicationArn, PrincipalId: store.users.direct, PrincipalType: 'USER' }));

    expect(assigned).toMatchObject({ result: 'SIGNED_IN', connectUserId: connectUserId('direct@example.com') });
    expect(emulator.signIn.as(identity('direct')).result).toBe('NOT_ASSIGNED');
  });

  it('answers in the order the agent meets them: unknown, then disabled, then not assigned, before any name is compared', () => {
    expect(emulator.signIn.as({ identityUserId: `${store.id.slice(2)}-00000000-0000-4000-8000-000000000000` })).toEqual({ result: 'NO_IDENTITY', message: expect.any(String) });
    expect(emulator.signIn.as({ userName: 'nobody' }).result).toBe('NO_IDENTITY');
    // lena is in the assigned group, but disabled.
    expect(emulator.signIn.as(identity('lena'))).toEqual({ result: 'DISABLED', message: expect.stringMatching(/disabled/) });
    // outsider's email is no Connect Username either: the portal refuses it first.
    expect(emulator.signIn.as(identity('outsider')).result).toBe('NOT_ASSIGNED');
  });

  it('tells which identities would sign in as a Connect user (none for a Username nobody sends)', () => {
    expect(emulator.signIn.identitiesSigningInAs({ connectUserId: connectUserId('maria@example.com') })).toEqual([{ identityUserId: store.users.maria, userName: 'maria' }]);
    expect(emulator.signIn.identitiesSigningInAs({ username: 'maria@example.com' })).toHaveLength(1);
    expect(emulator.signIn.identitiesSigningInAs({ username: 'Maria.Lopez@Example.com' })).toEqual([]);
    expect(emulator.signIn.identitiesSigningInAs({ username: 'jdoe' })).toEqual([]);
    expect(emulator.signIn.identitiesSigningInAs({ username: 'no-such-user' })).toEqual([]);
  });
});

describe('RoleSessionName = ${user:userName}', () => {
  it('signs in by UserName: jdoe reaches Connect user jdoe, while in email mode its email is not onboarded', () => {
    expect(emulator.signIn.as(identity('jdoe'))).toMatchObject({ result: 'NOT_ONBOARDED', roleSessionName: 'john.doe@example.com' });

    emulator.signIn.configure({ roleSessionName: '${user:userName}' });

    expect(emulator.signIn.as(identity('jdoe'))).toMatchObject({ result: 'SIGNED_IN', roleSessionName: 'jdoe', connectUserId: connectUserId('jdoe') });
    expect(emulator.signIn.identitiesSigningInAs({ username: 'jdoe' })).toEqual([{ identityUserId: store.users.jdoe, userName: 'jdoe' }]);
  });

  it('an identity whose UserName is not a Connect Username is not onboarded, even when its email is one', () => {
    emulator.signIn.configure({ roleSessionName: '${user:userName}' });

    expect(emulator.signIn.as(identity('maria'))).toMatchObject({ result: 'NOT_ONBOARDED', roleSessionName: 'maria' });
    expect(emulator.signIn.identitiesSigningInAs({ username: 'maria@example.com' })).toEqual([]);
  });

  it('a one-character UserName is no RoleSessionName (2-64 characters), even though Connect has a user of that name', () => {
    emulator.signIn.configure({ roleSessionName: '${user:userName}' });

    expect(emulator.signIn.as(identity('x'))).toMatchObject({ result: 'INVALID_SESSION_NAME', roleSessionName: 'x' });
    expect(emulator.signIn.identitiesSigningInAs({ username: 'x' })).toEqual([]);
  });

  it('disabled and unassigned users are refused the same way in either mode', () => {
    emulator.signIn.configure({ roleSessionName: '${user:userName}' });

    expect(emulator.signIn.as(identity('lena')).result).toBe('DISABLED');
    expect(emulator.signIn.as(identity('direct')).result).toBe('NOT_ASSIGNED');
  });
});

describe('which application and instance', () => {
  it('needs to be told once the emulator holds more than one of either, and refuses a non-SAML instance', async () => {
    const other = await startEmulator({ rateLimits: { enabled: false } });
    try {
      const seeded = other.seed({
        connectInstances: [{ alias: 'a', identityManagementType: 'SAML' }, { alias: 'managed', identityManagementType: 'CONNECT_MANAGED' }],
        identityStores: [{ users: [{ userName: 'u', email: 'u@example.com' }] }],
      });
      const apps = other.seed({ ssoInstances: [{ identityStoreId: seeded.identityStores[0]?.id ?? '', applications: [{ name: 'Amazon Connect' }, { name: 'Wiki' }] }] }).ssoInstances[0]?.applications ?? {};
      const [saml, managed] = seeded.connectInstances;

      expect(() => other.signIn.as({ userName: 'u' })).toThrow(/name the Amazon Connect application/);
      other.signIn.configure({ applicationArn: apps['Amazon Connect'] });
      expect(() => other.signIn.as({ userName: 'u' })).toThrow(/name the Connect instance/);
      other.signIn.configure({ instanceId: managed?.arn });
      expect(() => other.signIn.as({ userName: 'u' })).toThrow(/CONNECT_MANAGED: its agents do not sign in through Identity Center/);
      other.signIn.configure({ instanceId: saml?.id });
      expect(other.signIn.as({ userName: 'u' }).result).toBe('NOT_ASSIGNED');
    } finally {
      await other.stop();
    }
  });

  it('can be set when the emulator starts', async () => {
    const other = await startEmulator({ rateLimits: { enabled: false }, signIn: { roleSessionName: '${user:userName}' } });
    try {
      const seeded = other.seed({
        connectInstances: [{ alias: 'a', identityManagementType: 'SAML', users: [{ username: 'u.name' }] }],
        identityStores: [{ users: [{ userName: 'u.name', email: 'u@example.com' }] }],
      });
      const app = other.seed({ ssoInstances: [{ identityStoreId: seeded.identityStores[0]?.id ?? '', applications: [{ name: 'Amazon Connect' }] }] }).ssoInstances[0]?.applications['Amazon Connect'] ?? '';
      const client = new SSOAdminClient({ endpoint: other.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
      await client.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: seeded.identityStores[0]?.users['u.name'], PrincipalType: 'USER' }));
      client.destroy();

      expect(other.signIn.as({ userName: 'u.name' })).toMatchObject({ result: 'SIGNED_IN', roleSessionName: 'u.name', connectUserId: seeded.connectInstances[0]?.users['u.name']?.id });
    } finally {
      await other.stop();
    }
  });
});
