/**
 * Confirm before you destroy, never amplify (issue 14), end to end: the real handler behind the deployed rule's
 * pattern on the emulator, with the link table on dynalite. A refused or forged DeleteUser takes nothing from a live
 * agent; the scheduled reconcile deprovisions a leaver on its first run and sends a permanent failure to the
 * dead-letter queue once, however often it runs.
 */
import { deleteAgent } from '../../local/admin.js';
import type { Pipeline } from '../../local/pipeline.js';
import { eventFor, groupsByUser, linksOf, sendToSyncQueue } from '../support/lifecycle.js';
import { createConnectUser, deadLetters, errorCodes, identityCenter, person, pipelinesFor } from '../support/pipeline.js';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const pipeline = pipelinesFor();

/** Two live agents, synced. */
async function twoAgents(p: Pipeline) {
  const maria = await createConnectUser(p, 'maria@example.com', person('Maria', 'Garcia'));
  const omar = await createConnectUser(p, 'omar@example.com', person('Omar', 'Haddad'));
  await p.drain();
  return { maria, omar };
}

describe.each(['membership', 'delete'] as const)('DEPROVISION=%s', (deprovision) => {
  it('a refused DeleteUser and a forged one leave both live agents in every group, their identities and links intact', async () => {
    const p = await pipeline({ syncEnv: { DEPROVISION: deprovision }, maxReceiveCount: 2 });
    const { maria, omar } = await twoAgents(p);
    const before = identityCenter(p).userNames;

    // Anyone in the account may try DeleteUser without the permission: CloudTrail records the refusal.
    const refused = p.emulator.recordRefusedCall({ operation: 'DeleteUser', instanceId: p.ids.instanceId, userId: maria });
    // A principal with sqs:SendMessage puts a DeleteUser event of its own making on the queue.
    await sendToSyncQueue(p, eventFor(p, 'delete-user', omar));
    // And the refused call itself, as if the rule had let it through: the function ignores it too.
    await sendToSyncQueue(p, refused);
    await p.drain();

    expect(identityCenter(p).userNames).toEqual(before);
    expect(groupsByUser(p)).toEqual({ 'maria@example.com': ['ConnectAgents'], 'omar@example.com': ['ConnectAgents'] });
    const { links, tombstones } = await linksOf(p);
    expect([...links.keys()].sort()).toEqual([maria, omar].sort());
    expect(tombstones.size).toBe(0);
    expect(p.bus.stats.unmatched).toBeGreaterThanOrEqual(1);
    // The forged deletion is worth an operator's look; the refused call is ignored with its reason.
    expect(errorCodes(deadLetters(p))).toEqual(['DELETE_NOT_CONFIRMED']);
  });

  it('a real deletion still deprovisions, and leaves a tombstone', async () => {
    const p = await pipeline({ syncEnv: { DEPROVISION: deprovision } });
    const { maria } = await twoAgents(p);

    await deleteAgent(p.adminConnect, p.ids.instanceId, maria);
    await p.drain();

    expect(groupsByUser(p)).toEqual({ 'omar@example.com': ['ConnectAgents'] });
    expect(identityCenter(p).userNames).toEqual(deprovision === 'delete' ? ['omar@example.com'] : ['maria@example.com', 'omar@example.com']);
    const { links, tombstones } = await linksOf(p);
    expect(links.has(maria)).toBe(false);
    expect(tombstones).toEqual(new Set([maria]));
    expect(deadLetters(p)).toEqual([]);
  });
});

it('three scheduled reconcile runs: the leaver is deprovisioned on the first, a permanent failure reaches the dead-letter queue once', async () => {
  const p = await pipeline();
  const { maria } = await twoAgents(p);
  // Events that never arrived: a user without email created, and Maria deleted.
  p.bus.stop();
  const night = await createConnectUser(p, 'night_shift_07', person('Night', 'Shift'));
  await deleteAgent(p.adminConnect, p.ids.instanceId, maria);
  const saved = { ...process.env };
  Object.assign(process.env, p.env, { POWERTOOLS_METRICS_DISABLED: 'true' });
  let run: (() => Promise<{ queued: number; knownFailures: number }>) | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    run = (require('../../functions/reconcile/handler') as { scheduledReconcile: typeof run }).scheduledReconcile;
  });

  const runs: { queued: number; knownFailures: number }[] = [];
  const dlqAfter: number[] = [];
  const groupsAfterFirst: Record<string, string[]>[] = [];
  try {
    for (let i = 0; i < 3; i += 1) {
      runs.push((await run?.()) ?? { queued: -1, knownFailures: -1 });
      await p.drain();
      dlqAfter.push(deadLetters(p).length);
      groupsAfterFirst.push(groupsByUser(p));
    }
  } finally {
    process.env = saved;
  }

  expect(runs.map((r) => r.queued)).toEqual([2, 0, 0]);
  expect(runs.map((r) => r.knownFailures)).toEqual([0, 1, 1]);
  expect(dlqAfter).toEqual([1, 1, 1]);
  expect(errorCodes(deadLetters(p))).toEqual(['NO_EMAIL']);
  expect(groupsAfterFirst[0]).toEqual({ 'omar@example.com': ['ConnectAgents'] });
  const { failures } = await linksOf(p);
  expect(failures.get(night)).toBe('NO_EMAIL');
});
