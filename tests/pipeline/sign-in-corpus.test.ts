/**
 * The product's verdict against the emulator's sign-in simulation (local/emulator/sign-in.ts, written apart from the
 * product from AWS's documentation): for every agent of a corpus of tricky cases, `connect-sso-sync user` says
 * CAN_SIGN_IN exactly when the simulation finds an Identity Center user that signs in as that Connect user, and when it
 * does, that identity is the one the link names.
 */
import { UpdateUserCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { main } from '../../cli/main';
import { deleteAgent, updateSecurityProfiles } from '../../local/admin';
import { startPipeline, type Pipeline } from '../../local/pipeline';
import { linksOf } from '../support/lifecycle';
import { createConnectUser, person } from '../support/pipeline';
import { recordingIo } from '../unit/cli/io-helpers';

const saved = { ...process.env };

interface Agent {
  key: string;
  username: string;
  identity?: Parameters<typeof createConnectUser>[2];
  /** Security profiles other than Agent (QualityAnalyst maps to no group: unmapped). */
  profiles?: string[];
}

interface Case {
  connectUserId: string;
  verdict: { canSignIn: boolean; code: string };
  simulation: { identityUserId: string }[];
  linked?: string;
}

/** Runs the corpus on one pipeline: creates and syncs the agents, applies `after`, then asks both sides about each. */
async function corpus(p: Pipeline, agents: Agent[], after: (ids: Record<string, string>) => Promise<void> = async () => undefined) {
  const ids: Record<string, string> = {};
  for (const a of agents) {
    ids[a.key] = await createConnectUser(p, a.username, a.identity ?? person('Given', 'Family'));
    if (a.profiles) await updateSecurityProfiles(p.adminConnect, p.ids.instanceId, ids[a.key] ?? '', a.profiles);
  }
  await p.drain();
  await after(ids);
  await p.drain();
  const { links } = await linksOf(p);
  const cases: Record<string, Case> = {};
  for (const a of agents) {
    const connectUserId = ids[a.key] ?? '';
    const io = recordingIo(p.env);
    await main(['user', connectUserId, '--json'], io);
    const { verdict } = JSON.parse(io.stdout.join('\n')) as { verdict: Case['verdict'] };
    const simulation = p.emulator.signIn.identitiesSigningInAs({ connectUserId });
    cases[a.key] = { connectUserId, verdict, simulation, linked: links.get(connectUserId)?.identityUserId };
  }
  return cases;
}

/** Every case: the verdict and the simulation agree, and a CAN_SIGN_IN names the identity that really signs in. */
function expectAgreement(cases: Record<string, Case>) {
  const disagreements = Object.entries(cases)
    .filter(([, c]) => c.verdict.canSignIn !== c.simulation.length > 0 || (c.verdict.canSignIn && c.simulation[0]?.identityUserId !== c.linked))
    .map(([key, c]) => `${key}: verdict ${c.verdict.code}, simulation ${c.simulation.length} identity(ies)`);
  expect(disagreements).toEqual([]);
}

afterEach(() => {
  process.env = saved;
});

describe('the verdict agrees with the sign-in simulation on every agent of the corpus', () => {
  it('email mode (RoleSessionName = ${user:email})', async () => {
    const p = await startPipeline({
      speed: 100,
      syncEnv: { PROTECTED_GROUPS: 'Admins', GROUP_MAPPING: JSON.stringify({ Agent: 'ConnectAgents' }) },
      identityCenter: {
        users: [
          { userName: 'asilva', givenName: 'Ana', familyName: 'Silva', email: 'ana.silva@example.com' },
          { userName: 'lena.m', givenName: 'Lena', familyName: 'Meyer', email: 'lena@example.com', disabled: true },
          { userName: 'root', givenName: 'Root', familyName: 'Admin', email: 'root@example.com' },
          { userName: 'notify', givenName: 'Team', familyName: 'Inbox', email: 'team@example.com' },
        ],
        groups: [{ displayName: 'Admins', members: ['root'] }],
      },
    });
    try {
      const identities = new IdentitystoreClient({ endpoint: p.emulator.endpoint, region: p.emulator.region });
      const cases = await corpus(
        p,
        [
          { key: 'plain', username: 'maria@example.com' },
          { key: 'case', username: 'Ana.Silva@Example.com' },
          { key: 'capitals kept', username: 'Sam.Okafor@Example.com' },
          { key: 'secondary email', username: 'jo.doe@example.com', identity: { FirstName: 'Jo', LastName: 'Doe', SecondaryEmail: 'team@example.com' } },
          { key: 'not an email', username: 'agent_007' },
          { key: 'disabled', username: 'lena@example.com' },
          { key: 'protected', username: 'root@example.com' },
          { key: 'unmapped', username: 'quality@example.com', profiles: ['QualityAnalyst'] },
          { key: 'deleted', username: 'kenji@example.com' },
          { key: 'drifted', username: 'Nadia.Khan@example.com' },
        ],
        async (ids) => {
          await deleteAgent(p.adminConnect, p.ids.instanceId, ids.deleted ?? '');
          // Someone lower-cases the email of an identity the service created: Connect would refuse the sign-in.
          const drifted = (await linksOf(p)).links.get(ids.drifted ?? '')?.identityUserId ?? '';
          await identities.send(new UpdateUserCommand({
            IdentityStoreId: p.ids.identityStoreId, UserId: drifted,
            Operations: [{ AttributePath: 'emails', AttributeValue: [{ Value: 'nadia.khan@example.com', Type: 'work', Primary: true }] }],
          }));
        },
      );
      identities.destroy();

      expectAgreement(cases);
      // The corpus covers both answers, and the reasons the product gives are the ones expected.
      expect(Object.fromEntries(Object.entries(cases).map(([key, c]) => [key, c.verdict.code]))).toEqual({
        plain: 'CAN_SIGN_IN',
        case: 'SIGN_IN_NAME_MISMATCH',
        'capitals kept': 'CAN_SIGN_IN',
        'secondary email': 'CAN_SIGN_IN',
        'not an email': 'NO_EMAIL',
        disabled: 'IDENTITY_DISABLED',
        protected: 'PROTECTED_IDENTITY',
        unmapped: 'UNMAPPED',
        deleted: 'DELETED',
        drifted: 'SIGN_IN_NAME_MISMATCH',
      });
    } finally {
      await p.stop();
    }
  });

  it('userName mode (RoleSessionName = ${user:userName})', async () => {
    const p = await startPipeline({
      speed: 100,
      syncEnv: { SIGN_IN_ATTRIBUTE: 'userName' },
      identityCenter: { users: [{ userName: 'Agent_009', givenName: 'Nine', familyName: 'Agent', email: 'nine@example.com' }] },
    });
    p.emulator.signIn.configure({ roleSessionName: '${user:userName}' });
    try {
      const cases = await corpus(p, [
        { key: 'login name', username: 'agent_008', identity: { FirstName: 'Eight', LastName: 'Agent', SecondaryEmail: 'eight@example.com' } },
        { key: 'case', username: 'agent_009' },
        { key: 'no email at all', username: 'agent_010' },
        { key: 'email login', username: 'Ten.Agent@Example.com' },
      ]);

      expectAgreement(cases);
      expect(Object.fromEntries(Object.entries(cases).map(([key, c]) => [key, c.verdict.code]))).toEqual({
        'login name': 'CAN_SIGN_IN',
        case: 'SIGN_IN_NAME_MISMATCH',
        'no email at all': 'NO_EMAIL',
        'email login': 'CAN_SIGN_IN',
      });
    } finally {
      await p.stop();
    }
  });
});
