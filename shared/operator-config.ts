import * as z from 'zod/mini';
import { ConfigError, describeIssues, instanceIdOf, loadSyncSettings, URL_PATTERN, type SyncConfig } from './config.js';

/**
 * Configuration of the operator commands (CLI and the reconcile/replay Lambdas), from the same environment variables
 * as the syncUser function, validated by the same rules (loadSyncConfig), plus the queues they work on.
 */
export type OperatorSyncConfig = Omit<SyncConfig, 'dlqUrl'>;

/** The sync settings for commands that run the sync core but never write to the dead-letter queue (reconcile, doctor). */
export const loadOperatorSyncConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<OperatorSyncConfig> =>
  loadSyncSettings(env);

function blankToUnset(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
}

const queueUrl = (message: string) => z.string().check(z.regex(URL_PATTERN, message));

const feedSchema = z.object({
  CONNECT_INSTANCE_ID: z.string().check(z.minLength(1, 'is required')),
  SYNC_QUEUE_URL: queueUrl('must be the URL of the sync queue'),
  CONNECT_REQUESTS_PER_SECOND: z._default(
    z.coerce.number('must be a number').check(z.positive('must be positive'), z.maximum(100, 'must be at most 100')),
    1,
  ),
});

export interface ReconcileFeedConfig {
  connectInstanceId: string;
  syncQueueUrl: string;
  connectRequestsPerSecond: number;
}

/** Settings of the scheduled reconcile function, which only lists Connect users and queues sync requests. */
export function loadReconcileFeedConfig(env: NodeJS.ProcessEnv = process.env): Readonly<ReconcileFeedConfig> {
  const parsed = feedSchema.safeParse(blankToUnset(env));
  if (!parsed.success) {
    throw new ConfigError(describeIssues(parsed.error.issues, env));
  }
  return Object.freeze({
    connectInstanceId: instanceIdOf(parsed.data.CONNECT_INSTANCE_ID),
    syncQueueUrl: parsed.data.SYNC_QUEUE_URL,
    connectRequestsPerSecond: parsed.data.CONNECT_REQUESTS_PER_SECOND,
  });
}

export type QueueRole = 'sync' | 'sync-dlq' | 'events-dlq';
export const QUEUE_ENV: Record<QueueRole, string> = { sync: 'SYNC_QUEUE_URL', 'sync-dlq': 'DLQ_URL', 'events-dlq': 'EVENTS_DLQ_URL' };

/** The queue's URL from its variable, or undefined when unset; ConfigError when set but not a URL. */
export function queueUrlFromEnv(role: QueueRole, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = QUEUE_ENV[role];
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (!URL_PATTERN.test(value)) throw new ConfigError(`invalid configuration: ${name} must be a queue URL`);
  return value;
}

/** The queue name serverless.yml gives a role in a stage: connect-sso-sync-<stage>-sync, ...-sync-dlq, ...-events-dlq. */
export const queueNameFor = (stage: string, role: QueueRole): string => `connect-sso-sync-${stage}-${role}`;
