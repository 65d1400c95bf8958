import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ConfigError } from '../shared/config/config.js';
import { SyncError } from '../shared/core/errors.js';
import { QUEUE_ENV, queueNameFor, queueUrlFromEnv, type QueueRole } from '../shared/config/operator-config.js';
import { UsageError } from './io.js';

/** The URL of a queue: its variable (SYNC_QUEUE_URL, DLQ_URL, EVENTS_DLQ_URL), else by name for `--stage`. */
export async function resolveQueueUrl(sqs: SQSClient, role: QueueRole, env: NodeJS.ProcessEnv, stage?: string): Promise<string> {
  const fromEnv = queueUrlFromEnv(role, env);
  if (fromEnv) return fromEnv;
  if (!stage) {
    throw new ConfigError(`${QUEUE_ENV[role]} is not set: set it (stack output) or pass --stage <stage> to find the queue by name`);
  }
  const name = queueNameFor(stage, role);
  try {
    const out = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (out.QueueUrl) return out.QueueUrl;
  } catch (error) {
    if (!isQueueMissing(error)) throw error;
  }
  throw new ConfigError(`queue ${name} does not exist in this account and region (is the stage deployed here? set ${QUEUE_ENV[role]})`);
}

function isQueueMissing(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue';
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

const CREDENTIALS = /Could not load credentials|CredentialsProviderError/i;
const EXPIRED = /ExpiredToken|security token included in the request is (expired|invalid)|InvalidClientTokenId|UnrecognizedClientException/i;
const REGION = /Region is missing/i;

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'name lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
};

/**
 * "cannot reach 127.0.0.1:4566 (connection refused)" when the error (or one it wraps) is a network failure; else
 * undefined. Credentials and profiles are not the problem then, and the SDK's own words (TIMEOUT, Error) say nothing.
 */
export function unreachable(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 6; depth += 1) {
    const n = e as { code?: string; address?: string; port?: number; hostname?: string; errors?: unknown[]; cause?: unknown; message?: unknown };
    // A Node error from another realm reaches us only as the SDK's "error wrapper for Error: connect ECONNREFUSED <host:port>".
    const quoted = typeof n.message === 'string' ? /\b(E[A-Z_]+) ([\w.:-]+)/.exec(n.message) : null;
    const code = n.code ?? quoted?.[1];
    const why = code ? UNREACHABLE[code] : undefined;
    if (why) {
      const where = n.address ? `${n.address}${n.port ? `:${n.port}` : ''}` : (n.hostname ?? (n.code ? undefined : quoted?.[2]) ?? 'the endpoint');
      return `cannot reach ${where} (${why}): is the endpoint right (AWS_ENDPOINT_URL_*, AWS_REGION) and is it running?`;
    }
    e = Array.isArray(n.errors) && n.errors.length > 0 ? n.errors[0] : n.cause;
  }
  return undefined;
}

/** A message an operator can act on for any error a command ends with; `usage` tells the exit code. */
export function describeFailure(error: unknown): { message: string; usage: boolean } {
  const network = unreachable(error);
  if (network) return { message: network, usage: false };
  if (error instanceof UsageError) return { message: `${error.message}\nRun with --help for usage.`, usage: true };
  if (error instanceof ConfigError) return { message: error.message, usage: true };
  const chain: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    chain.push(`${e.name}: ${e.message}`);
  }
  const text = chain.join(' <- ');
  if (REGION.test(text)) return { message: 'no AWS region: set AWS_REGION (the Connect instance\'s region) or a profile with a region', usage: true };
  if (EXPIRED.test(text)) {
    return { message: 'the AWS credentials were rejected (expired or invalid): refresh them (aws sso login, new session) and retry', usage: true };
  }
  if (CREDENTIALS.test(text)) {
    return {
      message: 'no AWS credentials found: set AWS_PROFILE (after aws sso login) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
      usage: true,
    };
  }
  if (error instanceof SyncError) return { message: `${error.code}: ${error.message}`, usage: false };
  return { message: text || String(error), usage: false };
}
