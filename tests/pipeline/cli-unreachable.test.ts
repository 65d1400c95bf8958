/**
 * The CLI against an endpoint nothing listens on (port 9 of 127.0.0.1): the real SDK opens a socket, so these live in
 * the pipeline tier, not among the unit tests. Each command says which endpoint it could not reach and exits 2.
 */
import { main } from '../../cli/main.js';
import { CLI_ENV as ENV, recordingIo } from '../unit/cli/io-helpers.js';

describe('an unreachable endpoint', () => {
  it('replay says "cannot reach <endpoint>", not TIMEOUT, and exits 2 (could not do its work)', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIATEST', AWS_SECRET_ACCESS_KEY: 'x' });
    const io = recordingIo({ DLQ_URL: 'http://127.0.0.1:9/123456789012/q-dlq', EVENTS_DLQ_URL: 'http://127.0.0.1:9/123456789012/q-events-dlq' });

    const code = await main(['replay', 'list'], io).finally(() => {
      process.env = saved;
    });

    expect(io.stderr).toEqual(['connect-sso-sync replay: cannot reach 127.0.0.1:9 (connection refused): is the endpoint right (AWS_ENDPOINT_URL_*, AWS_REGION) and is it running?']);
    expect(code).toBe(2);
  });

  it('could not check (AWS unreachable): main says why in one line, exit 2, never a verdict', async () => {
    const io = recordingIo(ENV);
    const saved = { ...process.env };
    // Nothing listens on port 9: the first call fails, whatever the SDK's retries.
    Object.assign(process.env, ENV, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' });
    try {
      const code = await main(['user', 'maria.garcia@example.com'], io);

      expect(code).toBe(2);
      expect(io.stdout).toEqual([]);
      expect(io.stderr).toEqual([expect.stringMatching(/^connect-sso-sync user: cannot reach 127\.0\.0\.1:9 \(connection refused\)/)]);
    } finally {
      process.env = saved;
    }
    // The SDK's own retries (with backoff) run before it gives up: room for them on a busy machine.
  }, 30_000);
});
