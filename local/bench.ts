/**
 * `npm run bench`: the figures behind the speed and cost goals, printed, not asserted.
 * - AWS calls per new user and per already-linked user (emulator counters), one event on a cold container and
 *   amortized over a batch;
 * - a burst of 1,000 users with AWS's rate limits enforced (scaled): throughput against the tightest limit's ceiling;
 * - the packaged bundle of each function and the cold import time of the bundled syncUser handler.
 *   npm run bench -- [--users 1000] [--speed 10] [--skip-package]
 */
import './quiet-sdk-warning.js';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAgent } from './admin.js';
import { startPipeline, type Pipeline } from './pipeline.js';

const { values } = parseArgs({
  options: { users: { type: 'string', default: '1000' }, speed: { type: 'string', default: '10' }, 'skip-package': { type: 'boolean', default: false } },
  strict: true,
});
const USERS = Number(values.users);
const SPEED = Number(values.speed);
const out = (line = '') => process.stdout.write(`${line}\n`);
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

/** Calls the sync made, by service, since the last reset (the admin's CreateUser and all SQS traffic excluded). */
function syncCalls(p: Pipeline) {
  const by = { connect: 0, identitystore: 0, 'sso-admin': 0, sts: 0 };
  for (const [key, counts] of Object.entries(p.emulator.counters.snapshot())) {
    const service = key.split(':')[0] as keyof typeof by;
    if (key === 'connect:CreateUser' || !(service in by)) continue;
    by[service] += counts.total;
  }
  return { ...by, total: by.connect + by.identitystore + by['sso-admin'] + by.sts };
}

const agent = (name: string) => ({ username: `${name}@example.com`, identity: { FirstName: name, LastName: 'Agent', Email: `${name}@example.com` } });
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

async function createAll(p: Pipeline, list: string[]) {
  for (let i = 0; i < list.length; i += 25) {
    await Promise.all(list.slice(i, i + 25).map((n) => createAgent(p.adminConnect, p.ids.instanceId, agent(n))));
  }
}

function row(label: string, calls: ReturnType<typeof syncCalls>, users: number) {
  const per = (n: number) => (n / users).toFixed(2).padStart(6);
  out(`  ${label.padEnd(44)} ${per(calls.total)}  ${per(calls.connect)}  ${per(calls.identitystore)}  ${per(calls['sso-admin'])}`);
}

async function callsPerUser() {
  const batch = 100;
  // Existing people: in Identity Center with the same email, not yet in the agents group.
  const existing = names('existing', batch);
  const p = await startPipeline({
    speed: 100,
    emulator: { rateLimits: { enabled: false } },
    identityCenter: { users: existing.map((n) => ({ userName: `hr-${n}`, email: `${n}@example.com` })) },
  });
  const events: string[] = [];
  p.emulator.onEvent((event) => events.push(JSON.stringify(event)));
  out('AWS calls per user (sync only; floor for a new user: 1 lookup + 2 writes, plus 1 Connect DescribeUser)');
  out(`  ${'scenario'.padEnd(44)} ${'total'.padStart(6)}  ${'conn.'.padStart(6)}  ${'idstore'.padStart(6)}  ${'sso'.padStart(6)}`);
  const measure = async (label: string, users: number, act: () => Promise<void>) => {
    p.emulator.counters.reset();
    await act();
    await p.drain();
    row(label, syncCalls(p), users);
  };
  await measure('new user, one event, cold container', 1, () => createAll(p, ['first']));
  await measure(`new users, amortized over ${batch}`, batch, () => createAll(p, names('new', batch)));
  await measure(`existing person linked, amortized over ${batch}`, batch, () => createAll(p, existing));
  // The same events delivered again (a replay, an EventBridge duplicate): the users are linked and members.
  await measure(`already linked (event delivered again), ${batch}`, batch, async () => {
    const sqs = new SQSClient({ endpoint: p.emulator.endpoint, region: p.emulator.region });
    const bodies = events.slice(-batch);
    for (let i = 0; i < bodies.length; i += 10) {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: p.queues.sync, Entries: bodies.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: b })) }));
    }
    sqs.destroy();
  });
  await p.stop();
}

async function burst() {
  const p = await startPipeline({
    speed: SPEED,
    // The admin's CreateUser calls are not limited, so that all events arrive as one burst; every call the
    // sync makes is limited as AWS documents (scaled by the speed factor).
    emulator: { rateLimits: { overrides: { 'connect:CreateUser': { rate: 1e6, burst: 1e6 } } } },
  });
  const list = names('burst', USERS);
  let first = 0;
  const stop = p.emulator.onEvent(() => {
    first ||= Date.now();
  });
  await createAll(p, list);
  await p.drain(3_600_000);
  const seconds = (Date.now() - first) / 1000;
  stop();
  const ceiling = 2 * SPEED; // Connect DescribeUser: 2 requests/s per account, the tightest limit on the path
  const achieved = USERS / seconds;
  const dlq = p.emulator.state.queue(p.queues.syncDlq).messages.length;
  const throttled = Object.entries(p.emulator.counters.snapshot()).reduce((n, [k, c]) => n + (k.startsWith('sqs') ? 0 : c.throttled), 0);
  out();
  out(`Burst of ${USERS} users, AWS rate limits enforced at ${SPEED}x (Connect 2/s -> ${ceiling}/s), maximumConcurrency 2`);
  out(`  drained in ${seconds.toFixed(1)} s (${(seconds * SPEED).toFixed(0)} s at AWS's real limits)`);
  out(`  throughput ${achieved.toFixed(2)} users/s of a ${ceiling}/s ceiling = ${(achieved / ceiling).toFixed(3)} of the ceiling`);
  out(`  in sync-dlq: ${dlq}; throttled responses: ${throttled}; cold starts: ${p.containers.coldStarts}`);
  await p.stop();
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function timeNode(args: string[], env: Record<string, string>) {
  const runs: number[] = [];
  for (let i = 0; i < 7; i += 1) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
    runs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(runs);
}

function bundles() {
  out();
  if (!values['skip-package']) execFileSync('npm', ['run', 'package', '--silent'], { stdio: 'ignore' });
  out('Packaged functions (npm run package; esbuild, minified)');
  for (const zip of readdirSync('.serverless').filter((f) => f.endsWith('.zip'))) {
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    execFileSync('unzip', ['-q', join('.serverless', zip), '-d', dir]);
    const js = execFileSync('find', [dir, '-name', '*.js']).toString().trim().split('\n')[0] ?? '';
    out(`  ${zip.padEnd(16)} zip ${(statSync(join('.serverless', zip)).size / 1024).toFixed(0).padStart(5)} KB   handler.js ${(statSync(js).size / 1024).toFixed(0).padStart(5)} KB`);
    if (zip === 'syncUser.zip') {
      const env = { IDENTITY_STORE_ID: 'd-1234567890', CONNECT_INSTANCE_ID: '4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20', DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/1/q', ASSIGNMENT_MODE: 'none', AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT' };
      const bare = timeNode(['-e', '0'], env);
      const cold = timeNode(['--no-warnings', '-e', `require(${JSON.stringify(js)})`], env);
      out(`  cold start of the bundled syncUser handler: node + import ${cold.toFixed(0)} ms, node -e 0 ${bare.toFixed(0)} ms, import ${(cold - bare).toFixed(0)} ms (median of 7)`);
    }
  }
}

async function main() {
  await callsPerUser();
  await burst();
  bundles();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
