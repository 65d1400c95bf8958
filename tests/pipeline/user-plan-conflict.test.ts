/**
 * `connect-sso-sync user` never calls a creation CreateUser would refuse "would succeed now" (issue 21, item 5): a
 * Connect user whose Username is another Identity Center user's UserName (another email) is planned as USERNAME_TAKEN,
 * exactly as its event then fails.
 */
import { main } from '../../cli/main.js';
import { createConnectUser, deadLetters, errorCodes, person, pipelinesFor } from '../support/pipeline.js';
import { recordingIo } from '../unit/cli/io-helpers.js';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const pipeline = pipelinesFor();

it('plans USERNAME_TAKEN for a clash of user names, and the event then fails the same way', async () => {
  const p = await pipeline({
    identityCenter: { users: [{ userName: 'maria@example.com', givenName: 'Other', familyName: 'Person', email: 'other.person@example.com' }] },
  });
  await p.poller.stop();
  const maria = await createConnectUser(p, 'maria@example.com', person('Maria', 'Garcia'));
  const saved = { ...process.env };
  const io = recordingIo(p.env);
  try {
    await main(['user', maria], io);
  } finally {
    process.env = saved;
  }
  const out = io.stdout.join('\n');
  p.poller.start();
  await p.drain();

  expect(out).toContain('USERNAME_TAKEN');
  expect(out).not.toContain('would succeed');
  expect(errorCodes(deadLetters(p))).toEqual(['USERNAME_TAKEN']);
});
