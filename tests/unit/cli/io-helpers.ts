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
