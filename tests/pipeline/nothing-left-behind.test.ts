/**
 * Nothing left behind, nothing stuck (issue 21), end to end: the real handler behind the deployed rule's pattern on the
 * emulator, the link table on dynalite. A sync that dies half-way (the documented first-deploy failure: the
 * application refuses API assignments, after the membership was written) leaves nothing to a leaver: the DeleteUser
 * event, or the scheduled reconcile when that event is lost, takes the membership back (and deletes the identity the
 * service created, with DEPROVISION=delete). A re-created agent (same email, new Connect id) gets in whatever the order
 * of the two events. A protected leaver reaches the dead-letter queue once, however often reconcile runs.
 */
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateGroupMembershipCommand, DeleteUserCommand, GetGroupIdCommand, GetUserIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { main } from '../../cli/main.js';
import { deleteAgent } from '../../local/admin.js';
import { recordingIo } from '../unit/cli/io-helpers.js';
import type { Pipeline } from '../../local/pipeline.js';
import { eventFor, groupsByUser, linksOf, sendToSyncQueue } from '../support/lifecycle.js';
import { createConnectUser, deadLetters, errorCodes, identityCenter, person, pipelinesFor } from '../support/pipeline.js';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const pipeline = pipelinesFor();
const MARIA = person('Maria', 'Garcia');

type Summary = { queued: number; knownFailures: number; drift: Record<string, number> };

/** The scheduled reconcile function over this pipeline (its module loaded with the pipeline's environment). */
async function scheduledRuns(p: Pipeline, runs: number): Promise<{ summaries: Summary[]; dlqAfter: number[] }> {
  const saved = { ...process.env };
  Object.assign(process.env, p.env, { POWERTOOLS_METRICS_DISABLED: 'true' });
  let run: (() => Promise<Summary>) | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    run = (require('../../functions/reconcile/handler') as { scheduledReconcile: typeof run }).scheduledReconcile;
  });
  const summaries: Summary[] = [];
  const dlqAfter: number[] = [];
  try {
    for (let i = 0; i < runs; i += 1) {
      summaries.push((await run?.()) ?? { queued: -1, knownFailures: -1, drift: {} });
      await p.drain();
      dlqAfter.push(deadLetters(p).length);
    }
  } finally {
    process.env = saved;
  }
  return { summaries, dlqAfter };
}

describe.each(['membership', 'delete'] as const)('a sync that died at the assignment, after its membership (DEPROVISION=%s)', (deprovision) => {
  const halfWay = async () => {
    const p = await pipeline({ syncEnv: { DEPROVISION: deprovision }, applicationSupportsApiAssignments: false, maxReceiveCount: 2 });
    const maria = await createConnectUser(p, 'maria@example.com', MARIA);
    await p.drain();
    return { p, maria };
  };

  it('leaves a claim and a membership, no link', async () => {
    const { p, maria } = await halfWay();

    const { links, claims } = await linksOf(p);
    expect(errorCodes(deadLetters(p))).toEqual(['ASSIGNMENT_UNSUPPORTED']);
    expect(links.has(maria)).toBe(false);
    expect([...claims.values()]).toEqual([maria]);
    expect(groupsByUser(p)).toEqual({ 'maria@example.com': ['ConnectAgents'] });
  });

  it('is taken back by the DeleteUser event: no leaver keeps access, the identity the service created goes with DEPROVISION=delete', async () => {
    const { p, maria } = await halfWay();

    await deleteAgent(p.adminConnect, p.ids.instanceId, maria);
    await p.drain();

    const { claims, tombstones } = await linksOf(p);
    expect(groupsByUser(p)).toEqual({});
    expect(identityCenter(p).userNames).toEqual(deprovision === 'delete' ? [] : ['maria@example.com']);
    expect(claims.size).toBe(0);
    expect(tombstones).toEqual(new Set([maria]));
    expect(errorCodes(deadLetters(p))).toEqual(['ASSIGNMENT_UNSUPPORTED']);
  });

  it('is taken back by the scheduled reconcile when the DeleteUser event was lost, once', async () => {
    const { p, maria } = await halfWay();
    p.bus.stop();
    await deleteAgent(p.adminConnect, p.ids.instanceId, maria);

    const { summaries } = await scheduledRuns(p, 2);

    expect(summaries.map((s) => s.drift['deleted-connect-user'])).toEqual([1, 0]);
    expect(groupsByUser(p)).toEqual({});
    expect(identityCenter(p).userNames).toEqual(deprovision === 'delete' ? [] : ['maria@example.com']);
    expect((await linksOf(p)).claims.size).toBe(0);
  });

  it('`user <id>` shows what is left and `user <id> --apply` takes it back when the DeleteUser event was lost', async () => {
    const { p, maria } = await halfWay();
    p.bus.stop();
    await deleteAgent(p.adminConnect, p.ids.instanceId, maria);
    const saved = { ...process.env };
    const user = async (...args: string[]) => {
      const io = recordingIo(p.env);
      const code = await main(['user', ...args], io);
      return { code, out: io.stdout.join('\n') };
    };

    let shown: Awaited<ReturnType<typeof user>>;
    let applied: Awaited<ReturnType<typeof user>>;
    try {
      shown = await user(maria);
      applied = await user(maria, '--apply');
    } finally {
      process.env = saved;
    }

    expect(shown.out).toContain('CONNECT_USER_GONE');
    expect(shown.out).toContain('remove from ConnectAgents');
    expect(shown.out).not.toContain('nothing of it is left');
    // The verdict after says the deletion is done (its exit code: this Connect user cannot sign in, by design).
    expect(applied.out).toContain(`Applied (deprovision): ${deprovision === 'delete' ? 'deleted' : 'deprovisioned'}`);
    expect(applied.out).toMatch(/Verdict now: cannot sign in: DELETED: deleted in Connect \(confirmed [^)]*\); nothing of it is left to remove/);
    expect(groupsByUser(p)).toEqual({});
    expect(identityCenter(p).userNames).toEqual(deprovision === 'delete' ? [] : ['maria@example.com']);
  });
});

describe('an application that refuses API assignments, however often the scheduled reconcile runs', () => {
  it('queues the group assignment no more while a sync remembers the refusal: one ASSIGNMENT_UNSUPPORTED, tried again once its back-off is over', async () => {
    const p = await pipeline({ applicationSupportsApiAssignments: false, maxReceiveCount: 2 });
    const maria = await createConnectUser(p, 'maria@example.com', MARIA);
    await p.drain();
    const assignments = () => p.emulator.counters.get('sso-admin:CreateApplicationAssignment').total;
    const before = assignments();

    const held = await scheduledRuns(p, 3);
    expect(errorCodes(deadLetters(p))).toEqual(['ASSIGNMENT_UNSUPPORTED']);
    expect(held.dlqAfter).toEqual([1, 1, 1]);
    expect(held.summaries.map((s) => s.queued)).toEqual([0, 0, 0]);
    expect(assignments()).toBe(before);

    // The back-off over: the sync and the group's assignment are each tried once more; the group's refusal is new in
    // the queue, the sync's is the one already there (not dead-lettered again); then both wait again.
    await ageFailure(p, maria, 2);
    const retried = await scheduledRuns(p, 2);
    expect(retried.summaries.map((s) => s.queued)).toEqual([2, 0]);
    expect(retried.dlqAfter).toEqual([2, 2]);
    expect(errorCodes(deadLetters(p))).toEqual(['ASSIGNMENT_UNSUPPORTED', 'ASSIGNMENT_UNSUPPORTED']);
  });
});

describe('a re-created agent: deleted, then created again with the same email', () => {
  /** Maria synced; the bus stopped (events sent by hand); Maria deleted and created again under a new id. */
  async function recreated(deprovision: 'membership' | 'delete') {
    const p = await pipeline({ syncEnv: { DEPROVISION: deprovision } });
    const old = await createConnectUser(p, 'maria@example.com', MARIA);
    await p.drain();
    p.bus.stop();
    await deleteAgent(p.adminConnect, p.ids.instanceId, old);
    const again = await createConnectUser(p, 'maria@example.com', MARIA);
    return { p, old, again };
  }

  const expectIn = async (p: Pipeline, again: string) => {
    const { links } = await linksOf(p);
    expect([...links.keys()]).toEqual([again]);
    expect(identityCenter(p).agents).toEqual(['maria@example.com']);
    expect(deadLetters(p)).toEqual([]);
  };

  it.each(['membership', 'delete'] as const)('CreateUser first, DeleteUser after (DEPROVISION=%s): the claim is handed over', async (deprovision) => {
    const { p, old, again } = await recreated(deprovision);

    await sendToSyncQueue(p, eventFor(p, 'create-user', again));
    await p.drain();
    await sendToSyncQueue(p, eventFor(p, 'delete-user', old));
    await p.drain();

    await expectIn(p, again);
  });

  it('both in one batch, in either order', async () => {
    for (const order of ['create-first', 'delete-first']) {
      const { p, old, again } = await recreated('membership');
      const events = [eventFor(p, 'create-user', again), eventFor(p, 'delete-user', old)];
      for (const event of order === 'create-first' ? events : events.reverse()) await sendToSyncQueue(p, event);
      await p.drain();

      await expectIn(p, again);
    }
  });

  it('the DeleteUser lost: the CreateUser alone gets the new agent in', async () => {
    const { p, again } = await recreated('membership');

    await sendToSyncQueue(p, eventFor(p, 'create-user', again));
    await p.drain();

    await expectIn(p, again);
  });
});

/** Runs `work` with an Identity Store client of the pipeline. */
async function withIdentityStore<T>(p: Pipeline, work: (client: IdentitystoreClient, IdentityStoreId: string) => Promise<T>): Promise<T> {
  const client = new IdentitystoreClient({ endpoint: p.emulator.endpoint, region: p.emulator.region });
  try {
    return await work(client, p.ids.identityStoreId);
  } finally {
    client.destroy();
  }
}

const userIdOf = (client: IdentitystoreClient, IdentityStoreId: string, userName: string) =>
  client
    .send(new GetUserIdCommand({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: userName } } }))
    .then((out) => out.UserId ?? '');

/** Moves the remembered sync failure's last attempt `hours` back: the back-off counts from there. */
async function ageFailure(p: Pipeline, connectUserId: string, hours: number) {
  const client = new DynamoDBClient({ endpoint: p.emulator.endpoint, region: p.emulator.region });
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: p.ids.linksTable,
        Key: { pk: { S: p.ids.instanceId }, sk: { S: `user#${connectUserId}` } },
        UpdateExpression: 'SET failure.lastAt = :at',
        ExpressionAttributeValues: { ':at': { S: new Date(Date.now() - hours * 3_600_000).toISOString() } },
      }),
    );
  } finally {
    client.destroy();
  }
}

it('a protected leaver: PROTECTED_IDENTITY reaches the dead-letter queue once over three scheduled runs', async () => {
  const p = await pipeline({ syncEnv: { PROTECTED_GROUPS: 'Admins' }, identityCenter: { groups: [{ displayName: 'Admins' }] } });
  const maria = await createConnectUser(p, 'maria@example.com', MARIA);
  await p.drain();
  await withIdentityStore(p, async (client, IdentityStoreId) => {
    const group = await client.send(new GetGroupIdCommand({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'Admins' } } }));
    const UserId = await userIdOf(client, IdentityStoreId, 'maria@example.com');
    await client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: group.GroupId, MemberId: { UserId } }));
  });
  await deleteAgent(p.adminConnect, p.ids.instanceId, maria);
  await p.drain();

  const { summaries, dlqAfter } = await scheduledRuns(p, 3);

  expect(dlqAfter).toEqual([1, 1, 1]);
  expect(errorCodes(deadLetters(p))).toEqual(['PROTECTED_IDENTITY']);
  expect(summaries.map((s) => [s.queued, s.knownFailures])).toEqual([[0, 1], [0, 1], [0, 1]]);
  expect(groupsByUser(p)['maria@example.com']).toEqual(['Admins', 'ConnectAgents']);
});

it('an AMBIGUOUS_MATCH fixed in Identity Center heals after its back-off; a retry failing the same way adds no dead letter', async () => {
  // One person has the email, another the Connect Username as UserName.
  const p = await pipeline({
    identityCenter: {
      users: [
        { userName: 'hr-maria', givenName: 'Maria', familyName: 'Garcia', email: 'maria@example.com' },
        { userName: 'maria@example.com', givenName: 'Other', familyName: 'Person', email: 'other@example.com' },
      ],
    },
  });
  const maria = await createConnectUser(p, 'maria@example.com', MARIA);
  await p.drain();
  p.bus.stop();

  const within = await scheduledRuns(p, 1);
  await ageFailure(p, maria, 1.5);
  const retried = await scheduledRuns(p, 1);
  await withIdentityStore(p, async (client, IdentityStoreId) =>
    client.send(new DeleteUserCommand({ IdentityStoreId, UserId: await userIdOf(client, IdentityStoreId, 'maria@example.com') })),
  );
  const waiting = await scheduledRuns(p, 1);
  await ageFailure(p, maria, 2.5);
  const healed = await scheduledRuns(p, 1);

  expect([within, retried, waiting, healed].map((r) => r.summaries[0]?.knownFailures)).toEqual([1, 0, 1, 0]);
  expect(errorCodes(deadLetters(p))).toEqual(['AMBIGUOUS_MATCH']);
  expect((await linksOf(p)).links.has(maria)).toBe(true);
  expect(groupsByUser(p)).toEqual({ 'hr-maria': ['ConnectAgents'] });
});
