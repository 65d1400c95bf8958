import { RECONCILE_SOURCE } from './reconcile-executors.js';
import type { QueuedMessage } from './ports/index.js';

/**
 * How a dead-letter message reads to an operator: which Connect user, why it failed, how old it is.
 *
 * Three kinds of message end up in the dead-letter queues:
 * - sync-dlq, permanent failure: the original body with `errorCode` / `errorMessage` attributes (process-record.ts);
 * - sync-dlq, SQS redrive after maxReceiveCount receives: the original body, no attributes;
 * - events-dlq: an event EventBridge could not deliver, with `ERROR_CODE` / `ERROR_MESSAGE` attributes.
 */
export const RETRIES_EXHAUSTED = 'RETRIES_EXHAUSTED';

export interface DeadLetterRow {
  queue: string;
  messageId: string;
  ageSeconds: number;
  /** The Connect user id of the message, when it has one. */
  connectUserId?: string;
  /**
   * The Connect Username, when the event carries it (CreateUser). Shown on the operator's terminal, which is where an
   * operator recognises a user; never returned by the replay Lambda, whose output reaches logs (it is often an email).
   */
  connectUsername?: string;
  code: string;
  message: string;
  receiveCount: number;
}

export interface ReplayFilter {
  codes?: string[];
  /** Connect user ids (or Usernames, for events without an id). */
  users?: string[];
  olderThanSeconds?: number;
  newerThanSeconds?: number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The Connect user a sync message is about. The id: a reconcile request's `userId`, else the CloudTrail event's
 * `requestParameters.UserId` (UpdateUserIdentityInfo, UpdateUserSecurityProfiles, DeleteUser) or its
 * `responseElements.UserId` / `UserArn` (CreateUser). The Username: `requestParameters.Username`, which only
 * CreateUser carries. Callers that write to logs (the replay Lambda) must drop the Username: it is often an email.
 */
export function connectUserOf(body: string): { userId?: string; username?: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {};
  }
  if (!isObject(json)) return {};
  if (json.source === RECONCILE_SOURCE) return { userId: text(json.userId) };
  const detail = isObject(json.detail) ? json.detail : {};
  const response = isObject(detail.responseElements) ? detail.responseElements : {};
  const request = isObject(detail.requestParameters) ? detail.requestParameters : {};
  const arn = text(response.UserArn);
  const fromArn = arn?.includes('/agent/') ? arn.slice(arn.lastIndexOf('/') + 1) : undefined;
  return { userId: text(request.UserId) ?? text(response.UserId) ?? fromArn, username: text(request.Username) };
}

/** The row for one message read from the dead-letter queue `queue`. */
export function deadLetterRow(queue: string, message: QueuedMessage, now: number): DeadLetterRow {
  const { messageId, receiveCount, attributes: a } = message;
  const code = a.errorCode ?? a.ERROR_CODE ?? RETRIES_EXHAUSTED;
  const exhausted = code === RETRIES_EXHAUSTED ? 'the sync queue gave up after maxReceiveCount receives (retryable failures)' : '';
  const reason = a.errorMessage ?? a.ERROR_MESSAGE ?? exhausted;
  const { userId: connectUserId, username: connectUsername } = connectUserOf(message.body);
  const ageSeconds = Math.max(0, Math.round((now - message.sentAt) / 1000));
  return { queue, messageId, ageSeconds, connectUserId, connectUsername, code, message: reason, receiveCount };
}

export function isFiltered(filter: ReplayFilter): boolean {
  return Boolean(filter.codes?.length || filter.users?.length || filter.olderThanSeconds !== undefined || filter.newerThanSeconds !== undefined);
}

export function matches(row: DeadLetterRow, filter: ReplayFilter): boolean {
  if (filter.codes?.length && !filter.codes.some((c) => c.toUpperCase() === row.code.toUpperCase())) return false;
  if (filter.users?.length) {
    const names = [row.connectUserId, row.connectUsername].filter(Boolean).map((v) => String(v).toLowerCase());
    if (!filter.users.some((u) => names.includes(u.toLowerCase()))) return false;
  }
  if (filter.olderThanSeconds !== undefined && row.ageSeconds < filter.olderThanSeconds) return false;
  if (filter.newerThanSeconds !== undefined && row.ageSeconds > filter.newerThanSeconds) return false;
  return true;
}

/** Counts by error code, largest first. */
export function summarizeByCode(rows: Iterable<{ code: string }>): { code: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.code, (counts.get(row.code) ?? 0) + 1);
  return [...counts].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Parses `90s`, `15m`, `2h`, `3d`, `1w` into seconds; undefined when the text is not such a duration. */
export function parseDuration(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(value.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1));
}

/** 75 -> "1m15s", 90000 -> "1d1h": two units at most, for tables. */
export function formatAge(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size || (unit === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join('');
}
