/**
 * `npm run bench`: the figures behind the speed and cost goals, printed, not asserted.
 *   npm run bench -- [--users 1000] [--speed 10] [--reconcile-users 10000] [--only calls|bursts|reconcile|bundles] [--skip-package]
 */
import '../quiet-sdk-warning.js';
import { parseArgs } from 'node:util';
import { bundles } from './bundles.js';
import { bursts } from './bursts.js';
import { callsPerEvent } from './calls.js';
import { reconcileAtScale } from './reconcile.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    speed: { type: 'string', default: '10' },
    'reconcile-users': { type: 'string', default: '10000' },
    'reconcile-scale': { type: 'string', default: '20' },
    only: { type: 'string' },
    'skip-package': { type: 'boolean', default: false },
  },
  strict: true,
});
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const wanted = (section: string) => values.only === undefined || values.only === section;

async function main(): Promise<void> {
  if (wanted('calls')) await callsPerEvent();
  if (wanted('bursts')) await bursts(Number(values.users), Number(values.speed));
  if (wanted('reconcile')) await reconcileAtScale(Number(values['reconcile-users']), Number(values['reconcile-scale']));
  if (wanted('bundles')) bundles(values['skip-package']);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
