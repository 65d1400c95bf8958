/** `npm run fidelity`: how many of the modelled constraints of the emulated operations the emulator enforces. */
import './quiet-sdk-warning.js';
import { startEmulator } from './emulator/index.js';
import { formatReport, runFidelity } from './emulator/fidelity.js';

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: 0, rateLimits: { enabled: false } });
  try {
    const report = await runFidelity(emulator.endpoint);
    console.log(formatReport(report));
    process.exitCode = report.enforced === report.tested && report.wrongCodes === 0 ? 0 : 1;
  } finally {
    await emulator.stop();
  }
}

void main();
