/**
 * Reconcile end to end on the emulator (link table on dynalite): a world in sync, drifted on purpose by events that
 * never arrived, then planned (dry run), applied, resumed, and — for the scheduled function — queued.
 */
import {
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteGroupMembershipCommand,
  GetGroupMembershipIdCommand,
  IdentitystoreClient,
  UpdateUserCommand,
} from '@aws-sdk/client-identitystore';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { main } from '../../cli/main';
import { deleteAgent, updateIdentityInfo, updateSecurityProfiles } from '../../local/admin';
import { startEmulator, type Emulator } from '../../local/emulator/index';
import { seedWorld, usernameOf, writeLinks, type World } from '../../local/reconcile-world';
import { recordingIo } from '../unit/cli/io-helpers';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { runSummaryStoreAdapter } from '../../shared/adapters/run-summaries';
import { ConnectClient } from '@aws-sdk/client-connect';

const USERS = 300;
let emulator: Emulator;
let world: World;
let env: Record<string, string>;
let identity: IdentitystoreClient;
let connect: ConnectClient;
let stranger: string;

/**
 * Drift of every kind, each a missed event: a user never linked, one deleted, a membership removed by hand, a promotion,
 * a stranger in a group, and an identity the service created whose email someone upper-cased (its agent cannot sign in).
 */
const DRIFT = { missingLink: 11, deleted: 12, membership: 13, promoted: 14, signIn: 15 };

async function membership(groupId: string, userId: string) {
  return identity.send(new GetGroupMembershipIdCommand({ IdentityStoreId: world.identityStoreId, GroupId: groupId, MemberId: { UserId: userId } })).then(
    (out) => out.MembershipId,
    () => undefined,
  );
}

beforeAll(async () => {
  // Rates scaled 50x (Connect 100/s): the CLI is told the same rate.
  emulator = await startEmulator({ rateLimits: { enabled: true, scale: 50 }, behaviour: { pages: 'short' } });
  Object.assign(process.env, emulator.env());
  world = await seedWorld(emulator, USERS, { links: false });
  await writeLinks(emulator, world, Array.from({ length: USERS }, (_, i) => i).filter((i) => i !== DRIFT.missingLink));
  env = { ...emulator.env(), ...world.env, POWERTOOLS_LOG_LEVEL: 'SILENT' };
  Object.assign(process.env, emulator.env());
  identity = new IdentitystoreClient({ endpoint: emulator.endpoint, region: emulator.region });
  connect = new ConnectClient({ endpoint: emulator.endpoint, region: emulator.region });
  await deleteAgent(connect, world.instanceId, world.connectUserIds[DRIFT.deleted] ?? '');
  const agents = world.groupIds.ConnectAgents ?? '';
  const removed = await membership(agents, world.identityUserIds[DRIFT.membership] ?? '');
  await identity.send(new DeleteGroupMembershipCommand({ IdentityStoreId: world.identityStoreId, MembershipId: removed }));
  await updateSecurityProfiles(connect, world.instanceId, world.connectUserIds[DRIFT.promoted] ?? '', ['CallCenterManager']);
  await identity.send(new UpdateUserCommand({
    IdentityStoreId: world.identityStoreId, UserId: world.identityUserIds[DRIFT.signIn] ?? '',
    Operations: [{ AttributePath: 'emails', AttributeValue: [{ Value: usernameOf(DRIFT.signIn).toUpperCase(), Type: 'work', Primary: true }] }],
  }));
  // A member no link explains (and no Connect user): reported, removed only on request.
  const created = await identity.send(new CreateUserCommand({
    IdentityStoreId: world.identityStoreId, UserName: 'stranger', DisplayName: 'A Stranger',
    Name: { GivenName: 'A', FamilyName: 'Stranger' }, Emails: [{ Value: 'stranger@example.com', Primary: true }],
  }));
  stranger = created.UserId ?? '';
  await identity.send(new CreateGroupMembershipCommand({ IdentityStoreId: world.identityStoreId, GroupId: world.groupIds.ConnectAdmins ?? '', MemberId: { UserId: stranger } }));
}, 120_000);

afterAll(async () => {
  identity.destroy();
  connect.destroy();
  await emulator.stop();
});

async function reconcile(args: string[], extraEnv: Record<string, string> = {}) {
  const io = recordingIo({ ...env, ...extraEnv });
  const code = await main(['reconcile', '--rate', '100', '--json', ...args], io);
  const lines = io.stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, lines, summary: lines.find((l) => l.type === 'summary') as Record<string, unknown> & { drift: Record<string, number> } };
}

it('plans exactly the drifted users from bulk snapshots, and changes nothing in a dry run', async () => {
  emulator.counters.reset();

  const { code, lines, summary } = await reconcile([]);

  expect(code).toBe(0);
  const plans = lines.filter((l) => l.type === 'plan').map((l) => [l.connectUserId, l.action, l.drift]);
  expect(plans).toEqual(expect.arrayContaining([
    // Its identity exists and is in its group already (the store's listing says so): a link write, no sync.
    [world.connectUserIds[DRIFT.missingLink], 'link', ['missing-link']],
    [world.connectUserIds[DRIFT.deleted], 'deprovision', ['deleted-connect-user']],
    [world.connectUserIds[DRIFT.membership], 'sync', ['missing-membership']],
    [world.connectUserIds[DRIFT.promoted], 'sync', ['profile-change']],
    [world.connectUserIds[DRIFT.signIn], 'update', ['sign-in-mismatch']],
  ]));
  expect(plans).toHaveLength(5);
  expect(summary).toMatchObject({ users: USERS - 1, inSync: USERS - 5 });
  // The sign-in check reads the whole store in pages of 100: one call per 100 identities, none per user.
  expect(emulator.counters.get('identitystore:ListUsers').total).toBeLessThanOrEqual(Math.ceil((USERS + 1) / 100) * 2);
  // The stranger, and the member whose Connect user has no link yet (the planned sync links it).
  expect(summary.unlinkedMembers).toEqual(expect.arrayContaining([
    { identityUserId: stranger, groupId: world.groupIds.ConnectAdmins, groupName: 'ConnectAdmins' },
    { identityUserId: world.identityUserIds[DRIFT.missingLink], groupId: world.groupIds.ConnectAgents, groupName: 'ConnectAgents' },
  ]));
  const writes = Object.entries(emulator.counters.snapshot()).filter(([k, c]) => c.total > 0 && /:(Create|Delete|Update|Put)/.test(k));
  expect(writes).toEqual([]);
  // Users in sync cost no call of their own: the listing pages, the links and the groups' members only.
  expect(emulator.counters.get('connect:DescribeUser').total).toBe(0);
});

it('applies the plan through the same rules as the event path; a second run finds the instance in sync', async () => {
  const applied = await reconcile(['--apply']);
  const again = await reconcile([]);

  expect(applied.code).toBe(0);
  expect(applied.lines.filter((l) => l.type === 'result').map((l) => l.outcome).sort()).toEqual(['deprovisioned', 'linked', 'synced', 'synced', 'updated (email)']);
  expect(again.lines.filter((l) => l.type === 'plan')).toEqual([]);
  expect(await membership(world.groupIds.ConnectAgents ?? '', world.identityUserIds[DRIFT.deleted] ?? '')).toBeUndefined();
  expect(await membership(world.groupIds.ConnectSupervisors ?? '', world.identityUserIds[DRIFT.promoted] ?? '')).toBeDefined();
  expect(await membership(world.groupIds.ConnectAgents ?? '', world.identityUserIds[DRIFT.membership] ?? '')).toBeDefined();
  expect(again.summary.unlinkedMembers).toHaveLength(1);
});

it('removes an unlinked member only with --remove-unlinked, and never deletes it; never a member another stage sharing the group links', async () => {
  // Stage "us" shares ConnectAdmins (README "Several Connect instances"): its link table claims one of the members.
  const usTable = (await emulator.createTables({ stage: 'us' })).LinksTable ?? '';
  const usAgent = (await identity.send(new CreateUserCommand({
    IdentityStoreId: world.identityStoreId, UserName: 'us.agent', DisplayName: 'US Agent',
    Name: { GivenName: 'US', FamilyName: 'Agent' }, Emails: [{ Value: 'us.agent@example.com', Primary: true }],
  }))).UserId ?? '';
  await identity.send(new CreateGroupMembershipCommand({ IdentityStoreId: world.identityStoreId, GroupId: world.groupIds.ConnectAdmins ?? '', MemberId: { UserId: usAgent } }));
  const dynamodb = new DynamoDBClient({ endpoint: emulator.endpoint, region: emulator.region });
  await dynamodb.send(new PutItemCommand({
    TableName: usTable,
    Item: { pk: { S: '7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a' }, sk: { S: `identity#${usAgent}` }, connectUserId: { S: '0e9d8c7b-6a5f-4e4d-8c3b-2a1f0e9d8c7b' } },
  }));
  dynamodb.destroy();
  const admins = world.groupIds.ConnectAdmins ?? '';

  // Whether other stages share the groups is not said: nobody is removed.
  const unsaid = await reconcile(['--apply', '--remove-unlinked']);
  expect(unsaid.code).toBe(2);
  expect([await membership(admins, stranger), await membership(admins, usAgent)].map(Boolean)).toEqual([true, true]);

  const shared = await reconcile(['--apply', '--remove-unlinked'], { SHARED_LINKS_TABLES: usTable });

  expect(shared.code).toBe(0);
  const reported = (shared.summary.unlinkedMembers as { identityUserId: string }[]).map((m) => m.identityUserId);
  expect(reported).toContain(stranger);
  expect(reported).not.toContain(usAgent);
  expect(await membership(admins, stranger)).toBeUndefined();
  expect(await membership(admins, usAgent)).toBeDefined();
  expect(emulator.state.identityUsers(world.identityStoreId).some((u) => u.UserId === stranger)).toBe(true);
  // `none`: the groups are this stage's own, so the other stage's agent is unlinked here, and removed.
  await reconcile(['--apply', '--remove-unlinked'], { SHARED_LINKS_TABLES: 'none' });
  expect(await membership(admins, usAgent)).toBeUndefined();
});

it('resumes by what is already done: --max stops early, the next run does the rest and nothing twice', async () => {
  for (const i of [30, 31, 32]) await updateSecurityProfiles(connect, world.instanceId, world.connectUserIds[i] ?? '', ['Admin']);

  const first = await reconcile(['--apply', '--max', '2']);
  const second = await reconcile(['--apply']);

  expect(first.lines.filter((l) => l.type === 'result')).toHaveLength(2);
  expect(first.summary.deferred).toBe(1);
  expect(second.lines.filter((l) => l.type === 'result')).toHaveLength(1);
  expect((await reconcile([])).lines.filter((l) => l.type === 'plan')).toEqual([]);
  expect(first.lines.filter((l) => l.type === 'result').map((l) => l.label)).not.toContain(usernameOf(32));
});

it('the scheduled function queues one request per drifted user into the sync queue', async () => {
  const queue = emulator.seed({ queues: [{ name: 'connect-sso-sync-scale-sync' }] }).queues['connect-sso-sync-scale-sync']?.url ?? '';
  await updateSecurityProfiles(connect, world.instanceId, world.connectUserIds[40] ?? '', ['Admin']);
  const saved = { ...process.env };
  Object.assign(process.env, env, { SYNC_QUEUE_URL: queue, POWERTOOLS_METRICS_DISABLED: 'true' });
  let run: (() => Promise<{ queued: number; drift: Record<string, number> }>) | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    run = (require('../../functions/reconcile/handler') as { scheduledReconcile: typeof run }).scheduledReconcile;
  });

  const summary = await run?.();
  process.env = saved;

  const sqs = new SQSClient({ endpoint: emulator.endpoint, region: emulator.region });
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue, MaxNumberOfMessages: 10 }));
  sqs.destroy();
  expect(summary).toMatchObject({ queued: 1, drift: expect.objectContaining({ 'profile-change': 1 }) });
  expect(out.Messages?.map((m) => JSON.parse(m.Body ?? '{}'))).toEqual([
    { source: 'connect-sso-sync.reconcile', instanceId: world.instanceId, userId: world.connectUserIds[40], action: 'sync' },
  ]);
  // The run is recorded for `status`: ids and counts, the scheduled trigger, what it queued.
  const dynamodb = new DynamoDBClient({ endpoint: emulator.endpoint, region: emulator.region });
  const recorded = await runSummaryStoreAdapter(dynamodb, world.linksTable).read(world.instanceId);
  dynamodb.destroy();
  expect(recorded).toMatchObject({ instanceId: world.instanceId, trigger: 'schedule', acted: 1, failed: 0, drift: expect.objectContaining({ 'profile-change': 1 }) });
  expect(Date.parse(recorded?.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(recorded?.startedAt ?? ''));
});

it('--deep in a dry run lists what --deep --apply then does, user by user, and changes nothing', async () => {
  // A name corrected in Connect (a SAML instance's users have no Email to correct: Connect refuses it there).
  const corrected = world.connectUserIds[50] ?? '';
  await updateIdentityInfo(connect, world.instanceId, corrected, { FirstName: 'Agent', LastName: 'Fifty' });
  const nameOf = () => emulator.state.identityUsers(world.identityStoreId).find((u) => u.UserId === world.identityUserIds[50])?.Name;
  const before = nameOf();
  const rows = (lines: Record<string, unknown>[]) =>
    lines.filter((l) => l.type === 'result').map((l) => `${String(l.subject)} ${String(l.action)} ${String(l.outcome).replace(/^would be /, '')}`).sort();

  const dry = await reconcile(['--deep']);
  const afterDry = nameOf();
  const applied = await reconcile(['--deep', '--apply']);

  const planned = dry.lines.find((l) => l.type === 'result' && l.subject === corrected);
  expect(planned).toMatchObject({ action: 'update', outcome: expect.stringMatching(/^would be updated \(.*familyName.*\)$/) });
  expect(afterDry).toEqual(before);
  expect(rows(dry.lines)).toEqual(rows(applied.lines));
  expect(nameOf()).toEqual(expect.objectContaining({ GivenName: 'Agent', FamilyName: 'Fifty' }));
});
