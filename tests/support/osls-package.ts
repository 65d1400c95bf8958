/**
 * Runs `osls package` offline for a stage, the way `npm run package` does, and returns the rendered CloudFormation
 * template and serverless-state.json. Each packaging runs in its own service directory (copies of the repository's
 * top-level files - osls wants serverless.yml to be a real file - and symlinks to its folders), because serverless-esbuild builds in <service>/.esbuild and copies its zips to <service>/.serverless whatever
 * --package says: two packagings of one directory at once would delete each other's build. --package keeps each
 * packaging's output apart as well. Nothing is written to the repository.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
const OSLS = join(REPO_ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');
// Build output and local state of the repository itself; everything else is linked.
const NOT_LINKED = new Set(['.serverless', '.esbuild', '.git', '.local-state', 'coverage', 'dist']);

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface PackageRequest {
  stage: string;
  /** --param="name=value" for each entry. */
  params?: Record<string, string>;
  /** --region */
  region?: string;
  /** Environment on top of a clean one (no AWS_REGION, AWS_DEFAULT_REGION or AWS_PROFILE, no ~/.aws/config). */
  env?: Record<string, string>;
}

export interface Packaged {
  template: JsonObject;
  /** serverless-state.json: what osls resolved (service.provider.region, ...). */
  state: JsonObject;
  output: string;
}

export class PackagingFailed extends Error {
  constructor(readonly output: string) {
    super(`osls package failed:\n${output}`);
    this.name = 'PackagingFailed';
  }
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SESSION_TOKEN', 'SLS_DEBUG']) delete env[name];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'offline',
    AWS_SECRET_ACCESS_KEY: 'offline',
    // The developer's own profile must not decide the region of a test packaging.
    AWS_CONFIG_FILE: join(tmpdir(), 'connect-sso-sync-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'connect-sso-sync-no-aws-credentials'),
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    ...extra,
  };
}

async function serviceCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'connect-sso-sync-package-'));
  for (const entry of await readdir(REPO_ROOT, { withFileTypes: true })) {
    if (NOT_LINKED.has(entry.name)) continue;
    const from = join(REPO_ROOT, entry.name);
    if (entry.isFile()) await copyFile(from, join(dir, entry.name));
    else await symlink(from, join(dir, entry.name));
  }
  return dir;
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [OSLS, ...args], { cwd, env, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** Packages the stage; throws PackagingFailed (with osls's output) when osls fails. */
export async function packageStage(request: PackageRequest): Promise<Packaged> {
  const dir = await serviceCopy();
  try {
    const out = join(dir, 'package-output');
    const args = ['package', '--stage', request.stage, '--package', out];
    if (request.region) args.push('--region', request.region);
    for (const [name, value] of Object.entries(request.params ?? {})) args.push(`--param=${name}=${value}`);
    const { code, output } = await run(dir, args, cleanEnv(request.env));
    if (code !== 0) throw new PackagingFailed(output);
    const template = JSON.parse(await readFile(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as JsonObject;
    const state = JSON.parse(await readFile(join(out, 'serverless-state.json'), 'utf8')) as JsonObject;
    return { template, state, output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Packages a stage that must fail; returns osls's output (throws when packaging succeeds). */
export async function packagingError(request: PackageRequest): Promise<string> {
  try {
    await packageStage(request);
  } catch (error) {
    if (error instanceof PackagingFailed) return error.output;
    throw error;
  }
  throw new Error(`packaging stage ${request.stage} succeeded; a failure was expected`);
}
