/**
 * Runs one reconcile command line in its own process (so its memory is its own, apart from the emulator's), then
 * prints one JSON line: exit code, seconds, peak resident memory.
 */
import '../quiet-sdk-warning.js';
import { main } from '../../cli/main.js';
import type { CliIo } from '../../cli/io.js';

async function run(): Promise<void> {
  let rows = 0;
  const io: CliIo = {
    out: () => {
      rows += 1;
    },
    err: () => undefined,
    errRaw: () => undefined,
    errIsTty: false,
    env: process.env,
    cwd: process.cwd(),
  };
  const started = Date.now();
  const code = await main(['reconcile', ...process.argv.slice(2)], io);
  const seconds = (Date.now() - started) / 1000;
  // maxRSS is in kilobytes.
  process.stdout.write(`${JSON.stringify({ code, seconds, rows, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
}

void run();
