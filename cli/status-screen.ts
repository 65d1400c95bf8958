/** The one screen of `connect-sso-sync status`, and its JSON form. Ids, counts, codes and group names only. */
import type { ReconcileRunSummary } from '../shared/core/run-summary.js';
import { unreadable, when, type Checked, type StatusFacts, type Verdict } from '../shared/core/status.js';
import { formatTable } from './io.js';

const BARS = '▁▂▃▄▅▆▇█';

/** How many agents cannot sign in, by reason, as the last run counted them. */
function cannotSignInLine(run: ReconcileRunSummary): string {
  const c = run.cannotSignIn;
  if (!c) return '  cannot sign in: not counted by this run (a reconcile of this version counts it)';
  const total = c.SIGN_IN_NAME_MISMATCH + c.IDENTITY_DISABLED + c.UNMAPPED + run.knownFailures;
  return (
    `  cannot sign in ${total}: sign-in name mismatch ${c.SIGN_IN_NAME_MISMATCH}, identity disabled ${c.IDENTITY_DISABLED}, ` +
    `unmapped (no group) ${c.UNMAPPED}, known failures ${run.knownFailures}`
  );
}

/** One character per value, scaled to the largest; a space for zero (so quiet hours read as quiet). */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (v <= 0 || max === 0 ? ' ' : (BARS[Math.min(BARS.length - 1, Math.ceil((v / max) * BARS.length) - 1)] ?? ' '))).join('');
}

const duration = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);
const age = (seconds: number) => (seconds < 120 ? `${seconds} s` : seconds < 7200 ? `${Math.floor(seconds / 60)} min` : `${Math.floor(seconds / 3600)} h`);
const groupList = (groups: { name: string; id?: string }[]) =>
  groups.length === 0 ? '-' : groups.map((g) => `${g.name} (${g.id ?? 'does not exist'})`).join(', ');

function section<T>(value: Checked<T>, render: (v: T) => string[]): string[] {
  return unreadable(value) ? [`  could not read: ${value.error}`] : render(value);
}

export function renderStatus(f: StatusFacts, v: Verdict): string[] {
  const c = f.config;
  return [
    `connect-sso-sync status: stage ${c.stage}, checked ${f.checkedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    'Configuration',
    `  Connect instance  ${c.instanceId}`,
    `  identity store    ${c.identityStoreId}`,
    `  modes             assignment ${c.assignmentMode}, create users ${c.createUsers}, deprovision ${c.deprovision}, update identity ${c.updateIdentity}, sign-in attribute ${c.signInAttribute}`,
    `  managed groups    ${groupList(c.managedGroups)}`,
    `  protected groups  ${groupList(c.protectedGroups)}`,
    '',
    'Last 24 hours (events per outcome; one mark per hour, oldest left)',
    ...section(f.outcomes, (series) => series.map((s) => `  ${s.outcome.padEnd(14)}${String(s.total).padStart(6)}  |${sparkline(s.hourly)}|`)),
    '',
    'Sync queue',
    ...section(f.syncQueue, (q) => [
      `  ${q.visible} waiting, ${q.inFlight} in flight${q.oldestAgeSeconds !== undefined && q.visible + q.inFlight > 0 ? `, oldest ${age(q.oldestAgeSeconds)}` : ''}`,
    ]),
    '',
    'Dead-letter queues',
    ...section(f.deadLetters, (groups) => {
      if (groups.length === 0) return ['  empty'];
      const table = formatTable(['QUEUE', 'ERROR CODE', 'COUNT', 'OLDEST'], groups.map((g) => [g.queue, g.code, String(g.count), when(g.oldest, f.checkedAt)]));
      const commands = groups.map((g) => (g.queue === 'events-dlq' ? 'connect-sso-sync replay run --queue events-dlq' : `connect-sso-sync replay run --code ${g.code}`));
      return [...table.map((l) => `  ${l}`), ...[...new Set(commands)].map((cmd) => `  replay: ${cmd}`), '  (see each message and its reason: connect-sso-sync replay list)'];
    }),
    '',
    'Last reconcile',
    ...section(f.lastRun, (run) => (run ? lastRunLines(run, f.checkedAt) : ['  no run recorded yet (the scheduled reconcile and reconcile --apply record one)'])),
    '',
    'Alarms',
    ...section(f.alarms, (alarms) =>
      alarms.length === 0
        ? ['  none found (is the stage deployed in this account and region?)']
        : alarms.map((a) => `  ${a.name}  ${a.state}${a.since ? ` since ${when(a.since, f.checkedAt)}` : ''}`),
    ),
    `  e-mail subscription: ${unreadable(f.subscription) ? `could not read: ${f.subscription.error}` : f.subscription}`,
    `Dashboard  ${f.dashboardUrl}`,
    '',
    `Verdict: ${v.line}`,
  ];
}

function lastRunLines(run: ReconcileRunSummary, now: Date): string[] {
  const drift = Object.entries(run.drift).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const verb = run.trigger === 'schedule' ? 'queued' : 'applied';
  return [
    `  ${when(new Date(run.finishedAt), now)} (${run.trigger === 'schedule' ? 'scheduled' : 'reconcile --apply'}), took ${duration(run.durationMs)}: ${run.users} Connect user(s), ${run.inSync} in sync`,
    `  drift: ${drift}`,
    `  ${verb} ${run.acted}, deferred ${run.deferred}, failed ${run.failed}, known permanent failures ${run.knownFailures}`,
    `  members no link explains ${run.unlinkedMembers}, managed groups not assigned ${run.unassignedGroups}, missing ${run.missingGroups}`,
    cannotSignInLine(run),
    ...(run.adoption && run.adoption.matched + run.adoption.toWrite > 0
      ? [`  adoption: ${run.adoption.matched} unlinked user(s) matched by the Identity Store listing, ${run.adoption.linkOnly} linked at once, ${run.adoption.toWrite} to write in Identity Center`]
      : []),
  ];
}

/** The JSON form: the same facts, dates as ISO strings, and the verdict. */
export function statusJson(f: StatusFacts, v: Verdict): string {
  return JSON.stringify({ ...f, verdict: v }, null, 2);
}
