import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { nodeVersionNote } from '../../../cli/aws.js';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'connect-sso-sync.js');

/** Runs the CLI as an operator does, in its own Node process (jest's own setup hides the warning in this one). */
function run(args: string[], env: Record<string, string> = {}) {
  const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _ignored, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...inherited, ...env }, encoding: 'utf8', timeout: 60_000 });
  const nodeLines = result.stderr.split('\n').filter((line) => /\bnode\b/i.test(line));
  return { ...result, nodeLines };
}

// Builds SQS clients, then fails fast: nothing listens on port 1.
const UNREACHABLE = {
  AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_MAX_ATTEMPTS: '1',
  AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:1', DLQ_URL: 'http://127.0.0.1:1/123456789012/q-sync-dlq',
};

describe('the AWS SDK\'s Node version warning', () => {
  it('--help prints no line about Node at all', () => {
    const result = run(['--help']);

    expect(result.status).toBe(0);
    expect(result.nodeLines).toEqual([]);
  });

  it('a command that builds AWS clients prints at most one line about Node, never the SDK\'s eight', () => {
    const result = run(['replay', 'list', '--queue', 'sync-dlq'], UNREACHABLE);

    expect(result.stderr).toContain('connect-sso-sync replay:'); // it did reach SQS (and failed there)
    expect(result.stderr).not.toContain('NodeVersionSupportWarning');
    expect(result.nodeLines.length).toBeLessThanOrEqual(1);
    if (Number(process.versions.node.split('.')[0]) < 22) expect(result.nodeLines).toEqual([nodeVersionNote(process.version)]);
  });

  it('the note names the running major version and the recommended one', () => {
    expect(nodeVersionNote('v20.19.1')).toBe('note: Node 20 works until the AWS SDK drops it in 2027 (its later releases need Node 22); Node 22 recommended');
  });
});
