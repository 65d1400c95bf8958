/**
 * `status` against the local pipeline (what `npm start -- --serve` runs): the sync function's own metrics reach the
 * emulator's CloudWatch, a failure reaches the dead-letter queue, and `reconcile --apply` records the run it did.
 */
import { createConnectUser, person, pipelinesFor } from '../support/pipeline.js';
import { recordingIo } from '../unit/cli/io-helpers';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const pipeline = pipelinesFor();

it('shows what the pipeline did today, the dead letter it left, the run reconcile --apply recorded, and the first thing to do', async () => {
  const p = await pipeline();
  await createConnectUser(p, 'maria.garcia@example.com', person('Maria', 'Garcia'));
  await createConnectUser(p, 'no.email', person('No', 'Email'));
  await p.drain();
  // Imported only now: the function's logger and metrics read their settings (log level, stage) when first loaded.
  const { main } = await import('../../cli/main.js');
  const run = async (argv: string[]) => {
    const io = recordingIo({ ...p.env });
    const code = await main(argv, io);
    return { code, out: io.stdout.join('\n') };
  };

  const reconcile = await run(['reconcile', '--apply', '--json']);
  const status = await run(['status']);

  // The user without an email already failed (NO_EMAIL, remembered): reconcile lists it as a known failure and does
  // not send it to the dead-letter queue again; nothing failed anew.
  expect(reconcile.code).toBe(0);
  expect(status.out).toContain('stage local');
  expect(status.out).toMatch(/created\s+1 {2}\|/);
  expect(status.out).toMatch(/failed\s+1 {2}\|/);
  expect(status.out).toMatch(/sync-dlq\s+NO_EMAIL\s+1/);
  expect(status.out).toMatch(/\(reconcile --apply\), took \d+ s: 2 Connect user\(s\), 1 in sync/);
  // Drift counts what the run planned: the known failure is listed as one, not as drift too.
  expect(status.out).toContain('drift: none');
  expect(status.out).toContain('applied 0, deferred 0, failed 0, known permanent failures 1');
  // Read back from the link table as the run wrote it: the agents who cannot sign in, by reason (the one without an
  // email is not linked: not counted here, it is the known failure).
  expect(status.out).toMatch(/cannot sign in \d+: sign-in name mismatch 0, identity disabled 0/);
  expect(status.out).not.toContain('not counted by this run');
  expect(status.out).toMatch(/connect-sso-sync-local-sync-dlq-messages\s+ALARM/);
  expect(status.out).toContain('e-mail subscription: confirmed');
  expect(status.out).toMatch(/Verdict: 1 NO_EMAIL in the dead-letter queue since \d\d:\d\d UTC: on a SAML instance re-create those Connect users with their email as Username \(or set SIGN_IN_ATTRIBUTE=userName if the application sends the UserName\); elsewhere add emails in Connect/);
  expect(status.out).not.toMatch(/maria|garcia|no\.email/i);
  expect(status.code).toBe(1);
});
