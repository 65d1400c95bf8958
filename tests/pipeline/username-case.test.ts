/**
 * A Connect user found by Username (the `user` command, a CreateUser event without UserId) is the one with exactly that
 * Username (issue 21, item 5). Whether SearchUsers' EXACT ignores case is not documented: the emulator's switch runs
 * both ways, and the adapter's answer for an exact name is the same under either.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { connectDirectoryAdapter } from '../../shared/adapters/connect-directory';
import { startEmulator, type Emulator } from '../../local/emulator/index';

const credentials = { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' };

describe.each(['sensitive', 'insensitive'] as const)("Connect's username search %s to case", (lookupCase) => {
  let emulator: Emulator;
  let client: ConnectClient;
  let instanceId = '';
  const users: Record<string, string> = {};

  beforeAll(async () => {
    emulator = await startEmulator({ rateLimits: { enabled: false }, behaviour: { lookupCase: { connect: lookupCase } } });
    client = new ConnectClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const seeded = emulator.seed({
      connectInstances: [{ alias: 'case', identityManagementType: 'SAML', users: [{ username: 'Ana@example.com' }, { username: 'ana.b@example.com' }] }],
    }).connectInstances[0];
    instanceId = seeded?.id ?? '';
    for (const [name, user] of Object.entries(seeded?.users ?? {})) users[name] = user.id;
  });

  afterAll(async () => {
    client.destroy();
    await emulator.stop();
  });

  it('finds the user with exactly the Username asked for', async () => {
    const connect = connectDirectoryAdapter(client, async () => undefined);

    expect(await connect.findUserIdByUsername(instanceId, 'Ana@example.com')).toBe(users['Ana@example.com']);
    expect(await connect.findUserIdByUsername(instanceId, 'ana.b@example.com')).toBe(users['ana.b@example.com']);
  });

  it('finds a name that differs only by case only where Connect itself ignores case, and then only the one match', async () => {
    const connect = connectDirectoryAdapter(client, async () => undefined);

    const found = await connect.findUserIdByUsername(instanceId, 'ana@example.com');

    expect(found).toBe(lookupCase === 'insensitive' ? users['Ana@example.com'] : undefined);
  });
});
