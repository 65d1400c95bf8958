/** The packaged function bundles and the cold import time of the bundled syncUser handler. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { out } from './common.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function timeNode(args: string[], env: Record<string, string>): number {
  const runs: number[] = [];
  for (let i = 0; i < 7; i += 1) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
    runs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(runs);
}

export function bundles(skipPackage: boolean): void {
  out('');
  if (!skipPackage) execFileSync('npm', ['run', 'package', '--silent'], { stdio: 'ignore' });
  out('Packaged functions (npm run package; esbuild, minified)');
  for (const zip of readdirSync('.serverless').filter((f) => f.endsWith('.zip'))) {
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    execFileSync('unzip', ['-q', join('.serverless', zip), '-d', dir]);
    const js = execFileSync('find', [dir, '-name', '*.js']).toString().trim().split('\n')[0] ?? '';
    out(`  ${zip.padEnd(16)} zip ${(statSync(join('.serverless', zip)).size / 1024).toFixed(0).padStart(5)} KB   handler.js ${(statSync(js).size / 1024).toFixed(0).padStart(5)} KB`);
    if (zip === 'syncUser.zip') {
      const env = {
        IDENTITY_STORE_ID: 'd-1234567890', CONNECT_INSTANCE_ID: '4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20', DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/1/q',
        LINKS_TABLE: 'connect-sso-sync-bench-links', ASSIGNMENT_MODE: 'none', UPDATE_IDENTITY: 'none', AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT',
      };
      const bare = timeNode(['-e', '0'], env);
      const cold = timeNode(['--no-warnings', '-e', `require(${JSON.stringify(js)})`], env);
      out(`  cold start of the bundled syncUser handler: node + import ${cold.toFixed(0)} ms, node -e 0 ${bare.toFixed(0)} ms, import ${(cold - bare).toFixed(0)} ms (median of 7)`);
    }
  }
}
