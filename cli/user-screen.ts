import { formatAge } from '../shared/core/dead-letter-view.js';
import type { UserExplanation } from '../shared/core/explain-user.js';
import { describeStep, verdictLine } from '../shared/core/explain-verdict.js';
import type { Applied } from '../shared/core/provision-on-demand.js';
import type { CliIo } from './io.js';

const LABEL = 19;
const list = (items: readonly string[], none = 'none') => (items.length ? items.join(', ') : none);

/** The screen of `connect-sso-sync user`: one section per source, then the verdict and the plan. Terminal only. */
export function printExplanation(x: UserExplanation, io: CliIo): void {
  const line = (label: string, value: string) => io.out(`  ${label.padEnd(LABEL)}${value}`);
  const c = x.connect;
  io.out(`Connect (instance ${x.instanceId}${x.identityManagement ? `, identity management ${x.identityManagement}` : ''})`);
  if (!x.found) line('user', `"${x.query}": not found by id, Username or email`);
  else if (!c) line('user', `${x.found.connectUserId}: no longer in Connect (found by ${x.found.by})`);
  else {
    line('user', `${c.username}  ${c.id}  (found by ${x.found.by})`);
    line('name', [c.firstName, c.lastName].filter(Boolean).join(' ') || '-');
    line('email', c.email ? `${c.email}  (from ${c.emailSource ?? '?'})` : 'none: no Email, no SecondaryEmail, and the Username is not an email');
    line('security profiles', list(c.profiles.map((p) => p.name ?? p.id)));
    line('last modified', c.lastModified ?? '-');
    line('mapped to', list(x.wantedGroups, 'no managed group'));
  }
  if (x.link) {
    const l = x.link;
    io.out('Link table');
    line('link', l.linked ? `${l.identityUserId ?? ''}  (${l.created ? 'created by this service' : 'linked to a person who existed'}, since ${l.linkedAt ?? '?'})` : 'not linked');
    if (l.linked) line('groups recorded', list(l.groups));
    if (l.deletedAt) line('deletion', `confirmed ${l.deletedAt} (tombstone)`);
    if (l.failure) line('known failure', `${l.failure.code} since ${l.failure.since}`);
  }
  if (x.found) printIdentity(x, io, line);
  if (x.found) {
    io.out('Dead-letter queues');
    if (!x.deadLetters.read) line('messages', 'not read (DLQ_URL not set; or pass --stage)');
    else if (x.deadLetters.messages.length === 0) line('messages', 'none about this user');
    for (const m of x.deadLetters.messages) {
      const resolved = m.resolved ? 'RESOLVED (synced since)  ' : '';
      line(m.queue.endsWith('events-dlq') ? 'events-dlq' : 'sync-dlq', `${resolved}${m.code}  ${formatAge(m.ageSeconds)} ago  ${m.message}`);
    }
  }
  io.out('');
  const v = x.verdict;
  io.out(`Verdict: ${verdictLine(v)}`);
  if (v.fix) io.out(`  fix: ${v.fix}`);
  const { plan } = x;
  if (plan.useCase === 'none') return;
  const what = plan.useCase === 'sync' ? 'a sync' : 'the deprovision';
  if (plan.error) io.out(`Plan: ${what} now fails with ${plan.error.code}${plan.steps.length ? ', after these steps:' : ', changing nothing'}`);
  else io.out(`Plan: what ${what} would change now${plan.steps.length ? ':' : ': nothing'}`);
  plan.steps.forEach((s, i) => io.out(`  ${i + 1}. ${describeStep(s, x.groupNames)}`));
}

function printIdentity(x: UserExplanation, io: CliIo, line: (label: string, value: string) => void): void {
  const i = x.identity;
  const a = x.assignment;
  io.out('Identity Center');
  if (!i) {
    line('user', x.identityManagement === 'SAML' ? 'none linked, none with the sign-in name' : 'none linked, none with this email');
    return;
  }
  line('user', `${i.id}  (found by ${i.foundBy})`);
  if (!i.exists) {
    line('status', 'does not exist (deleted?)');
    return;
  }
  line('user name', `${i.userName ?? '-'}${i.displayName ? `  (${i.displayName})` : ''}`);
  line('email', i.email ?? '-');
  if (i.signIn) {
    const s = i.signIn;
    const verdict = s.match === 'exact' ? 'equals the Connect Username exactly' : `NOT the Connect Username "${s.username}"${s.match === 'case' ? ' (differs in case or spaces)' : ''}`;
    line('sign-in name', `"${s.sends ?? ''}" (${s.attribute === 'email' ? 'primary email' : 'UserName'}, sent as RoleSessionName): ${verdict}`);
  }
  if (x.link?.created) {
    line('first sign-in', 'created by API, so no password: with "Send email OTP" on (Identity Center > Settings > Authentication) a one-time password is e-mailed at the first sign-in attempt');
  }
  if (i.status) line('status', i.status === 'DISABLED' ? 'DISABLED: cannot sign in' : i.status);
  line('managed groups', `${list(i.managedGroups)}  (mapping wants: ${list(x.wantedGroups)})`);
  line('protected groups', i.protectedGroups.length ? `${i.protectedGroups.join(', ')}: PROTECTED, never linked, updated or removed` : 'none');
  if (i.otherDoors) {
    const d = i.otherDoors;
    line('other doors', `${d.groups} other group(s), ${d.applications} other application(s), ${d.accounts} AWS account assignment(s)`);
  }
  if (a?.mode === 'group') line('assignment', list(a.groups.map((g) => `${g.group} ${g.assigned ? 'assigned' : 'NOT assigned'}`), 'no group to assign'));
  if (a?.mode === 'user') line('assignment', a.user ? 'user assigned' : 'user NOT assigned');
  if (a?.mode === 'none') line('assignment', 'not managed (ASSIGNMENT_MODE=none)');
}

/** `--apply`: each write the use case made and its outcome, then the verdict as it is now. */
export function printApplied(applied: Applied | undefined, after: UserExplanation, io: CliIo): void {
  io.out('');
  if (!applied) {
    io.out('Apply: nothing to run for this user.');
    return;
  }
  const result = applied.error ? `failed ${applied.error.code}: ${applied.error.message}` : `${applied.outcome ?? ''}${applied.reason ? ` (${applied.reason})` : ''}`;
  io.out(`Applied (${applied.useCase}): ${result}`);
  applied.steps.forEach((s, i) => io.out(`  ${i + 1}. ${describeStep(s, after.groupNames)}  -> ${s.result}`));
  if (applied.steps.length === 0) io.out('  (no write was needed)');
  const v = after.verdict;
  io.out(`Verdict now: ${verdictLine(v)}`);
  if (v.fix && !v.canSignIn) io.out(`  fix: ${v.fix}`);
}
