/**
 * The fault run: 1,000 Connect users created in a burst while the emulator throttles 20% and fails 5% of the
 * Connect, Identity Store and SSO Admin calls, and EventBridge delivers 10% of the events twice. AWS's rate limits
 * are enforced (at 20x speed: limits 20x faster, SQS and Lambda timeouts 20x shorter). Nothing may be lost or duplicated.
 */
import { startPipeline, type Pipeline } from '../../local/pipeline.js';
import { createConnectUser, deadLetters, identityCenter, person } from '../support/pipeline.js';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const USERS = 1000;
const faults = { throttleRate: 0.2, errorRate: 0.05 };
let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline({
    speed: 20,
    duplicateRate: 0.1,
    emulator: { seed: 42, faults: { operations: { connect: faults, identitystore: faults, 'sso-admin': faults } } },
  });
  const names = Array.from({ length: USERS }, (_, i) => `agent${String(i).padStart(4, '0')}`);
  // The admin's bulk upload: ten uploads at a time, the SDK retrying Connect's throttling.
  for (let i = 0; i < names.length; i += 10) {
    await Promise.all(names.slice(i, i + 10).map((n) => createConnectUser(p, `${n}@example.com`, person(n, 'Agent', `${n}@example.com`))));
  }
  await p.drain(420_000);
}, 600_000);

afterAll(() => p.stop());

it('syncs every user or dead-letters it with a reason: nothing is lost', () => {
  const agents = new Set(identityCenter(p).agents);
  const parked = deadLetters(p).map((m) => JSON.parse(m.body).detail.requestParameters.Username as string);

  const accounted = Array.from({ length: USERS }, (_, i) => `agent${String(i).padStart(4, '0')}@example.com`).filter(
    (u) => agents.has(u) || parked.includes(u),
  );
  expect(accounted).toHaveLength(USERS);
  for (const message of deadLetters(p)) {
    expect(message.messageAttributes.errorCode?.StringValue ?? 'redriven after retries').toMatch(/^[A-Z_]+$|redriven/);
  }
});

it('creates no duplicate Identity Center user or membership', () => {
  const ic = identityCenter(p);

  expect(new Set(ic.userNames).size).toBe(ic.userNames.length);
  expect(new Set(ic.memberships.map((m) => `${m.GroupId}|${m.UserId}`)).size).toBe(ic.memberships.length);
  expect(ic.groups).toEqual(['ConnectAgents']);
});

it('really injected the faults and the duplicates it claims to survive', () => {
  const counts = p.emulator.counters.snapshot();
  const throttled = Object.values(counts).reduce((n, c) => n + c.throttled, 0);
  const faulted = Object.values(counts).reduce((n, c) => n + c.faulted, 0);

  expect(throttled).toBeGreaterThan(USERS * 0.2);
  expect(faulted).toBeGreaterThan(USERS * 0.05);
  expect(p.poller.stats.records).toBeGreaterThan(USERS * 1.05);
});
