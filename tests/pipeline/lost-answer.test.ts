/**
 * A timeout whose membership write lands anyway (issue 21, item 1), end to end: Identity Store carries out
 * CreateGroupMembership but its answer never reaches the sync (the emulator's `lostAnswerNext`: a request that succeeded
 * server-side whose response was lost; every SDK attempt of the receive meets the same), so the sync dies before its
 * link, dead-lettered. The agent is then deleted in Connect: the deprovision — the DeleteUser event, `reconcile --apply`
 * when that event is lost, or `user <id> --apply` — still takes the membership back, because the claim written before
 * the membership records it.
 */
import { main } from '../../cli/main.js';
import { deleteAgent } from '../../local/admin.js';
import type { Pipeline } from '../../local/pipeline.js';
import { recordingIo } from '../unit/cli/io-helpers.js';
import { groupsByUser, linksOf } from '../support/lifecycle.js';
import { createConnectUser, deadLetters, errorCodes, identityCenter, person, pipelinesFor } from '../support/pipeline.js';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const pipeline = pipelinesFor();
/** The Identity Store client's attempts per call (shared/composition/clients.ts): every one of the receive loses its answer. */
const SDK_ATTEMPTS = 5;

/** Maria's only receive: the claim written, the membership applied, its answer lost; dead-lettered, no link. */
async function membershipLandedUnanswered(deprovision: 'membership' | 'delete') {
  const p = await pipeline({ syncEnv: { DEPROVISION: deprovision }, maxReceiveCount: 1 });
  p.emulator.setFaults({ operations: { 'identitystore:CreateGroupMembership': { lostAnswerNext: SDK_ATTEMPTS } } });
  const maria = await createConnectUser(p, 'maria@example.com', person('Maria', 'Garcia'));
  await p.drain();
  p.emulator.setFaults({});
  return { p, maria };
}

/** Runs an operator command over the pipeline's configuration. */
async function cli(p: Pipeline, ...argv: string[]): Promise<{ code: number; out: string }> {
  const saved = { ...process.env };
  try {
    const io = recordingIo(p.env);
    const code = await main(argv, io);
    return { code, out: io.stdout.join('\n') };
  } finally {
    process.env = saved;
  }
}

const expectNothingLeft = async (p: Pipeline, deprovision: 'membership' | 'delete') => {
  expect(groupsByUser(p)).toEqual({});
  expect(identityCenter(p).userNames).toEqual(deprovision === 'delete' ? [] : ['maria@example.com']);
  expect((await linksOf(p)).claims.size).toBe(0);
};

describe.each(['membership', 'delete'] as const)('a membership written whose answer was lost, then the agent deleted (DEPROVISION=%s)', (deprovision) => {
  it('the sync died before its link, the membership landed, the claim records it', async () => {
    const { p, maria } = await membershipLandedUnanswered(deprovision);

    const { links, claims } = await linksOf(p);
    expect(p.emulator.counters.get('identitystore:CreateGroupMembership')).toMatchObject({ total: SDK_ATTEMPTS, faulted: SDK_ATTEMPTS });
    expect(deadLetters(p)).toHaveLength(1);
    expect(links.has(maria)).toBe(false);
    expect([...claims.values()]).toEqual([maria]);
    expect(groupsByUser(p)).toEqual({ 'maria@example.com': ['ConnectAgents'] });
  });

  it('the DeleteUser event takes the membership back', async () => {
    const { p, maria } = await membershipLandedUnanswered(deprovision);

    await deleteAgent(p.adminConnect, p.ids.instanceId, maria);
    await p.drain();

    await expectNothingLeft(p, deprovision);
    expect((await linksOf(p)).tombstones).toEqual(new Set([maria]));
    expect(deadLetters(p)).toHaveLength(1);
  });

  it('the DeleteUser event lost: `reconcile --apply` takes it back', async () => {
    const { p, maria } = await membershipLandedUnanswered(deprovision);
    p.bus.stop();
    await deleteAgent(p.adminConnect, p.ids.instanceId, maria);

    const run = await cli(p, 'reconcile', '--apply', '--json');

    expect(run.out).toContain('"deprovision"');
    await expectNothingLeft(p, deprovision);
  });

  it('the DeleteUser event lost: `user <id> --apply` takes it back', async () => {
    const { p, maria } = await membershipLandedUnanswered(deprovision);
    p.bus.stop();
    await deleteAgent(p.adminConnect, p.ids.instanceId, maria);

    const applied = await cli(p, 'user', maria, '--apply');

    expect(applied.out).toContain(`Applied (deprovision): ${deprovision === 'delete' ? 'deleted' : 'deprovisioned'}`);
    await expectNothingLeft(p, deprovision);
    // Every attempt's answer was lost: a timeout (retryable), parked once the record's receives ran out.
    expect(errorCodes(deadLetters(p))).toEqual(['TIMEOUT']);
  });
});
