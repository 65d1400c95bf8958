/**
 * Measures `reconcile` (dry run) against the local emulator with its rate limits on:
 *   npx tsx cli/dev/measure-reconcile.ts [users=10000] [rateScale=50]
 * Prints run time against the floor the Connect limit sets (users / (2 x scale) s), calls per operation, and the heap
 * after each ListUsers page (flat when pages are streamed).
 */
import { main } from '../main.js';
import { startEmulator } from '../../local/emulator/index.js';
import type { CliIo } from '../io.js';

async function measure(): Promise<void> {
  const users = Number(process.argv[2] ?? 10000);
  const scale = Number(process.argv[3] ?? 50);
  const emulator = await startEmulator({ rateLimits: { enabled: true, scale } });
  const seeded = emulator.seed({
    connectInstances: [{ alias: 'scale', identityManagementType: 'SAML', users: Array.from({ length: users }, (_, i) => ({ username: `agent${i}@example.com` })) }],
    identityStores: [{ groups: [{ displayName: 'ConnectAgents' }] }],
  });
  const sso = emulator.seed({ ssoInstances: [{ identityStoreId: seeded.identityStores[0]?.id ?? '', applications: [{ name: 'Amazon Connect' }] }] }).ssoInstances[0];
  Object.assign(process.env, emulator.env(), {
    IDENTITY_STORE_ID: seeded.identityStores[0]?.id,
    CONNECT_INSTANCE_ID: seeded.connectInstances[0]?.id,
    SSO_INSTANCE_ARN: sso?.instanceArn,
    CONNECT_APPLICATION_ARN: sso?.applications['Amazon Connect'],
  });
  const heap: number[] = [];
  let rows = 0;
  const io: CliIo = {
    out: () => {
      rows += 1;
      if (rows % 1000 === 0) heap.push(Math.round(process.memoryUsage().heapUsed / 1e6));
    },
    err: () => undefined,
    errRaw: () => undefined,
    errIsTty: false,
    env: process.env,
    cwd: process.cwd(),
  };
  const rate = 2 * scale;
  const started = Date.now();
  const code = await main(['reconcile', '--rate', String(rate), '--concurrency', '8', '--no-drift'], io);
  const seconds = (Date.now() - started) / 1000;
  const floor = users / rate;
  console.log(JSON.stringify({
    users, rate, exitCode: code, seconds, floorSeconds: floor, overPercent: Math.round((seconds / floor - 1) * 1000) / 10,
    heapMbPer1000Users: heap,
    calls: Object.fromEntries(Object.entries(emulator.counters.snapshot()).map(([k, v]) => [k, { total: v.total, throttled: v.throttled }])),
  }, null, 2));
  await emulator.stop();
}

void measure();
