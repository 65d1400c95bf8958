import * as z from 'zod/mini';
import { ConfigError, loadLinksTable, loadSyncSettings, parseEnv, TABLE_NAME, URL_PATTERN, type SyncSettingsConfig } from './config.js';

/**
 * Configuration of the operator commands (CLI and the reconcile/replay Lambdas), from the same environment variables
 * as the syncUser function, validated by the same rules, plus what each needs besides.
 */
export type OperatorSyncConfig = SyncSettingsConfig;

/** The shared settings (doctor checks them before anything is deployed: no table, no queue yet). */
export const loadOperatorSyncConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<OperatorSyncConfig> => loadSyncSettings(env);

export interface ReconcileConfig extends SyncSettingsConfig {
  linksTable: string;
  /**
   * SHARED_LINKS_TABLES: the link tables of the other stages that share this stage's managed groups (`none`: the
   * groups are this stage's own, an empty list). Undefined when not set: whether they are shared is not known, so
   * `reconcile --remove-unlinked` refuses to run.
   */
  sharedLinksTables?: readonly string[];
}

function sharedLinksTablesOf(env: NodeJS.ProcessEnv, linksTable: string): readonly string[] | undefined {
  const value = env.SHARED_LINKS_TABLES?.trim();
  if (!value) return undefined;
  if (value.toLowerCase() === 'none') return Object.freeze([]);
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  if (!names.every((name) => TABLE_NAME.test(name)) || names.includes(linksTable)) {
    throw new ConfigError(
      "invalid configuration: SHARED_LINKS_TABLES must be `none` or comma-separated DynamoDB table names: the other stages' link tables (not LINKS_TABLE)",
    );
  }
  return Object.freeze(names);
}

/** Reconcile reads and writes links: the shared settings plus LINKS_TABLE (and SHARED_LINKS_TABLES when set). */
export function loadReconcileConfig(env: NodeJS.ProcessEnv = process.env): Readonly<ReconcileConfig> {
  const settings = loadSyncSettings(env);
  const linksTable = loadLinksTable(env);
  const sharedLinksTables = sharedLinksTablesOf(env, linksTable);
  return Object.freeze({ ...settings, linksTable, ...(sharedLinksTables && { sharedLinksTables }) });
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

const scheduledShape = z.object({
  SYNC_QUEUE_URL: z.string().check(z.regex(URL_PATTERN, 'must be the URL of the sync queue')),
  // What the sync function drains between two hourly runs at Connect's rate (about 25 minutes at 2 requests/s):
  // a run queues no more, so runs never pile up duplicates of work still queued; the rest is planned again next run.
  RECONCILE_QUEUE_LIMIT: z._default(z.coerce.number().check(z.int(), z.positive()), 3000),
});

/** The scheduled reconcile function: reconcile's settings plus the sync queue it fills and its limit. */
export function loadScheduledReconcileConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadReconcileConfig(env);
  const e = parseEnv(scheduledShape, env);
  return Object.freeze({ ...config, syncQueueUrl: e.SYNC_QUEUE_URL, queueLimit: e.RECONCILE_QUEUE_LIMIT });
}
export type ScheduledReconcileConfig = ReturnType<typeof loadScheduledReconcileConfig>;

/** The replay function's queues: every URL is required (ConfigError naming the first one missing). */
export function loadReplayQueueUrls(env: NodeJS.ProcessEnv = process.env): Readonly<Record<QueueRole, string>> {
  const required = (role: QueueRole): string => {
    const url = queueUrlFromEnv(role, env);
    if (!url) throw new ConfigError(`invalid configuration: the ${role} queue URL is not set`);
    return url;
  };
  return Object.freeze({ 'sync-dlq': required('sync-dlq'), 'events-dlq': required('events-dlq'), sync: required('sync') });
}
