/**
 * `connect-sso-sync user`: one user explained end to end and provisioned on demand, through cli/main.ts against the
 * pipeline (the real SDK over HTTP, the real handler). The agents are created and synced by their events; then the
 * queue's poller is stopped, so the changes made after that are exactly "an event that has not been applied yet".
 */
import { DeleteApplicationAssignmentCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { main } from '../../cli/main';
import { deleteAgent, updateSecurityProfiles } from '../../local/admin';
import { startPipeline, type Pipeline } from '../../local/pipeline';
import { logger } from '../../shared/composition/logger';
import { groupsByUser, linksOf } from '../support/lifecycle';
import { createConnectUser, person } from '../support/pipeline';
import { recordingIo } from '../unit/cli/io-helpers';

const MAPPING = { Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'], QualityAnalyst: 'ConnectQuality' };
const saved = { ...process.env };
let p: Pipeline;
const ids: Record<string, string> = {};

async function user(...args: string[]) {
  const io = recordingIo(p.env);
  const code = await main(['user', ...args], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

beforeAll(async () => {
  p = await startPipeline({
    speed: 100,
    // A SAML instance (the emulator's default): the Connect Username is the sign-in name, and Connect holds no Email.
    syncEnv: { GROUP_MAPPING: JSON.stringify(MAPPING), PROTECTED_GROUPS: 'Admins' },
    identityCenter: {
      users: [
        { userName: 'root.admin', givenName: 'Root', familyName: 'Admin', email: 'admin@example.com' },
        { userName: 'lena.m', givenName: 'Lena', familyName: 'Meyer', email: 'lena@example.com', disabled: true },
        // An existing person whose email differs from the Connect Username in case only: Connect would refuse the sign-in.
        { userName: 'asilva', givenName: 'Ana', familyName: 'Silva', email: 'ana.silva@example.com' },
      ],
      groups: [{ displayName: 'Admins', members: ['root.admin'] }, { displayName: 'ConnectSupervisors' }],
    },
  });
  const agents: [string, string, ReturnType<typeof person>, string[]][] = [
    ['maria', 'maria@example.com', person('Maria', 'Garcia'), ['Agent']],
    ['noemail', 'no.email', person('No', 'Email'), ['Agent']],
    ['admin', 'admin@example.com', person('Root', 'Admin'), ['Agent']],
    ['tomas', 'tomas@example.com', person('Tomas', 'Oliveira'), ['Agent']],
    ['kenji', 'kenji@example.com', person('Kenji', 'Watanabe'), ['Agent']],
    ['nadia', 'nadia.k@example.com', person('Nadia', 'Khan'), ['QualityAnalyst']],
    ['lena', 'lena@example.com', person('Lena', 'Meyer'), ['Agent']],
    ['ana', 'Ana.Silva@Example.com', person('Ana', 'Silva'), ['Agent']],
  ];
  for (const [key, username, identity, securityProfiles] of agents) {
    ids[key] = await createConnectUser(p, username, identity);
    if (securityProfiles[0] !== 'Agent') await updateSecurityProfiles(p.adminConnect, p.ids.instanceId, ids[key] ?? '', securityProfiles);
  }
  await p.drain();
  // From here on, events wait in the sync queue: what a change "not applied yet" looks like.
  await p.poller.stop();
}, 60_000);

afterAll(async () => {
  await p.stop();
  process.env = saved;
});

describe('connect-sso-sync user', () => {
  it('a linked identity an administrator disabled: in its groups and assigned, yet it cannot sign in (exit 1)', async () => {
    const { code, out } = await user('lena@example.com');
    const json = JSON.parse((await user('lena@example.com', '--json')).out) as { verdict: { code: string; canSignIn: boolean } };

    expect(code).toBe(1);
    expect(out).toMatch(/status\s+DISABLED: cannot sign in/);
    expect(out).toMatch(/Verdict: cannot sign in: IDENTITY_DISABLED/);
    expect(out).toContain('the sync never enables a user');
    expect(json.verdict).toMatchObject({ code: 'IDENTITY_DISABLED', canSignIn: false });
  });

  it('a synced agent: every section, and the verdict "can sign in" (exit 0)', async () => {
    const { code, out } = await user('maria@example.com');

    expect(out).toMatch(/user\s+maria@example.com\s+\S+\s+\(found by username\)/);
    expect(out).toMatch(/email\s+maria@example.com\s+\(from Username\)/);
    expect(out).toMatch(/sign-in name\s+"maria@example.com" \(primary email, sent as RoleSessionName\): equals the Connect Username exactly/);
    expect(out).toContain('Connect (instance');
    expect(out).toContain('identity management SAML');
    expect(out).toMatch(/link\s+\S+\s+\(created by this service/);
    expect(out).toMatch(/managed groups\s+ConnectAgents\s+\(mapping wants: ConnectAgents\)/);
    expect(out).toMatch(/assignment\s+ConnectAgents assigned/);
    expect(out).toMatch(/messages\s+none about this user/);
    expect(out).toContain('Verdict: can sign in (ConnectAgents — assigned; its primary email is exactly the Connect Username)');
    expect(out).toContain('first sign-in');
    expect(out).toContain('Plan: what a sync would change now: nothing');
    expect(code).toBe(0);
  });

  it('--json carries the same facts', async () => {
    const io = recordingIo(p.env);

    const code = await main(['user', 'maria@example.com', '--json'], io);

    const json = JSON.parse(io.stdout.join('\n'));
    expect(code).toBe(0);
    expect(json).toMatchObject({
      found: { connectUserId: ids.maria, by: 'username', inConnect: true },
      identityManagement: 'SAML',
      connect: { username: 'maria@example.com', email: 'maria@example.com', emailSource: 'Username', profiles: [{ name: 'Agent' }] },
      wantedGroups: ['ConnectAgents'],
      link: { linked: true, created: true, groups: ['ConnectAgents'] },
      identity: {
        foundBy: 'link', exists: true, managedGroups: ['ConnectAgents'], protectedGroups: [], otherDoors: { groups: 0, applications: 0, accounts: 0 },
        signIn: { attribute: 'email', sends: 'maria@example.com', username: 'maria@example.com', match: 'exact' },
      },
      assignment: { mode: 'group', groups: [{ group: 'ConnectAgents', assigned: true }] },
      plan: { useCase: 'sync', outcome: 'synced', steps: [] },
      verdict: { checked: true, canSignIn: true, code: 'CAN_SIGN_IN' },
    });
  });

  it('--json --apply adds what was run, each write with its outcome, and the verdict after', async () => {
    const io = recordingIo(p.env);

    const code = await main(['user', 'maria@example.com', '--json', '--apply'], io);

    const json = JSON.parse(io.stdout.join('\n'));
    expect(code).toBe(0);
    expect(json.applied).toMatchObject({ useCase: 'sync', outcome: 'synced', steps: [{ verb: 'assign', result: 'already-assigned' }, { verb: 'write-link', result: 'done' }] });
    expect(json.after).toMatchObject({ canSignIn: true, code: 'CAN_SIGN_IN' });
  });

  it('a Username that is not an email address: NO_EMAIL with the SAML fix, its dead-letter message, and --apply changes nothing', async () => {
    const before = await user('no.email');

    expect(before.out).toMatch(/email\s+none: no Email/);
    expect(before.out).toMatch(/known failure\s+NO_EMAIL since/);
    expect(before.out).toMatch(/sync-dlq\s+NO_EMAIL/);
    expect(before.out).toContain('Verdict: cannot sign in: NO_EMAIL: a sync fails now with NO_EMAIL');
    // On a SAML instance Connect holds no Email: the fix is the mapping or a new Connect user, never "add an email".
    expect(before.out).toContain('set SIGN_IN_ATTRIBUTE=userName');
    expect(before.code).toBe(1);

    const applied = await user('no.email', '--apply');

    expect(applied.out).toMatch(/Applied \(sync\): failed NO_EMAIL/);
    expect(applied.code).toBe(1);
    expect(groupsByUser(p)['no.email']).toBeUndefined();
  });

  it('an existing identity whose email is the Username but for case: SIGN_IN_NAME_MISMATCH, both names side by side, and --apply links nothing', async () => {
    const before = await user('Ana.Silva@Example.com');

    expect(before.out).toMatch(/\(found by sign-in name\)/);
    expect(before.out).toMatch(/sign-in name\s+"ana.silva@example.com" \(primary email, sent as RoleSessionName\): NOT the Connect Username "Ana.Silva@Example.com" \(differs in case or spaces\)/);
    expect(before.out).toContain('Verdict: cannot sign in: SIGN_IN_NAME_MISMATCH: Identity Center would send "ana.silva@example.com"');
    expect(before.out).toContain('not been onboarded to this application');
    expect(before.code).toBe(1);

    const applied = await user('Ana.Silva@Example.com', '--apply');

    expect(applied.out).toMatch(/Applied \(sync\): failed SIGN_IN_NAME_MISMATCH/);
    expect(applied.code).toBe(1);
    expect(groupsByUser(p).asilva).toBeUndefined();
    expect((await linksOf(p)).links.has(ids.ana ?? '')).toBe(false);
  });

  it('a protected identity: PROTECTED_IDENTITY, and --apply changes nothing', async () => {
    const before = await user('admin@example.com');

    expect(before.out).toMatch(/\(found by username\)/);
    expect(before.out).toMatch(/protected groups\s+Admins: PROTECTED/);
    expect(before.out).toContain('Verdict: cannot sign in: PROTECTED_IDENTITY');
    expect(before.code).toBe(1);

    const applied = await user('admin@example.com', '--apply');

    expect(applied.out).toMatch(/Applied \(sync\): failed PROTECTED_IDENTITY/);
    expect(applied.code).toBe(1);
    expect(groupsByUser(p)['root.admin']).toEqual(['Admins']);
  });

  it('a promotion not applied yet: the plan adds the group; --apply adds it and the verdict then says so', async () => {
    await updateSecurityProfiles(p.adminConnect, p.ids.instanceId, ids.tomas ?? '', ['CallCenterManager']);

    const before = await user(ids.tomas ?? '');

    expect(before.out).toMatch(/\(found by id\)/);
    expect(before.out).toMatch(/managed groups\s+ConnectAgents\s+\(mapping wants: ConnectAgents, ConnectSupervisors\)/);
    expect(before.out).toContain('Verdict: signs in, but not as mapped: NOT_IN_GROUP: not yet in ConnectSupervisors');
    expect(before.out).toMatch(/Plan: what a sync would change now:\n\s+1\. add to ConnectSupervisors\n\s+2\. assign group ConnectSupervisors to the Amazon Connect application/);
    expect(before.code).toBe(1);

    const applied = await user(ids.tomas ?? '', '--apply');

    expect(applied.out).toMatch(/add to ConnectSupervisors\s+-> added/);
    expect(applied.out).toContain('Verdict now: can sign in (ConnectAgents, ConnectSupervisors — assigned;');
    expect(applied.code).toBe(0);
  });

  it('a deleted Connect user still linked: the plan is a deprovision; --apply carries it out, confirmed with Connect', async () => {
    await deleteAgent(p.adminConnect, p.ids.instanceId, ids.kenji ?? '');

    const before = await user(ids.kenji ?? '');

    expect(before.out).toMatch(/no longer in Connect \(found by id\)/);
    expect(before.out).toContain('Verdict: cannot sign in: CONNECT_USER_GONE');
    expect(before.out).toMatch(/Plan: what the deprovision would change now:\n\s+1\. record the confirmed deletion \(tombstone\)\n\s+2\. remove from ConnectAgents\n\s+3\. delete the link/);
    expect(before.code).toBe(1);

    const applied = await user(ids.kenji ?? '', '--apply');

    expect(applied.out).toMatch(/Applied \(deprovision\): deprovisioned/);
    expect(applied.out).toMatch(/Verdict now: cannot sign in: DELETED: deleted in Connect \(confirmed /);
    expect((await linksOf(p)).links.has(ids.kenji ?? '')).toBe(false);
    expect(groupsByUser(p)['kenji@example.com']).toBeUndefined();
  });

  it('a group not assigned to the application: NOT_ASSIGNED; --apply assigns it', async () => {
    const group = p.emulator.state.groups(p.ids.identityStoreId).find((g) => g.DisplayName === 'ConnectQuality');
    const sso = new SSOAdminClient({ endpoint: p.emulator.endpoint, region: p.emulator.region });
    await sso.send(new DeleteApplicationAssignmentCommand({ ApplicationArn: p.ids.applicationArn, PrincipalId: String(group?.GroupId), PrincipalType: 'GROUP' }));
    sso.destroy();

    const before = await user('nadia.k@example.com');

    expect(before.out).toMatch(/\(found by username\)/);
    expect(before.out).toMatch(/assignment\s+ConnectQuality NOT assigned/);
    expect(before.out).toContain('Verdict: cannot sign in: NOT_ASSIGNED: group ConnectQuality not assigned to the Amazon Connect application');
    expect(before.code).toBe(1);

    const applied = await user('nadia.k@example.com', '--apply');

    expect(applied.out).toMatch(/assign group ConnectQuality to the Amazon Connect application\s+-> assigned/);
    expect(applied.out).toContain('Verdict now: can sign in (ConnectQuality — assigned;');
    expect(applied.code).toBe(0);
  });

  it('writes no log line: the names and emails on the screen never reach the logger, --apply included', async () => {
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((level) => jest.spyOn(logger, level));
    try {
      const { out } = await user('maria@example.com', '--apply');

      expect(out).toContain('Maria Garcia');
      expect(spies.map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0, 0]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('an unknown user is exit 1 with a clear verdict; a missing argument is a one-line usage error (exit 2)', async () => {
    const unknown = await user('nobody@example.com');
    const missing = await user();

    expect(unknown.out).toContain('Verdict: cannot sign in: NOT_FOUND');
    expect(unknown.code).toBe(1);
    expect(missing.err).toMatch(/^connect-sso-sync user: name the user: connect-sso-sync user <username \| Connect user id \| email>\nRun with --help/);
    expect(missing.code).toBe(2);
  });
});
