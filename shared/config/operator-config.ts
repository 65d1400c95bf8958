import { ConfigError, loadLinksTable, loadSyncSettings, URL_PATTERN, type SyncSettingsConfig } from './config.js';

/**
 * Configuration of the operator commands (CLI and the reconcile/replay Lambdas), from the same environment variables
 * as the syncUser function, validated by the same rules, plus what each needs besides.
 */
export type OperatorSyncConfig = SyncSettingsConfig;

/** The shared settings (doctor checks them before anything is deployed: no table, no queue yet). */
export const loadOperatorSyncConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<OperatorSyncConfig> => loadSyncSettings(env);

export interface ReconcileConfig extends SyncSettingsConfig {
  linksTable: string;
}

/** Reconcile reads and writes links: the shared settings plus LINKS_TABLE. */
export function loadReconcileConfig(env: NodeJS.ProcessEnv = process.env): Readonly<ReconcileConfig> {
  return Object.freeze({ ...loadSyncSettings(env), linksTable: loadLinksTable(env) });
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
