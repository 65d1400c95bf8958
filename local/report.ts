/** The end-of-day report of `npm start`: read from the emulator's state, so it shows what AWS would hold. */
import type { Pipeline } from './pipeline.js';

export interface UserLine {
  username: string;
  connectUserId: string;
  result: 'created' | 'linked' | 'dead-lettered' | 'not synced';
  identityUserName?: string;
  inAgentsGroup: boolean;
  deadLetter?: { code: string; message: string };
}

export interface Report {
  users: UserLine[];
  assignments: string[];
  deadLetters: { connectUser: string; code: string; message: string }[];
  eventsDeadLetters: number;
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** `existingUserIds`: Identity Center users that were there before the run (linked, not created). */
export function buildReport(p: Pipeline, existingUserIds: Set<string>, groupName: string): Report {
  const { state } = p.emulator;
  const identityUsers = state.identityUsers(p.ids.identityStoreId);
  const memberships = state.memberships(p.ids.identityStoreId).filter((m) => m.groupName === groupName);
  const groups = new Map(state.groups(p.ids.identityStoreId).map((g) => [str(g.GroupId), str(g.DisplayName)]));
  const deadLetters = state.queue(p.queues.syncDlq).messages.map((m) => {
    const detail = (JSON.parse(m.body) as { detail?: { requestParameters?: { Username?: string } } }).detail;
    return {
      connectUser: detail?.requestParameters?.Username ?? '(unreadable message)',
      code: m.messageAttributes.errorCode?.StringValue ?? 'RETRIES_EXHAUSTED',
      message: m.messageAttributes.errorMessage?.StringValue ?? 'retries exhausted (maxReceiveCount)',
    };
  });

  const users = state.connectUsers(p.ids.instanceId).map((u): UserLine => {
    const username = str(u.Username);
    const info = (u.IdentityInfo ?? {}) as { Email?: string; SecondaryEmail?: string };
    const emails = [info.Email, info.SecondaryEmail, username].filter(Boolean).map((e) => String(e).toLowerCase());
    const identity =
      identityUsers.find((i) => str(i.UserName).toLowerCase() === username.toLowerCase()) ??
      identityUsers.find((i) => ((i.Emails ?? []) as { Value?: string }[]).some((e) => emails.includes(String(e.Value).toLowerCase())));
    const identityUserId = str(identity?.UserId);
    const deadLetter = deadLetters.find((d) => d.connectUser === username);
    const result = deadLetter ? 'dead-lettered' : !identity ? 'not synced' : existingUserIds.has(identityUserId) ? 'linked' : 'created';
    return {
      username,
      connectUserId: str(u.Id),
      result,
      identityUserName: identity ? str(identity.UserName) : undefined,
      inAgentsGroup: memberships.some((m) => m.UserId === identityUserId),
      deadLetter,
    };
  });

  const assignments = state
    .applicationAssignments(p.ids.applicationArn)
    .map((a) => `${a.PrincipalType === 'GROUP' ? (groups.get(a.PrincipalId) ?? a.PrincipalId) : a.PrincipalId} (${a.PrincipalType}) -> Amazon Connect`);
  return { users, assignments, deadLetters, eventsDeadLetters: state.queue(p.queues.eventsDlq).messages.length };
}

/** `serving`: the emulator keeps running after the report (npm start -- --serve), so the operator commands can reach it. */
export function printReport(report: Report, groupName: string, write: (line: string) => void, { serving = false } = {}): void {
  const width = Math.max(10, ...report.users.map((u) => u.username.length));
  write('');
  write('Connect users and their Identity Center sign-in:');
  write(`  ${'CONNECT USER'.padEnd(width)}  ${'RESULT'.padEnd(22)}  ${'IDENTITY CENTER USER'.padEnd(width)}  ${groupName.toUpperCase()}`);
  for (const u of report.users) {
    const result = u.deadLetter ? `failed: ${u.deadLetter.code}` : u.result;
    write(`  ${u.username.padEnd(width)}  ${result.padEnd(22)}  ${(u.identityUserName ?? '-').padEnd(width)}  ${u.inAgentsGroup ? 'member' : '-'}`);
  }
  const count = (r: UserLine['result']) => report.users.filter((u) => u.result === r).length;
  write('');
  write(`  ${count('created')} created, ${count('linked')} linked to an existing person, ${report.users.filter((u) => u.inAgentsGroup).length} in ${groupName}, ${count('dead-lettered')} failed, ${count('not synced')} not synced`);
  write('');
  write('Application assignments:');
  for (const a of report.assignments.length ? report.assignments : ['(none)']) write(`  ${a}`);
  write('');
  write(`Dead-letter queue (sync-dlq): ${report.deadLetters.length} message(s)`);
  for (const d of report.deadLetters) write(`  ${d.connectUser}: ${d.code} - ${d.message}`);
  if (report.deadLetters.length) {
    // Without --serve the emulator stops with the demo: a replay needs one that keeps running.
    write(serving
      ? '  Fix the cause, then (with the variables printed below exported): npx connect-sso-sync replay run'
      : '  To replay: run npm start -- --serve, then in another terminal export the printed variables and run: npx connect-sso-sync replay run');
  }
  if (report.eventsDeadLetters) write(`EventBridge target DLQ (events-dlq): ${report.eventsDeadLetters} undeliverable event(s)`);
}
