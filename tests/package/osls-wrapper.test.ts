/**
 * `npm run package` / `npm run deploy` (infra/osls.js around osls): a parameter error shows its own message first,
 * not only inside the framework's "Cannot resolve serverless.yml: Variables resolution errored with: ..."; and the
 * offline packaging works whatever region the caller's shell has.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageStage, packagingError, REPO_ROOT } from './../support/osls-package.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { resolutionErrors, paramValues } = require('../../infra/osls.js') as { resolutionErrors(output: string): string[]; paramValues(args: string[]): string[] };

const WRAPPED = [
  'Error:',
  'Cannot resolve serverless.yml: Variables resolution errored with:',
  '  - Cannot resolve variable at "custom.settings": Cannot resolve "settings" out of "params.js": Received rejection: invalid stage parameters: identityStoreId must look like d-1234567890',
  '  - Cannot resolve variable at "provider.region": no region',
  '',
].join('\n');

describe('infra/osls.js', () => {
  it('reads the messages out of osls\'s variable resolution report', () => {
    expect(resolutionErrors(WRAPPED)).toEqual(['invalid stage parameters: identityStoreId must look like d-1234567890', 'Cannot resolve variable at "provider.region": no region']);
    expect(resolutionErrors('Error:\nSomething else failed\n')).toEqual([]);
  });

  it('prints a refused parameter\'s message before osls\'s report, and exits as osls does', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: '/nonexistent', AWS_ACCESS_KEY_ID: 'offline', AWS_SECRET_ACCESS_KEY: 'offline' };
    const args = [join(REPO_ROOT, 'infra', 'osls.js'), 'package', '--stage', 'ci', '--region', 'eu-west-1'];

    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, args, { cwd: REPO_ROOT, env, timeout: 120_000 }, (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }));
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('\nconnect-sso-sync: invalid stage parameters: connectInstanceId is an instance in us-east-1 but the deployment region is eu-west-1');
    expect(result.stdout).toMatch(/Error:\nCannot resolve serverless.yml: Variables resolution errored with:/);
  }, 120_000);
});

describe('infra/osls.js and an empty --param value', () => {
  it('finds --param in both spellings', () => {
    expect(paramValues(['deploy', '--param=alarmEmail=', '--param', 'logLevel=DEBUG', '--stage', 'prod'])).toEqual(['alarmEmail=', 'logLevel=DEBUG']);
  });

  it('names the parameter and exits 2 before osls runs (osls alone blamed provider.region)', async () => {
    const args = [join(REPO_ROOT, 'infra', 'osls.js'), 'package', '--stage', 'ci', '--param=alarmEmail='];

    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, args, { cwd: REPO_ROOT, timeout: 30_000 }, (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }));
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toBe('connect-sso-sync: --param="alarmEmail=" has no value: osls takes no empty --param value (to leave alarmEmail unset, leave this --param out)\n');
    expect(result.stdout).toBe('');
  });
});

describe('npm run package', () => {
  it('names the example stage\'s region itself, so the caller\'s AWS_REGION does not matter', async () => {
    const script = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.package ?? '';
    const region = /--region (\S+)/.exec(script)?.[1];
    expect(script).toContain('node infra/osls.js package --stage ci');
    expect(region).toBe('us-east-1');

    // Before: no --region, and a shell in eu-west-1 failed on the example instance's us-east-1 ARN.
    expect(await packagingError({ stage: 'ci', env: { AWS_REGION: 'eu-west-1' } })).toContain('deployment region is eu-west-1');
    const packaged = await packageStage({ stage: 'ci', region, env: { AWS_REGION: 'eu-west-1' } });
    expect((packaged.state.service as { provider: { region: string } }).provider.region).toBe('us-east-1');
  }, 180_000);
});
