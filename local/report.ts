/**
 * The end-of-day report of `npm start`: read from the emulator's state and the link table, so it shows what AWS
 * would hold — who each Connect user is in Identity Center, its groups, and what the day's changes did.
 */
import { DescribeInstanceCommand } from '@aws-sdk/client-connect';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { loadSyncConfig } from '../shared/config/config.js';
import { wantedGroupNames } from '../shared/core/plan-groups.js';
import type { SignInAnswer } from './emulator/index.js';
import type { Pipeline } from './pipeline.js';

export interface UserLine {
  username: string;
  /**
   * The sync's outcome: created | linked | failed: CODE | unmapped: no group, cannot sign in | not synced |
   * left Connect: deprovisioned, plus what the day changed.
   */
  result: string;
  /** What the emulator's sign-in simulation answers for this agent: signs in | not onboarded (...) | ... */
  signIn: string;
  /** `userName (email)` of the Identity Center user, when there is one. */
  identity?: string;
  groups: string[];
}

export interface Report {
  users: UserLine[];
  assignments: string[];
  deadLetters: { connectUser: string; code: string; message: string }[];
  eventsDeadLetters: number;
}

/** What the demo did after the upload, for the report: notes per Connect Username, and who left (with their ids). */
export interface DayStory {
  notes: Map<string, string>;
  leavers: { username: string; connectUserId: string; identityUserId?: string }[];
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** Connect user id -> { identity user id, created }: the links the service wrote. */
async function readLinks(p: Pipeline) {
  const client = new DynamoDBClient({ endpoint: p.emulator.endpoint, region: p.emulator.region });
  try {
    const out = await client.send(new ScanCommand({ TableName: p.ids.linksTable }));
    const links = new Map<string, { identityUserId: string; created: boolean }>();
    for (const item of out.Items ?? []) {
      const sk = item.sk?.S ?? '';
      if (sk.startsWith('user#')) links.set(sk.slice(5), { identityUserId: item.identityUserId?.S ?? '', created: item.created?.BOOL === true });
    }
    return links;
  } finally {
    client.destroy();
  }
}

/** The sign-in column for an identity's answer, seen from the Connect user `username` (undefined: the leaver's). */
export function signInCell(answer: SignInAnswer, username: string | undefined, usernameOf: (connectUserId: string) => string): string {
  switch (answer.result) {
    case 'SIGNED_IN': {
      const as = usernameOf(answer.connectUserId ?? '');
      return as === username ? 'signs in' : `signs in as ${as}`;
    }
    case 'NOT_ONBOARDED':
      return `not onboarded (no Connect user named exactly ${answer.roleSessionName ?? ''})`;
    case 'NOT_ASSIGNED':
      return 'application not assigned';
    case 'DISABLED':
      return 'disabled';
    case 'INVALID_SESSION_NAME':
      return `refused: ${answer.roleSessionName ?? '(empty)'} is no RoleSessionName`;
    case 'NO_IDENTITY':
      return 'no identity';
  }
}

/** Whether agents of this instance sign in through Identity Center at all (SAML), else why not. */
async function samlOrReason(p: Pipeline): Promise<string | undefined> {
  const out = await p.adminConnect.send(new DescribeInstanceCommand({ InstanceId: p.ids.instanceId }));
  const type = out.Instance?.IdentityManagementType;
  return type === 'SAML' ? undefined : `n/a (${type ?? 'unknown'} instance)`;
}

export async function buildReport(p: Pipeline, story: DayStory = { notes: new Map(), leavers: [] }): Promise<Report> {
  const { state } = p.emulator;
  const links = await readLinks(p);
  const identities = new Map(state.identityUsers(p.ids.identityStoreId).map((u) => [str(u.UserId), u]));
  const memberships = state.memberships(p.ids.identityStoreId);
  const groupNames = new Map(state.groups(p.ids.identityStoreId).map((g) => [str(g.GroupId), str(g.DisplayName)]));
  const deadLetters = state.queue(p.queues.syncDlq).messages.map((m) => {
    const detail = (JSON.parse(m.body) as { detail?: { requestParameters?: { Username?: string; UserId?: string } } }).detail;
    return {
      connectUser: detail?.requestParameters?.Username ?? detail?.requestParameters?.UserId ?? '(unreadable message)',
      code: m.messageAttributes.errorCode?.StringValue ?? 'RETRIES_EXHAUSTED',
      message: m.messageAttributes.errorMessage?.StringValue ?? 'retries exhausted (maxReceiveCount)',
    };
  });
  const describe = (identityUserId: string | undefined) => {
    const user = identityUserId ? identities.get(identityUserId) : undefined;
    if (!user) return undefined;
    const email = str(((user.Emails ?? []) as { Value?: string }[])[0]?.Value);
    return str(user.UserName) === email ? email : `${str(user.UserName)} (${email})`;
  };
  const groupsOf = (identityUserId: string | undefined) =>
    memberships.filter((m) => m.UserId === identityUserId).map((m) => m.groupName).sort();
  const withNote = (result: string, username: string) => [result, story.notes.get(username)].filter(Boolean).join(', ');

  const connectUsers = state.connectUsers(p.ids.instanceId);
  const usernameOf = (id: string) => str(connectUsers.find((u) => u.Id === id)?.Username) || id;
  const mapping = loadSyncConfig(p.env).groupMapping;
  const profileNames = new Map(state.securityProfiles(p.ids.instanceId).map((profile) => [profile.Id, profile.Name]));
  const unmapped = (u: (typeof connectUsers)[number]) =>
    wantedGroupNames(mapping, (Array.isArray(u.SecurityProfileIds) ? u.SecurityProfileIds : []).map((id) => ({ id: str(id), name: profileNames.get(str(id)) }))).length === 0;
  // The sign-in column comes from the emulator's simulation, written apart from the product: what AWS would answer.
  const notSaml = await samlOrReason(p);
  const signInOf = (username: string, identityUserId: string | undefined): string => {
    if (notSaml) return notSaml;
    if (identityUserId) return signInCell(p.emulator.signIn.as({ identityUserId }), username, usernameOf);
    // Not linked: someone may still sign in as this agent (an identity the service did not link).
    return p.emulator.signIn.identitiesSigningInAs({ username }).length > 0 ? 'signs in' : 'no identity';
  };

  const users = connectUsers.map((u): UserLine => {
    const username = str(u.Username);
    const link = links.get(str(u.Id));
    const failed = deadLetters.find((d) => d.connectUser === username || d.connectUser === str(u.Id));
    const result = failed ? `failed: ${failed.code}` : link ? (link.created ? 'created' : 'linked') : unmapped(u) ? 'unmapped: no group, cannot sign in' : 'not synced';
    return { username, result: withNote(result, username), signIn: signInOf(username, link?.identityUserId), identity: describe(link?.identityUserId), groups: groupsOf(link?.identityUserId) };
  });
  for (const leaver of story.leavers) {
    const kept = describe(leaver.identityUserId);
    const signIn = notSaml ?? (leaver.identityUserId ? signInCell(p.emulator.signIn.as({ identityUserId: leaver.identityUserId }), undefined, usernameOf) : 'no identity');
    users.push({ username: leaver.username, result: 'left Connect: deprovisioned', signIn, identity: kept && `${kept}, kept`, groups: groupsOf(leaver.identityUserId) });
  }

  const assignments = state
    .applicationAssignments(p.ids.applicationArn)
    .map((a) => `${a.PrincipalType === 'GROUP' ? (groupNames.get(a.PrincipalId) ?? a.PrincipalId) : a.PrincipalId} (${a.PrincipalType}) -> Amazon Connect`)
    .sort();
  return { users, assignments, deadLetters, eventsDeadLetters: state.queue(p.queues.eventsDlq).messages.length };
}

/** A path as a shell word: as is when it is plain, else in single quotes. */
const shellWord = (text: string) => (/^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

export interface ReportOptions {
  /** The emulator keeps running after the report (npm start -- --serve), so the operator commands can reach it. */
  serving?: boolean;
  /** The bulk-upload file given with --csv (undefined: the default one): the hint to run again names it too. */
  csv?: string;
}

export function printReport(report: Report, write: (line: string) => void, { serving = false, csv }: ReportOptions = {}): void {
  const serve = `npm start -- --serve${csv === undefined ? '' : ` --csv ${shellWord(csv)}`}`;
  const width = (values: string[], min: number) => Math.max(min, ...values.map((v) => v.length));
  const w = [
    width(report.users.map((u) => u.username), 12), width(report.users.map((u) => u.result), 4),
    width(report.users.map((u) => u.signIn), 7), width(report.users.map((u) => u.identity ?? '-'), 20),
  ];
  const row = (cells: string[]) => `  ${cells.map((c, i) => (i < w.length ? c.padEnd(w[i] ?? 0) : c)).join('  ')}`.trimEnd();
  write('');
  write('Connect users: what the sync did, and whether the agent can sign in (the emulator\'s sign-in simulation):');
  write(row(['CONNECT USER', 'SYNC', 'SIGN-IN', 'IDENTITY CENTER USER', 'GROUPS']));
  for (const u of report.users) write(row([u.username, u.result, u.signIn, u.identity ?? '-', u.groups.join(', ') || '-']));
  const count = (prefix: string) => report.users.filter((u) => u.result.startsWith(prefix)).length;
  const agents = report.users.filter((u) => !u.result.startsWith('left'));
  write('');
  write(`  ${count('created')} created, ${count('linked')} linked to an existing person, ${count('left')} deprovisioned, ${count('failed')} failed, ${count('unmapped')} unmapped, ${count('not synced')} not synced`);
  write(`  ${agents.filter((u) => u.signIn === 'signs in').length} of ${agents.length} agents in Connect can sign in`);
  write('');
  write('Application assignments:');
  for (const a of report.assignments.length ? report.assignments : ['(none)']) write(`  ${a}`);
  write('');
  write(`Dead-letter queue (sync-dlq): ${report.deadLetters.length} message(s)`);
  for (const d of report.deadLetters) write(`  ${d.connectUser}: ${d.code} - ${d.message}`);
  if (report.deadLetters.length) {
    // The one-user view says why, and what a sync would change now (it needs the emulator running, like replay).
    for (const user of [...new Set(report.deadLetters.map((d) => d.connectUser))].slice(0, 5)) write(`  Why ${user}? ${serving ? '' : `with ${serve}: `}npx connect-sso-sync user ${user}`);
    // Without --serve the emulator stops with the demo: a replay needs one that keeps running.
    write(serving
      ? '  Fix the cause, then (with the variables printed below exported): npx connect-sso-sync replay run'
      : `  To replay: run ${serve}, then in another terminal export the printed variables and run: npx connect-sso-sync replay run`);
  }
  if (report.eventsDeadLetters) write(`EventBridge target DLQ (events-dlq): ${report.eventsDeadLetters} undeliverable event(s)`);
}
