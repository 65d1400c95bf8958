/**
 * The first reconcile on an existing SAML contact centre (agents already in Identity Center, no links yet): the users
 * are matched by the Identity Store's listing, with no connect:DescribeUser and no identitystore:GetUserId; those
 * already in their groups get a link write alone, the others a sync from the matched identity. A sign-in name that
 * differs only in case and a protected identity are still refused.
 */
import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  DeleteGroupMembershipCommand,
  GetGroupMembershipIdCommand,
  IdentitystoreClient,
  UpdateUserCommand,
} from '@aws-sdk/client-identitystore';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { main } from '../../cli/main';
import { startEmulator, type Emulator } from '../../local/emulator/index';
import { seedWorld, usernameOf, type World } from '../../local/reconcile-world';
import { linkStoreAdapter } from '../../shared/adapters/links';
import { recordingIo } from '../unit/cli/io-helpers';

const USERS = 120;
/** Users whose identity is not in its group yet (they need a membership write). */
const OUT_OF_GROUP = new Set([3, 4, 5]);
const MISMATCH = 7;
const PROTECTED = 8;
let emulator: Emulator;
let world: World;
let env: Record<string, string>;
let identity: IdentitystoreClient;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: { enabled: true, scale: 50 }, behaviour: { pages: 'short' } });
  Object.assign(process.env, emulator.env());
  world = await seedWorld(emulator, USERS, { links: false, inGroups: (i) => !OUT_OF_GROUP.has(i) });
  identity = new IdentitystoreClient({ endpoint: emulator.endpoint, region: emulator.region });
  // Someone upper-cased one identity's email: its agent cannot sign in, and the identity is not linked.
  await identity.send(new UpdateUserCommand({
    IdentityStoreId: world.identityStoreId, UserId: world.identityUserIds[MISMATCH] ?? '',
    Operations: [{ AttributePath: 'emails', AttributeValue: [{ Value: usernameOf(MISMATCH).toUpperCase(), Type: 'work', Primary: true }] }],
  }));
  // Another is a member of a protected group (break-glass): never linked, even though it is in its managed group.
  const breakGlass = await identity.send(new CreateGroupCommand({ IdentityStoreId: world.identityStoreId, DisplayName: 'BreakGlass' }));
  await identity.send(new CreateGroupMembershipCommand({ IdentityStoreId: world.identityStoreId, GroupId: breakGlass.GroupId ?? '', MemberId: { UserId: world.identityUserIds[PROTECTED] ?? '' } }));
  env = { ...emulator.env(), ...world.env, PROTECTED_GROUPS: 'BreakGlass', POWERTOOLS_LOG_LEVEL: 'SILENT' };
}, 120_000);

afterAll(async () => {
  identity.destroy();
  await emulator.stop();
});

async function reconcile(args: string[]) {
  const io = recordingIo(env);
  const code = await main(['reconcile', '--rate', '100', '--json', ...args], io);
  const lines = io.stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, lines, summary: lines.find((l) => l.type === 'summary') as Record<string, unknown> };
}

async function inGroup(groupId: string, userId: string) {
  return identity.send(new GetGroupMembershipIdCommand({ IdentityStoreId: world.identityStoreId, GroupId: groupId, MemberId: { UserId: userId } })).then(
    () => true,
    () => false,
  );
}

it('links the existing agents by the listing: no DescribeUser, no GetUserId; still refuses a case mismatch and a protected identity', async () => {
  emulator.counters.reset();

  const { lines, summary } = await reconcile(['--apply']);

  const results = new Map(lines.filter((l) => l.type === 'result').map((l) => [l.subject, l]));
  const id = (i: number) => world.connectUserIds[i] ?? '';
  // Already right: a link write alone. Out of their group: synced from the matched identity (linked and added).
  expect(results.get(id(1))).toMatchObject({ action: 'link', outcome: 'linked' });
  for (const i of OUT_OF_GROUP) expect(results.get(id(i))).toMatchObject({ action: 'sync', outcome: 'linked' });
  for (const i of OUT_OF_GROUP) expect(await inGroup(world.groupIds.ConnectAgents ?? '', world.identityUserIds[i] ?? '')).toBe(true);
  // The case mismatch is reported, not acted on; the protected identity is refused by the sync's own rule.
  expect(results.has(id(MISMATCH))).toBe(false);
  expect(lines).toContainEqual(expect.objectContaining({ type: 'cannot-sign-in', connectUserId: id(MISMATCH), code: 'SIGN_IN_NAME_MISMATCH' }));
  expect(results.get(id(PROTECTED))).toMatchObject({ outcome: 'failed', code: 'PROTECTED_IDENTITY' });
  expect(summary).toMatchObject({ adoption: { matched: USERS - 1, linkOnly: USERS - 1 - OUT_OF_GROUP.size - 1, toWrite: OUT_OF_GROUP.size + 1 } });
  // Matched by the listings: not one per-user read of Connect or of the store's look-ups.
  expect(emulator.counters.get('connect:DescribeUser').total).toBe(0);
  expect(emulator.counters.get('identitystore:GetUserId').total).toBe(0);
  const links = linkStoreAdapter(new DynamoDBClient({ endpoint: emulator.endpoint, region: emulator.region }), world.linksTable);
  expect((await links.get(world.instanceId, id(1))).link).toMatchObject({ identityUserId: world.identityUserIds[1], created: false, groupIds: [world.groupIds.ConnectAgents] });
  expect((await links.get(world.instanceId, id(MISMATCH))).link).toBeUndefined();
  expect((await links.get(world.instanceId, id(PROTECTED))).link).toBeUndefined();
  expect(await links.claimant(world.instanceId, world.identityUserIds[1] ?? '')).toBe(id(1));
});

it('a second run finds them linked: nothing to write, the two refused ones reported again', async () => {
  const again = await reconcile([]);

  expect(again.lines.filter((l) => l.type === 'plan')).toEqual([]);
  expect(again.summary).toMatchObject({ linkWrites: 0, adoption: { matched: 0, linkOnly: 0, toWrite: 0 } });
});

it('refuses a link write the link table forbids (a tombstone): nothing is written, the sync decides', async () => {
  const links = linkStoreAdapter(new DynamoDBClient({ endpoint: emulator.endpoint, region: emulator.region }), world.linksTable);
  const at = new Date().toISOString();
  const free = world.identityUserIds[MISMATCH] ?? '';
  await links.tombstone(world.instanceId, 'c-gone', at);

  const result = await links.adopt({ instanceId: world.instanceId, connectUserId: 'c-gone', identityUserId: free, groupIds: [], createdAt: at, updatedAt: at });

  expect(result).toBe('refused');
  expect(await links.claimant(world.instanceId, free)).toBeUndefined();
  expect(await links.adopt({ instanceId: world.instanceId, connectUserId: 'c-other', identityUserId: world.identityUserIds[1] ?? '', groupIds: [], createdAt: at, updatedAt: at })).toBe('refused');
  expect(await links.claimant(world.instanceId, world.identityUserIds[1] ?? '')).toBe(world.connectUserIds[1]);
});

it('a mismatched identity taken out of its group is still not touched: no sync adds it back', async () => {
  await identity.send(new DeleteGroupMembershipCommand({
    IdentityStoreId: world.identityStoreId,
    MembershipId: (await identity.send(new GetGroupMembershipIdCommand({ IdentityStoreId: world.identityStoreId, GroupId: world.groupIds.ConnectAgents ?? '', MemberId: { UserId: world.identityUserIds[MISMATCH] ?? '' } }))).MembershipId,
  }));
  const run = await reconcile(['--apply']);

  expect(run.lines.filter((l) => l.type === 'result' && l.subject === world.connectUserIds[MISMATCH])).toEqual([]);
  expect(await inGroup(world.groupIds.ConnectAgents ?? '', world.identityUserIds[MISMATCH] ?? '')).toBe(false);
});
