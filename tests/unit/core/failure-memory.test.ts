/**
 * Failures remembered for what failed (issue 21, items 3 and 4), with the in-memory fakes: an update's failure is the
 * update's and does not hold the groups back; a deprovision's PROTECTED_IDENTITY is remembered and reaches the
 * dead-letter queue once; a retry failing the same way is not dead-lettered again.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { repeatsKnownFailure } from '../../../shared/core/known-failures.js';
import { createRecordProcessor } from '../../../shared/adapters/process-record.js';
import { agent, buildCore, createWorld, INSTANCE, rejection, type Core } from '../../support/core.js';
import { reconcileMessage, sqsRecord } from '../../support/events.js';
import { FakeDeadLetters } from '../../support/fakes.js';

const MARIA = '0f1e2d3c-4b5a-4697-8877-665544332211';
const NIGHT = '1a2b3c4d-5e6f-4a8b-9c0d-112233445566';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as unknown as Logger;

function processorOf(core: Core) {
  const deadLetters = new FakeDeadLetters();
  const metricNames: string[] = [];
  const metrics = { addMetric: (name: string) => metricNames.push(name) } as unknown as Metrics;
  const useCases = { sync: core.syncUser, update: core.updateIdentity, deprovision: core.deprovisionUser, assignGroup: core.assignGroup };
  const processRecord = createRecordProcessor({ useCases, deadLetters, instance: { id: INSTANCE }, maxReceiveCount: 5, logger: quiet, metrics });
  return { deadLetters, metricNames, processRecord };
}

describe('an update that fails', () => {
  it('is remembered as the update’s failure: the sync’s record stays clean, so its group drift is still repaired', async () => {
    const world = createWorld();
    const core = buildCore({}, world);
    world.connect.add(agent('c-maria', 'Maria Garcia', { lastModifiedTime: '2026-12-01T09:00:00.000Z' }));
    const { identityUserId = '' } = await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    world.identityStore.join(world.identityStore.seedGroup('AWSAdministrators'), identityUserId);
    world.connect.update('c-maria', { lastName: 'Lopez', lastModifiedTime: '2026-12-01T10:00:00.000Z' });

    const error = await rejection(core.updateIdentity({ instanceId: INSTANCE, userId: 'c-maria' }));
    const record = world.links.peekRecord(INSTANCE, 'c-maria');

    expect(error.code).toBe('IDENTITY_UPDATE_BLOCKED');
    expect(record.failure).toBeUndefined();
    expect(record.updateFailure).toMatchObject({ code: 'IDENTITY_UPDATE_BLOCKED', attempts: 1 });
  });

  it('is forgotten once an update succeeds', async () => {
    const world = createWorld();
    const core = buildCore({}, world);
    world.connect.add(agent('c-maria', 'Maria Garcia'));
    await core.syncUser({ instanceId: INSTANCE, userId: 'c-maria' });
    await world.links.recordFailure(INSTANCE, 'c-maria', { code: 'EMAIL_IN_USE', since: 'x' }, 'update');

    await core.updateIdentity({ instanceId: INSTANCE, userId: 'c-maria' });

    expect(world.links.peekRecord(INSTANCE, 'c-maria').updateFailure).toBeUndefined();
  });
});

describe('a protected leaver', () => {
  /** Maria synced, her identity then put in the protected Admins group, and Maria deleted in Connect. */
  async function protectedLeaver() {
    const world = createWorld();
    world.connect.add(agent(MARIA, 'Maria Garcia'));
    const { identityUserId = '' } = await buildCore({}, world).syncUser({ instanceId: INSTANCE, userId: MARIA });
    world.identityStore.join(world.identityStore.seedGroup('Admins'), identityUserId);
    world.connect.users.delete(MARIA);
    return { world, core: buildCore({ protectedGroupNames: ['Admins'] }, world) };
  }

  it('remembers PROTECTED_IDENTITY as the deprovision’s failure, on the tombstoned record', async () => {
    const { world, core } = await protectedLeaver();

    const error = await rejection(core.deprovisionUser({ instanceId: INSTANCE, connectUserId: MARIA, source: 'event' }));

    expect(error.code).toBe('PROTECTED_IDENTITY');
    expect(repeatsKnownFailure(error)).toBe(false);
    expect(world.links.peekRecord(INSTANCE, MARIA)).toMatchObject({ deletedAt: expect.any(String), deprovisionFailure: { code: 'PROTECTED_IDENTITY', attempts: 1 } });
  });

  it('reaches the dead-letter queue once over four deprovision requests an hour apart', async () => {
    const { world, core } = await protectedLeaver();
    const { deadLetters, metricNames, processRecord } = processorOf(core);

    for (let run = 0; run < 4; run += 1) {
      world.clock.advance(3_600_000);
      await processRecord(sqsRecord(reconcileMessage(MARIA, 'deprovision', INSTANCE), `m-${run}`));
    }

    expect(deadLetters.sent.map((d) => d.reason.code)).toEqual(['PROTECTED_IDENTITY']);
    expect(metricNames.filter((m) => m === 'KnownFailuresRepeated')).toHaveLength(3);
    expect(world.links.peekRecord(INSTANCE, MARIA).deprovisionFailure?.attempts).toBe(4);
  });

  it('is forgotten once the identity leaves the protected group and the deprovision succeeds', async () => {
    const { world, core } = await protectedLeaver();
    await rejection(core.deprovisionUser({ instanceId: INSTANCE, connectUserId: MARIA, source: 'event' }));
    const admins = world.identityStore.groupIdByName('Admins') ?? '';
    for (const key of [...world.identityStore.members]) if (key.startsWith(`${admins}|`)) world.identityStore.members.delete(key);

    const result = await core.deprovisionUser({ instanceId: INSTANCE, connectUserId: MARIA, source: 'reconcile' });

    expect(result.outcome).toBe('deprovisioned');
    expect(world.links.peekRecord(INSTANCE, MARIA)).toEqual({ connectUserId: MARIA, deletedAt: expect.any(String) });
  });
});

describe('a sync that fails the same way again', () => {
  it('is dead-lettered when it first fails, not when a back-off retry or a duplicate fails the same way', async () => {
    const world = createWorld();
    world.connect.add({ id: NIGHT, username: 'night_shift_07', securityProfileIds: [], lastModifiedTime: '2026-12-01T09:00:00.000Z' });
    const { deadLetters, processRecord } = processorOf(buildCore({}, world));

    await processRecord(sqsRecord(reconcileMessage(NIGHT, 'sync', INSTANCE), 'm-1'));
    await processRecord(sqsRecord(reconcileMessage(NIGHT, 'sync', INSTANCE), 'm-2'));
    world.connect.update(NIGHT, { lastModifiedTime: '2026-12-01T11:00:00.000Z' });
    await processRecord(sqsRecord(reconcileMessage(NIGHT, 'sync', INSTANCE), 'm-3'));

    // The third is a changed Connect user failing anew: worth an operator's look again.
    expect(deadLetters.sent.map((d) => d.reason.code)).toEqual(['NO_EMAIL', 'NO_EMAIL']);
  });
});
