import type { CliIo } from '../../../cli/io.js';

/** A CliIo that records what a command prints. */
export function recordingIo(env: NodeJS.ProcessEnv = {}, cwd = process.cwd()): CliIo & { stdout: string[]; stderr: string[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    errRaw: (text) => stderr.push(text),
    errIsTty: false,
    env,
    cwd,
    text: () => [...stdout, ...stderr].join('\n'),
  };
}

/** A complete environment for the operator commands (the settings the function runs with), with offline credentials. */
export const CLI_ENV = {
  CONNECT_INSTANCE_ID: '4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20',
  IDENTITY_STORE_ID: 'd-1234567890',
  LINKS_TABLE: 'connect-sso-sync-test-links',
  ASSIGNMENT_MODE: 'none',
  UPDATE_IDENTITY: 'none',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAUNITTEST00000000',
  AWS_SECRET_ACCESS_KEY: 'unit',
};
