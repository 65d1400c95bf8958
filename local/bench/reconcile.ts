/**
 * Reconcile at scale, with AWS's rate limits enforced (scaled) on the emulator, converted to real time: an instance in
 * sync, the same with 1% drift of each kind, and the first run after an upgrade (no links yet). The reconcile runs in
 * a child process, so its peak memory is its own.
 */
import { DeleteGroupMembershipCommand, GetGroupMembershipIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { ConnectClient } from '@aws-sdk/client-connect';
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { deleteAgent, updateSecurityProfiles } from '../admin.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { seedWorld, type World } from '../reconcile-world.js';
import { apiList, inBatches, out, productCalls, throttled, type Calls } from './common.js';

const CHILD = join(__dirname, 'reconcile-child.ts');

async function child(emulator: Emulator, world: World, args: string[]) {
  const env = { ...process.env, ...emulator.env(), ...world.env, POWERTOOLS_LOG_LEVEL: 'SILENT' };
  return new Promise<{ code: number; seconds: number; peakRssMb: number }>((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    proc.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', () => {
      try {
        resolve(JSON.parse(text.trim().split('\n').pop() ?? '') as { code: number; seconds: number; peakRssMb: number });
      } catch {
        reject(new Error(`reconcile child printed no result: ${text}`));
      }
    });
  });
}

/**
 * The time AWS's limits alone impose on these calls: Connect 2/s per API, Identity Store 20/s per API, SSO Admin 20/s
 * together (DynamoDB on demand: none), the busiest one binding. The wall time here, multiplied by the scale, is an
 * upper bound: it also multiplies the emulator's own CPU time, which AWS does not have.
 */
function floorSeconds(calls: Calls): number {
  const perApi = Object.entries(calls.byApi).map(([api, n]) => (api.startsWith('connect:') ? n / 2 : api.startsWith('identitystore:') ? n / 20 : 0));
  return Math.max(calls['sso-admin'] / 20, ...perApi);
}

async function run(label: string, emulator: Emulator, world: World, scale: number, args: string[]) {
  emulator.counters.reset();
  const result = await child(emulator, world, ['--rate', String(2 * scale), '--concurrency', '16', ...args]);
  const calls = productCalls(emulator);
  out(`  ${label}: ${calls.total} AWS calls; floor at AWS's real limits ${floorSeconds(calls).toFixed(0)} s; ${result.seconds.toFixed(1)} s here at ${scale}x (x${scale} = ${(result.seconds * scale).toFixed(0)} s, an upper bound); peak RSS ${result.peakRssMb} MB; throttled ${throttled(emulator)}; exit ${result.code}`);
  out(`    ${apiList(calls)}`);
  return calls;
}

type DriftKind = 'missing-link' | 'deleted' | 'missing-membership' | 'promotion';
const KINDS: readonly DriftKind[] = ['missing-link', 'deleted', 'missing-membership', 'promotion'];

/** 1% of the users drifted by one kind, each a missed event: no link, deleted in Connect, a membership removed, a promotion. */
async function driftOf(emulator: Emulator, world: World, users: number, kind: DriftKind): Promise<void> {
  const every = 100;
  const offset = KINDS.indexOf(kind) + 1;
  const picks = Array.from({ length: users / every }, (_, k) => k * every + offset);
  const credentials = { accessKeyId: emulator.env().AWS_ACCESS_KEY_ID ?? '', secretAccessKey: emulator.env().AWS_SECRET_ACCESS_KEY ?? '' };
  const client = { endpoint: emulator.endpoint, region: emulator.region, credentials, maxAttempts: 20 };
  const ddb = new DynamoDBClient(client);
  const identity = new IdentitystoreClient(client);
  const connect = new ConnectClient(client);
  if (kind === 'missing-link') {
    for (let i = 0; i < picks.length; i += 25) {
      const keys = picks.slice(i, i + 25).map((n) => ({ DeleteRequest: { Key: { pk: { S: world.instanceId }, sk: { S: `user#${world.connectUserIds[n]}` } } } }));
      await ddb.send(new BatchWriteItemCommand({ RequestItems: { [world.linksTable]: keys } }));
    }
  }
  if (kind === 'deleted') await inBatches(picks, (n) => deleteAgent(connect, world.instanceId, world.connectUserIds[n] ?? ''));
  if (kind === 'missing-membership') {
    await inBatches(picks, async (n) => {
      const out = await identity.send(new GetGroupMembershipIdCommand({ IdentityStoreId: world.identityStoreId, GroupId: world.groupIds.ConnectAgents ?? '', MemberId: { UserId: world.identityUserIds[n] ?? '' } }));
      await identity.send(new DeleteGroupMembershipCommand({ IdentityStoreId: world.identityStoreId, MembershipId: out.MembershipId }));
    });
  }
  if (kind === 'promotion') await inBatches(picks, (n) => updateSecurityProfiles(connect, world.instanceId, world.connectUserIds[n] ?? '', ['CallCenterManager']));
  for (const c of [ddb, identity, connect]) c.destroy();
}

/**
 * Where the drift's calls go: each kind alone on 1% of `users`, applied, less the calls of the same run in sync (the
 * listings), per drifted user and by API.
 */
async function perKind(emulator: Emulator, world: World, users: number, scale: number, inSync: Calls): Promise<void> {
  for (const kind of KINDS) {
    await driftOf(emulator, world, users, kind);
    emulator.counters.reset();
    await child(emulator, world, ['--rate', String(2 * scale), '--concurrency', '16', '--apply']);
    const calls = productCalls(emulator);
    const drifted = users / 100;
    const extra = Object.entries(calls.byApi)
      .map(([api, n]) => [api, (n - (inSync.byApi[api] ?? 0)) / drifted] as const)
      .filter(([, n]) => n > 0)
      .map(([api, n]) => `${api} ${n.toFixed(2)}`);
    out(`    per ${kind} user: ${((calls.total - inSync.total) / drifted).toFixed(2)} calls (${extra.join(', ')})`);
  }
}

export async function reconcileAtScale(users: number, scale: number): Promise<void> {
  out('');
  out(`Reconcile, AWS rate limits enforced at ${scale}x (Connect 2/s per API -> ${2 * scale}/s, Identity Store 20/s per API), 3 managed groups`);
  for (const n of [...new Set([1000, users])]) {
    const emulator = await startEmulator({ rateLimits: { enabled: true, scale } });
    Object.assign(process.env, emulator.env());
    const world = await seedWorld(emulator, n);
    const inSync = await run(`${n} users, all in sync (dry run)`, emulator, world, scale, []);
    if (n !== users) await perKind(emulator, world, n, scale, inSync);
    if (n === users) {
      for (const kind of KINDS) await driftOf(emulator, world, n, kind);
      await run(`${n} users, 1% drift of each kind (--apply)`, emulator, world, scale, ['--apply']);
      await run(`${n} users, after the fix (dry run)`, emulator, world, scale, []);
    }
    await emulator.stop();
  }
  for (const saml of [true, false]) {
    const emulator = await startEmulator({ rateLimits: { enabled: true, scale: scale * 5 } });
    Object.assign(process.env, emulator.env());
    const world = await seedWorld(emulator, users, { links: false, saml, inGroups: (i) => i % 2 === 0 });
    const label = `${users} existing agents, first run on a ${saml ? 'SAML' : 'non-SAML (CONNECT_MANAGED)'} instance: all in Identity Center, half in their groups, no links (--apply)`;
    const calls = await run(label, emulator, world, scale * 5, ['--apply']);
    out(`    ${(rateLimited(calls) / users).toFixed(2)} rate-limited call(s) per user; per-user Connect calls ${calls.byApi['connect:DescribeUser'] ?? 0}`);
    await emulator.stop();
  }
}

/** Calls that count against an AWS rate limit (Connect, Identity Store, SSO Admin; DynamoDB on demand and STS do not). */
const rateLimited = (calls: Calls) => calls.connect + calls.identitystore + calls['sso-admin'];
