import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../../local/emulator/index.js';
import { listenOn, PortInUseError } from '../../../local/start.js';

const ROOT = join(__dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/**
 * `npm start -- <args>`, as its own process: what the person at the terminal sees, and the exit status. It runs in a
 * scratch directory, so the function log it opens (.local-state/) is not the developer's.
 */
function npmStart(args: string[], env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'npm-start-'));
  try {
    return spawnSync(process.execPath, [TSX, join(ROOT, 'local', 'start.ts'), ...args], { cwd, encoding: 'utf8', timeout: 90_000, env: { ...process.env, ...env } });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** A server holding a free port, as another program (or a second npm start -- --serve) would. */
async function takePort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

describe('npm start as a process: options', () => {
  it.each(['--version', '-v'])('%s prints the package version and nothing else', (flag) => {
    const result = npmStart([flag]);

    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  it('--port without --serve exits 2 with the reason and the usage', () => {
    const result = npmStart(['--port', '4567']);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^npm start: --port only applies with --serve\n\nUsage: npm start/);
  });
});

describe('npm start -- --serve on a port already in use', () => {
  let taken: { server: Server; port: number };
  beforeEach(async () => {
    taken = await takePort();
  });
  afterEach(async () => {
    await new Promise((resolve) => taken.server.close(resolve));
  });

  it('starting the emulator there rejects with a message naming another port', async () => {
    const attempt = listenOn(taken.port, () => startEmulator({ port: taken.port }));

    await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
    await expect(attempt).rejects.toMatchObject({
      message: `port ${taken.port} is in use: pass --port <n> (e.g. --port ${taken.port + 1})`,
      cause: expect.objectContaining({ code: 'EADDRINUSE' }),
    });
  });

  it('other startup failures pass through unchanged', async () => {
    const failure = new Error('something else');

    await expect(listenOn(taken.port, () => Promise.reject(failure))).rejects.toBe(failure);
  });

  it('exits 2 with that one line: no stack trace, no usage text', () => {
    const result = npmStart(['--serve', '--port', String(taken.port), '--csv', join(ROOT, 'events', 'bulk-upload.csv')]);

    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`npm start: port ${taken.port} is in use: pass --port <n> (e.g. --port ${taken.port + 1})\n`);
  });
});

describe('npm start with a bad bulk-upload file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulk-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a security profile the instance does not have is a bad row like the others: exit 2, no stack trace', () => {
    const csv = join(dir, 'profiles.csv');
    const header = 'first name,last name,user login,routing profile name,security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,soft phone auto accept (yes/no),acw timeout (seconds)';
    writeFileSync(csv, [header, 'A,B,a.b@example.com,Basic Routing Profile,Agent|Supervisor,soft,,no,30'].join('\n'));

    const result = npmStart(['--csv', csv]);

    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `npm start: ${csv}: 1 bad row(s):\n  line 2: the instance has no security profile named Supervisor (it has Admin, Agent, CallCenterManager, QualityAnalyst)\n`,
    );
  });

  it('lists the bad rows and exits 2, without the usage text (the options were right)', () => {
    const csv = join(dir, 'upload.csv');
    const header = 'first name,last name,user login,routing profile name,security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,soft phone auto accept (yes/no),acw timeout (seconds)';
    writeFileSync(csv, [header, 'A,B,bad login,Basic Routing Profile,Agent,soft,,no,30', 'C,D,ok@example.com,Basic Routing Profile,Agent,soft,,no,30', 'E,F,ok@example.com,Basic Routing Profile,Agent,soft,,no,30'].join('\n'));

    const result = npmStart(['--csv', csv]);

    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `npm start: ${csv}: 2 bad row(s):\n  line 2: user login must be 1-64 characters of letters, digits and _-.@\n  line 4: same user login as line 3\n`,
    );
  });
});

describe('npm start and the settings in the environment', () => {
  it('refuses an invalid mode with one line and exit 2, before starting anything', () => {
    const result = npmStart(['--csv', join(ROOT, 'events', 'bulk-upload.csv')], { DEPROVISION: 'remove' });

    expect(result.status).toBe(2);
    expect(result.stderr).toBe('npm start: invalid configuration: DEPROVISION must be membership, delete or none\n');
  });

  it('runs the modes it is given, says so at the top, prints each progress line once and ends with the status screen', () => {
    const result = npmStart(['--speed', '100', '--csv', join(ROOT, 'events', 'bulk-upload.csv')], { DEPROVISION: 'none', IDENTITY_STORE_ID: 'd-1234567890' });

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(['Settings in force (set any of them in the environment to try another mode):', expect.stringMatching(/^ {2}GROUP_MAPPING=\{/)]);
    expect(lines).toContain('  DEPROVISION=none   (from the environment)');
    expect(lines).toContain('  not used (the emulator creates its own): IDENTITY_STORE_ID');
    const progress = lines.filter((l) => l.startsWith('  events delivered'));
    expect(progress.length).toBeGreaterThan(0);
    expect(new Set(progress).size).toBe(progress.length);
    // DEPROVISION=none: the leaver keeps the groups (the report), so the application stays in its portal, but Connect
    // no longer has its user (the sign-in simulation); the status screen shows the mode in force.
    expect(result.stdout).toMatch(
      /kenji\.watanabe@example\.com\s+left Connect: deprovisioned\s+not onboarded \(no Connect user named exactly kenji\.watanabe@example\.com\)\s+kenji\.watanabe@example\.com, kept\s+ConnectAgents/,
    );
    expect(result.stdout).toMatch(/aisha\.khan@example\.com\s+created, name corrected\s+signs in\s/);
    expect(result.stdout).toMatch(/night_shift_07\s+failed: NO_EMAIL\s+no identity\s/);
    expect(result.stdout).toContain('$ connect-sso-sync status');
    expect(result.stdout).toContain('modes             assignment group, create users true, deprovision none, update identity created, sign-in attribute email');
    expect(lines.filter(Boolean).at(-1)).toMatch(/^Verdict: 1 NO_EMAIL in the dead-letter queue since/);
  });
});

describe('npm start -- --serve', () => {
  /** Runs --serve until it hands over (its "Ctrl-C to stop" line), then stops it as a person would (Ctrl-C). */
  async function serveOutput(port: number): Promise<string> {
    const cwd = mkdtempSync(join(tmpdir(), 'npm-start-'));
    const child = spawn(process.execPath, [TSX, join(ROOT, 'local', 'start.ts'), '--serve', '--port', String(port), '--speed', '100', '--csv', join(ROOT, 'events', 'bulk-upload.csv')], { cwd });
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          if (out.includes('Ctrl-C to stop')) resolve();
        });
        child.on('exit', () => reject(new Error(`npm start -- --serve exited early:\n${out}`)));
      });
    } finally {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('close', resolve));
      rmSync(cwd, { recursive: true, force: true });
    }
    return out;
  }

  it('exports every setting the function runs with (GROUP_MAPPING too) and the --endpoint-url form AWS CLI v1 needs', async () => {
    const { server, port } = await takePort();
    await new Promise((resolve) => server.close(resolve));

    const out = await serveOutput(port);

    const exported = Object.fromEntries(
      [...out.matchAll(/^ {2}export ([A-Z_0-9]+)=(.*)$/gm)].map(([, name, word]) => [name, word?.startsWith("'") ? word.slice(1, -1) : word]),
    );
    expect(exported.GROUP_MAPPING).toBe(JSON.stringify({ Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'] }));
    for (const name of ['IDENTITY_STORE_ID', 'CONNECT_INSTANCE_ID', 'LINKS_TABLE', 'SYNC_QUEUE_URL', 'DLQ_URL', 'EVENTS_DLQ_URL', 'STAGE', 'ASSIGNMENT_MODE', 'DEPROVISION', 'AWS_ENDPOINT_URL_CLOUDWATCH']) {
      expect(exported[name]).toBeTruthy();
    }
    const { loadReconcileConfig } = await import('../../../shared/config/operator-config.js');
    expect(loadReconcileConfig(exported).groupMapping.byProfile.size).toBe(2);
    expect(out).toMatch(new RegExp(`aws --endpoint-url http://127\\.0\\.0\\.1:${port} sqs get-queue-attributes --queue-url http://\\S+-sync-dlq`));
    const awsLines = out.split('\n').filter((line) => /^\s+aws /.test(line));
    expect(awsLines).toHaveLength(3);
    for (const line of awsLines) expect(line).toContain(`aws --endpoint-url http://127.0.0.1:${port} `);
  }, 90_000);
});
