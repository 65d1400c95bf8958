import type { SyncSettings } from './context.js';
import { METRIC_NAMES, RECORD_OUTCOME_METRICS } from './metric-names.js';
import type { ReconcileRunSummary } from './run-summary.js';

/**
 * `connect-sso-sync status`: what the stack's own resources say, and the verdict — healthy, or the first thing to do.
 * Ids, counts, codes and group names only: no person's name or email ever reaches this view.
 */

/** Each outcome the sync function counts, and the metric it publishes for it (metric-names.json), failures last. */
export const OUTCOME_METRICS: readonly { outcome: string; metric: string }[] = [
  ...Object.entries(RECORD_OUTCOME_METRICS).map(([outcome, metric]) => ({ outcome, metric })),
  { outcome: 'failed', metric: METRIC_NAMES.failures.deadLettered },
];

export const HOURS = 24;

/** A source that could not be read: shown in its section, and the exit code says "could not check". */
type Unreadable = { error: string };
export type Checked<T> = T | Unreadable;
export const unreadable = (value: unknown): value is Unreadable => typeof value === 'object' && value !== null && 'error' in value;

type SettingsInForce = Pick<SyncSettings, 'instanceId' | 'assignmentMode' | 'createUsers' | 'deprovision' | 'updateIdentity' | 'signInAttribute'>;

export interface StatusConfig extends SettingsInForce {
  stage: string;
  identityStoreId: string;
  /** Managed groups by name, with their id when the group exists. */
  managedGroups: { name: string; id?: string }[];
  protectedGroups: { name: string; id?: string }[];
}

export interface OutcomeSeries {
  outcome: string;
  metric: string;
  /** Events per hour, oldest first, HOURS of them. */
  hourly: number[];
  total: number;
}

export interface QueueBacklog {
  visible: number;
  inFlight: number;
  /** AWS/SQS ApproximateAgeOfOldestMessage, seconds; undefined when CloudWatch has no datapoint. */
  oldestAgeSeconds?: number;
}

export interface DeadLetterGroup {
  queue: 'sync-dlq' | 'events-dlq';
  code: string;
  count: number;
  /** When the oldest message of the group was sent. */
  oldest: Date;
}

export interface AlarmState {
  name: string;
  state: string;
  since?: Date;
  topicArn?: string;
}

export type SubscriptionState = 'confirmed' | 'pending' | 'none' | 'not checked';

export interface StatusFacts {
  checkedAt: Date;
  config: StatusConfig;
  outcomes: Checked<OutcomeSeries[]>;
  syncQueue: Checked<QueueBacklog>;
  deadLetters: Checked<DeadLetterGroup[]>;
  lastRun: Checked<ReconcileRunSummary | undefined>;
  alarms: Checked<AlarmState[]>;
  subscription: Checked<SubscriptionState>;
  dashboardUrl: string;
}

export type Health = 'healthy' | 'attention' | 'unknown';
export interface Verdict {
  health: Health;
  /** One line: "healthy", or the first thing to do. */
  line: string;
}

/** A backlog whose oldest message waited longer than this is not being drained. */
export const STALE_BACKLOG_SECONDS = 15 * 60;

/** What to do about a dead-letter code before replaying it (the replay command follows). */
const FIXES: Record<string, string> = {
  NO_EMAIL: 'on a SAML instance re-create those Connect users with their email as Username (or set SIGN_IN_ATTRIBUTE=userName if the application sends the UserName); elsewhere add emails in Connect',
  SIGN_IN_NAME_MISMATCH: "set each identity's sign-in attribute to exactly the Connect Username (`connect-sso-sync user <who>` shows both)",
  SIGN_IN_NAME_INVALID: 're-create the Connect users with a valid Username',
  AMBIGUOUS_MATCH: 'make the email match one Identity Center user',
  USERNAME_TAKEN: 'resolve the user name clash in Identity Center',
  EMAIL_IN_USE: 'resolve the email clash in Identity Center',
  ACCESS_DENIED: 'grant the missing permission (see the message: connect-sso-sync replay list)',
  GROUP_NOT_FOUND: 'create the managed group (connect-sso-sync doctor)',
  ASSIGNMENT_UNSUPPORTED: 'assign the group to the application once in the console, or set ASSIGNMENT_MODE=none',
  RETRIES_EXHAUSTED: 'check why they kept failing (connect-sso-sync replay list)',
};

const hhmm = (d: Date) => d.toISOString().slice(11, 16);
const day = (d: Date) => d.toISOString().slice(0, 10);
/** "09:12" today, "2026-12-01 09:12" on another day (UTC). */
export const when = (d: Date, now: Date) => (day(d) === day(now) ? `${hhmm(d)} UTC` : `${day(d)} ${hhmm(d)} UTC`);

/** The first thing that needs the operator, in order of harm; "healthy" when nothing does. */
export function verdict(f: StatusFacts): Verdict {
  const attention = (line: string): Verdict => ({ health: 'attention', line });
  const first = unreadable(f.deadLetters) ? undefined : [...f.deadLetters].sort((a, b) => a.oldest.getTime() - b.oldest.getTime())[0];
  if (first) {
    const events = first.queue === 'events-dlq';
    const fix = FIXES[first.code] ?? 'fix the cause (connect-sso-sync replay list shows each reason)';
    return attention(
      `${first.count} ${first.code} in the ${events ? 'events ' : ''}dead-letter queue since ${when(first.oldest, f.checkedAt)}: ` +
        `${fix}, then \`connect-sso-sync replay run${events ? ' --queue events-dlq' : ` --code ${first.code}`}\``,
    );
  }
  if (!unreadable(f.alarms)) {
    const firing = f.alarms.find((a) => a.state === 'ALARM');
    if (firing) return attention(`alarm ${firing.name} is in ALARM${firing.since ? ` since ${when(firing.since, f.checkedAt)}` : ''}: \`connect-sso-sync replay list\``);
  }
  if (!unreadable(f.syncQueue) && f.syncQueue.visible + f.syncQueue.inFlight > 0) {
    const waiting = f.syncQueue.visible + f.syncQueue.inFlight;
    const age = f.syncQueue.oldestAgeSeconds;
    const lastHour = unreadable(f.outcomes) ? undefined : f.outcomes.reduce((n, o) => n + (o.hourly[o.hourly.length - 1] ?? 0), 0);
    if (age !== undefined && age >= STALE_BACKLOG_SECONDS) {
      return attention(`${waiting} message(s) in the sync queue, the oldest ${Math.floor(age / 60)} min old: is the syncUser function failing? (its errors are on the dashboard)`);
    }
    if (lastHour === 0) return attention(`${waiting} message(s) in the sync queue and none processed in the last hour: is the syncUser function running?`);
  }
  if (!unreadable(f.lastRun) && f.lastRun) {
    const run = f.lastRun;
    const drift = Object.entries(run.drift).filter(([, n]) => n > 0);
    if (run.failed > 0) return attention(`the last reconcile (${when(new Date(run.finishedAt), f.checkedAt)}) had ${run.failed} failed action(s): run \`connect-sso-sync reconcile\` to see them`);
    if (run.knownFailures > 0) {
      // Their dead letters may have expired or been replayed: the command named here acts whatever the queue holds.
      return attention(
        `${run.knownFailures} Connect user(s) failed for good (each retried after a back-off of up to a day, or once its cause changes): ` +
          'fix the cause, then `connect-sso-sync reconcile --apply --retry-failed` (`connect-sso-sync reconcile` lists them)',
      );
    }
    const mismatched = run.cannotSignIn?.SIGN_IN_NAME_MISMATCH ?? 0;
    if (mismatched > 0) {
      return attention(
        `${mismatched} linked agent(s) cannot sign in: the identity's sign-in name is not exactly the Connect Username (never changed by the sync): ` +
          '`connect-sso-sync reconcile` lists them, `connect-sso-sync user <who>` shows both names and the fix',
      );
    }
    if (drift.length > 0) {
      const kinds = drift.map(([k, n]) => `${n} ${k}`).join(', ');
      return attention(`the last reconcile (${when(new Date(run.finishedAt), f.checkedAt)}) found drift (${kinds}): events were missed; \`connect-sso-sync reconcile\` shows what is left`);
    }
  }
  if (f.subscription === 'pending') return attention('the alarm e-mail subscription is not confirmed: click the link in the e-mail AWS Notifications sent');
  if (f.subscription === 'none') return attention('no e-mail subscription on the alarm topic: nobody hears of an alarm (deploy with the alarmEmail parameter)');
  const failedChecks = (['outcomes', 'syncQueue', 'deadLetters', 'lastRun', 'alarms', 'subscription'] as const).filter((k) => unreadable(f[k]));
  if (failedChecks.length > 0) return { health: 'unknown', line: `could not check ${failedChecks.join(', ')} (see above)` };
  return { health: 'healthy', line: 'healthy' };
}
