import { ConfigError } from '../shared/config/config.js';
import { errorChain, failureKind, networkFailure, type AwsFailureKind } from '../shared/adapters/sdk-errors.js';
import type { QueueDirectory } from '../shared/core/ports/index.js';
import { SyncError } from '../shared/core/errors.js';
import { QUEUE_ENV, queueNameFor, queueUrlFromEnv, type QueueRole } from '../shared/config/operator-config.js';
import { UsageError } from './io.js';

/** The URL of a queue: its variable (SYNC_QUEUE_URL, DLQ_URL, EVENTS_DLQ_URL), else by name for `--stage`. */
export async function resolveQueueUrl(urls: QueueDirectory, role: QueueRole, env: NodeJS.ProcessEnv, stage?: string): Promise<string> {
  const fromEnv = queueUrlFromEnv(role, env);
  if (fromEnv) return fromEnv;
  if (!stage) {
    throw new ConfigError(`${QUEUE_ENV[role]} is not set: set it (stack output) or pass --stage <stage> to find the queue by name`);
  }
  const name = queueNameFor(stage, role);
  const url = await urls.urlOf(name);
  if (url) return url;
  throw new ConfigError(`queue ${name} does not exist in this account and region (is the stage deployed here? set ${QUEUE_ENV[role]})`);
}

/** Node's major version, from `process.version` ("v20.19.1" -> 20). */
const majorOf = (version: string) => Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);

/** The one line an operator on an older Node sees instead of the SDK's warning. */
export const nodeVersionNote = (version: string): string =>
  `note: Node ${majorOf(version)} works until the AWS SDK drops it in 2027 (its later releases need Node 22); Node 22 recommended`;

let sdkWarningShortened = false;

/**
 * The AWS SDK warns in eight lines, once per copy of the SDK, when the first client is built on Node < 22. The
 * commands replace it with one line (`nodeVersionNote`), printed at most once; every other warning passes through.
 * For the command entry points only: it patches process.emitWarning, so it runs once per process.
 */
export function shortenSdkNodeWarning(err: (line: string) => void, version = process.version): void {
  if (sdkWarningShortened) return;
  sdkWarningShortened = true;
  let noted = false;
  const emitWarning = process.emitWarning.bind(process) as (warning: string | Error, ...rest: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (!text.startsWith('NodeVersionSupportWarning')) return emitWarning(warning, ...rest);
    if (!noted) err(nodeVersionNote(version));
    noted = true;
  }) as typeof process.emitWarning;
}

/**
 * What an operator does about the failures the AWS classifier (shared/adapters/sdk-errors.ts) tells that are theirs
 * to fix, in the order they are looked for.
 */
const ADVICE: Partial<Record<AwsFailureKind, string>> = {
  'region-missing': 'no AWS region: set AWS_REGION (the Connect instance\'s region) or a profile with a region',
  'credentials-expired': 'the AWS credentials were rejected (expired or invalid): refresh them (aws sso login, new session) and retry',
  'credentials-missing': 'no AWS credentials found: set AWS_PROFILE (after aws sso login) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
};

/**
 * "cannot reach 127.0.0.1:4566 (connection refused)" when the error (or one it wraps) is a network failure; else
 * undefined. Credentials and profiles are not the problem then, and the SDK's own words (TIMEOUT, Error) say nothing.
 */
export function unreachable(error: unknown): string | undefined {
  const network = networkFailure(error);
  if (!network) return undefined;
  return `cannot reach ${network.where ?? 'the endpoint'} (${network.why}): is the endpoint right (AWS_ENDPOINT_URL_*, AWS_REGION) and is it running?`;
}

/** A message an operator can act on for any error a command ends with; `usage` tells the exit code. */
export function describeFailure(error: unknown): { message: string; usage: boolean } {
  const network = unreachable(error);
  if (network) return { message: network, usage: false };
  if (error instanceof UsageError) return { message: `${error.message}\nRun with --help for usage.`, usage: true };
  if (error instanceof ConfigError) return { message: error.message, usage: true };
  const chain = errorChain(error);
  const kinds = new Set(chain.map(failureKind));
  // A region or credentials problem anywhere in the chain is the operator's to fix, whatever wrapped it.
  const advice = Object.entries(ADVICE).find(([kind]) => kinds.has(kind as AwsFailureKind))?.[1];
  if (advice) return { message: advice, usage: true };
  if (error instanceof SyncError) return { message: `${error.code}: ${error.message}`, usage: false };
  const text = chain.filter((e): e is Error => e instanceof Error).map((e) => `${e.name}: ${e.message}`).join(' <- ');
  return { message: text || String(error), usage: false };
}
