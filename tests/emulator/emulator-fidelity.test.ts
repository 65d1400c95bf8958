/**
 * The emulator against AWS's own models: every modelled constraint of every implemented operation is broken once,
 * through the real SDK, and must be answered with the service's validation error, one the operation's model lists.
 */
import type { Emulator } from '../../local/emulator/index.js';
import { startEmulator } from '../../local/emulator/index.js';
import { formatReport, runFidelity } from '../../local/emulator/fidelity.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, rateLimits: { enabled: false } });
});

afterAll(async () => {
  await emulator.stop();
});

describe('fidelity to the AWS models', () => {
  it('enforces every modelled constraint with a modelled error code', async () => {
    const report = await runFidelity(emulator.endpoint);

    // Every service and most operations are probed: a probe generator that lost its way cannot pass silently.
    expect(new Set(report.results.map((r) => r.service))).toEqual(new Set(['connect', 'identitystore', 'sso-admin', 'sqs', 'cloudtrail', 'sts']));
    expect(report.tested).toBeGreaterThan(800);
    const misses = report.results.filter((r) => r.outcome === 'accepted' || r.outcome === 'wrong-code');
    expect(misses.length === 0 ? 'none' : formatReport(report)).toBe('none');
    expect([report.enforced, report.wrongCodes]).toEqual([report.tested, 0]);
  });
});
