/**
 * The fault run: 1,000 Connect users created in a burst, then 20% of them updated and 20% deleted, while the emulator
 * throttles 20% and fails 5% of the Connect, Identity Store, SSO Admin and DynamoDB calls, reads lag behind writes,
 * and EventBridge delivers 10% of the events twice. AWS's rate limits are enforced (at 20x speed: limits 20x faster,
 * SQS and Lambda timeouts 20x shorter). Among the deletions, 10% more DeleteUser events name live users: half refused
 * calls (CloudTrail records them with errorCode), half forged messages put straight on the queue. Nothing may be lost
 * or duplicated, every deleted user must be out of every managed group, no live agent may lose access, and no Identity
 * Center user that existed before may be modified.
 */
import { deleteAgent, updateIdentityInfo } from '../../local/admin.js';
import { startPipeline, type Pipeline } from '../../local/pipeline.js';
import { eventFor, linksOf, sendToSyncQueue } from '../support/lifecycle.js';
import { createConnectUser, deadLetters, identityCenter, person, tenAtATime } from '../support/pipeline.js';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const USERS = 1000;
const PREEXISTING = 50;
const faults = { throttleRate: 0.2, errorRate: 0.05 };
const name = (i: number) => `agent${String(i).padStart(4, '0')}`;
const email = (i: number) => `${name(i)}@example.com`;
// Every fifth user is updated, every fifth (shifted) deleted: 20% each, disjoint.
const updated = (i: number) => i % 5 === 1;
const deleted = (i: number) => i % 5 === 3;
// Live users named by a DeleteUser that deleted nobody (10% of the deletions): refused calls and forged messages.
const falselyDeleted = (i: number) => i % 50 === 0;
const forged = (i: number) => i % 100 === 0;
// People already in Identity Center (same email, another user name), half of them then updated, half deleted.
const preexisting = Array.from({ length: PREEXISTING / 2 }, (_, k) => [k * 20 + 1, k * 20 + 3]).flat();

let p: Pipeline;
const ids: string[] = [];
let before: Map<string, unknown>;

beforeAll(async () => {
  p = await startPipeline({
    speed: 20,
    duplicateRate: 0.1,
    emulator: {
      seed: 42,
      faults: { operations: { connect: faults, identitystore: faults, 'sso-admin': faults, dynamodb: faults } },
      consistency: { readLagMs: 5 },
    },
    identityCenter: { users: preexisting.map((i) => ({ userName: `hr-${name(i)}`, givenName: 'Pre', familyName: 'Existing', email: email(i) })) },
  });
  before = new Map(identityCenter(p).users.map((u) => [String(u.UserId), u]));
  const all = Array.from({ length: USERS }, (_, i) => i);
  await tenAtATime(all, async (i) => {
    ids[i] = await createConnectUser(p, email(i), person(name(i), 'Agent'));
  });
  await p.drain(420_000);
  await tenAtATime(all.filter((i) => updated(i) || deleted(i) || falselyDeleted(i)), async (i) => {
    const id = ids[i] ?? '';
    if (forged(i)) return sendToSyncQueue(p, eventFor(p, 'delete-user', id));
    if (falselyDeleted(i)) return p.emulator.recordRefusedCall({ operation: 'DeleteUser', instanceId: p.ids.instanceId, userId: id });
    if (deleted(i)) return deleteAgent(p.adminConnect, p.ids.instanceId, id);
    return updateIdentityInfo(p.adminConnect, p.ids.instanceId, id, person(name(i), 'Renamed'));
  });
  await p.drain(420_000);
}, 900_000);

afterAll(() => p.stop());

const dlqUsers = () =>
  new Set(
    deadLetters(p).map((m) => {
      const detail = (JSON.parse(m.body) as { detail: { requestParameters: { UserId?: string; Username?: string }; responseElements?: { UserId?: string } } }).detail;
      return detail.requestParameters.UserId ?? detail.responseElements?.UserId ?? detail.requestParameters.Username ?? '';
    }),
  );

it('accounts for every user: synced, or dead-lettered with a reason; nothing is lost', async () => {
  const { links } = await linksOf(p);
  const parked = dlqUsers();
  const kept = Array.from({ length: USERS }, (_, i) => i).filter((i) => !deleted(i));

  const unaccounted = kept.filter((i) => !links.has(ids[i] ?? '') && !parked.has(ids[i] ?? '') && !parked.has(email(i)));
  expect(unaccounted).toEqual([]);
  for (const message of deadLetters(p)) expect(message.messageAttributes.errorCode?.StringValue).toMatch(/^[A-Z_]+$/);
});

it('creates no duplicate Identity Center user or membership', () => {
  const ic = identityCenter(p);

  expect(new Set(ic.userNames).size).toBe(ic.userNames.length);
  expect(ic.userNames).toHaveLength(USERS); // 950 created, 50 linked, none deleted (DEPROVISION=membership)
  expect(new Set(ic.memberships.map((m) => `${m.GroupId}|${m.UserId}`)).size).toBe(ic.memberships.length);
  expect(ic.groups).toEqual(['ConnectAgents']);
});

it('takes every deleted user out of every managed group, and forgets its link unless its deletion was dead-lettered', async () => {
  const { links } = await linksOf(p);
  const parked = dlqUsers();
  const members = new Set(identityCenter(p).memberships.map((m) => m.userName));
  const gone = Array.from({ length: USERS }, (_, i) => i).filter(deleted);

  expect(gone.filter((i) => members.has(email(i)) || members.has(`hr-${name(i)}`))).toEqual([]);
  // A deletion that ran out of receives (its record parked with a reason, to be replayed) may leave the link behind.
  expect(gone.filter((i) => links.has(ids[i] ?? '') && !parked.has(ids[i] ?? ''))).toEqual([]);
});

it('deprovisions no live agent on a refused or forged DeleteUser: each keeps its group and its link', async () => {
  const { links } = await linksOf(p);
  const members = new Set(identityCenter(p).memberships.map((m) => m.userName));
  const live = Array.from({ length: USERS }, (_, i) => i).filter(falselyDeleted);

  expect(live).toHaveLength(USERS / 50);
  expect(live.filter((i) => !members.has(email(i)) || !links.has(ids[i] ?? ''))).toEqual([]);
  // The forged ones were worth an operator's look: each parked as DELETE_NOT_CONFIRMED (or, having run out of receives
  // on a transient fault, with that fault's code); the refused calls never reached the queue.
  const deletionsOf = (users: number[]) =>
    deadLetters(p).filter((m) => m.body.includes('"eventName":"DeleteUser"') && users.some((i) => m.body.includes(ids[i] ?? '-')));
  const parked = deletionsOf(live.filter(forged));
  expect(parked).toHaveLength(live.filter(forged).length);
  const transient = parked.filter((m) => m.messageAttributes.errorCode?.StringValue !== 'DELETE_NOT_CONFIRMED');
  expect(transient.filter((m) => !m.messageAttributes.errorMessage?.StringValue?.startsWith('gave up after'))).toEqual([]);
  expect(deletionsOf(live.filter((i) => !forged(i)))).toEqual([]);
});

/** The UpdateUserIdentityInfo events parked in sync-dlq: Connect user id -> errorCode ('(redriven)' when SQS moved it). */
const parkedUpdates = () =>
  new Map(
    deadLetters(p)
      .filter((m) => m.body.includes('"eventName":"UpdateUserIdentityInfo"'))
      .map((m) => {
        const detail = (JSON.parse(m.body) as { detail: { requestParameters: { UserId?: string } } }).detail;
        return [detail.requestParameters.UserId ?? '', m.messageAttributes.errorCode?.StringValue ?? '(redriven)'] as const;
      }),
  );

/**
 * Issue 23: a correction once went missing (user 956) while the accounting test passed. Each update is now either
 * applied or found parked in sync-dlq with its reason: which one is the case, the failure output names per user. An
 * update neither applied nor parked would be a lost update (`lost` below), a product bug, not a test gap.
 */
it('follows every update into the identities it created, or parks it with its reason: an update is never lost', () => {
  const users = identityCenter(p).users;
  const byName = new Map(users.map((u) => [String(u.UserName), u]));
  const renamed = Array.from({ length: USERS }, (_, i) => i).filter((i) => updated(i) && !preexisting.includes(i));
  const parked = parkedUpdates();

  const notFollowed = renamed.filter((i) => byName.get(email(i))?.DisplayName !== `${name(i)} Renamed`);
  const outcome = (i: number) => ({ user: i, parked: parked.get(ids[i] ?? '') ?? 'lost' });
  expect(notFollowed.map(outcome).filter((o) => o.parked === 'lost')).toEqual([]);
  // Parking is the exception: the run is not green by parking the updates instead of applying them.
  expect(notFollowed.length).toBeLessThan(renamed.length / 10);
});

it('never modifies a pre-existing Identity Center user', () => {
  const users = identityCenter(p).users;

  for (const [id, original] of before) expect(users.find((u) => String(u.UserId) === id)).toEqual(original);
});

it('really injected the faults and the duplicates it claims to survive', () => {
  const counts = p.emulator.counters.snapshot();
  // Injected (a seeded draw per call: 20% throttled, 5% failed), so counted whatever the machine's speed. How often the
  // rate limits refused a call (`throttled`) depends on how fast the calls came, and is not asserted.
  const faulted = Object.values(counts).reduce((n, c) => n + c.faulted, 0);

  expect(faulted).toBeGreaterThan(USERS * 2);
  expect(p.poller.stats.records).toBeGreaterThan(USERS * 1.4 * 1.05);
});
