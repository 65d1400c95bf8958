/** What reconcile prints: a row per action carried out or planned, then the summary. Ids and user names only. */
import type { ReconcilePlan } from '../shared/core/reconcile-plan.js';
import type { ActionResult, ReconcileReport } from '../shared/core/reconcile.js';
import type { ReconcileConfig } from '../shared/config/operator-config.js';
import { fixedRow, formatTable, type CliIo } from './io.js';

// ACTION fits the longest action name (remove-unlinked) whole.
export const RESULT_WIDTHS = [36, 32, 15, 40];
export const UNLINKED_SHOWN = 50;
const DELETED = '(deleted in Connect)';

export function printResult(result: ActionResult, json: boolean, io: CliIo): void {
  if (json) {
    io.out(JSON.stringify({ type: 'result', ...result }));
    return;
  }
  const outcome = result.outcome === 'failed' ? `failed ${result.code ?? ''}` : result.outcome;
  // A deprovisioned user is gone from Connect: no user name to show, as in the plan's rows.
  const label = result.label ?? (result.action === 'deprovision' ? DELETED : '');
  io.out(fixedRow([result.subject, label, result.action, outcome], RESULT_WIDTHS));
}

export function printPlanRows(plan: ReconcilePlan, json: boolean, io: CliIo): void {
  if (!json && plan.actions.length + plan.linkWrites.length > 0) io.out(fixedRow(['CONNECT USER ID', 'USERNAME', 'ACTION', 'DRIFT'], RESULT_WIDTHS));
  const rows = [
    ...plan.actions.map(({ securityProfileIds: _profiles, ...row }) => row),
    ...plan.linkWrites.map((w) => ({ connectUserId: w.connectUserId, username: w.username, action: 'link', drift: ['missing-link'], identityUserId: w.identityUserId })),
  ];
  for (const row of rows) {
    if (json) io.out(JSON.stringify({ type: 'plan', ...row }));
    else io.out(fixedRow([row.connectUserId, row.username ?? DELETED, row.action, row.drift.join(',')], RESULT_WIDTHS));
  }
}

/** Connect's DescribeUser rate (per second, per account and region): what a per-user path cannot go faster than. */
const DESCRIBE_USER_RATE = 2;

/** The adoption's line (SAML: matched from the listing), or why the per-user path stays (no listing answers). */
export function adoptionLine(plan: ReconcilePlan): string | undefined {
  if (plan.adoption) {
    const { matched, linkOnly, toWrite } = plan.adoption;
    return matched + toWrite > 0 ? `  adoption     ${matched} matched by the Identity Store listing: ${linkOnly} link write(s) only, ${toWrite} to write in Identity Center` : undefined;
  }
  const unlinked = plan.actions.filter((a) => a.drift.includes('missing-link')).length;
  if (unlinked === 0) return undefined;
  return `  per-user     ${unlinked} unlinked user(s) matched one by one (no listing answers: not a SAML instance, the email is in DescribeUser only): ` +
    `at least ${unlinked} DescribeUser at ${DESCRIBE_USER_RATE}/s, a floor of ${Math.ceil(unlinked / DESCRIBE_USER_RATE)} s`;
}

/** A listed section of the plan: one JSON line per item, or a title and a table (nothing when empty). */
type Section<T> = { type: string; title: string; header: string[]; row: (item: T) => string[] };
function printSection<T extends object>(items: readonly T[], section: Section<T>, json: boolean, io: CliIo): void {
  if (json) {
    for (const item of items) io.out(JSON.stringify({ type: section.type, ...item }));
    return;
  }
  if (items.length === 0) return;
  io.out('');
  io.out(`${section.title}: ${items.length}`);
  io.out(fixedRow(section.header, RESULT_WIDTHS));
  for (const item of items) io.out(fixedRow(section.row(item), RESULT_WIDTHS));
}

/** Known failures: not planned again while the Connect user is unchanged. Usernames are for the terminal only. */
export function printKnownFailures(plan: ReconcilePlan, json: boolean, io: CliIo): void {
  printSection(plan.knownFailures, {
    type: 'known-failure',
    title: 'Known failures, planned again when their cause changes or their back-off is over (--retry-failed plans them now)',
    header: ['CONNECT USER ID', 'USERNAME', 'CODE', 'SINCE / NEXT TRY'],
    row: (f) => [f.connectUserId, f.step === 'deprovision' ? '(deleted: its deprovision)' : f.username, f.code, `${f.since.slice(0, 16)} / ${f.retryAt.slice(0, 16)}`],
  }, json, io);
}

/** Linked agents who cannot sign in for a reason no sync changes: listed every run (SAML instances). */
export function printSignInProblems(plan: ReconcilePlan, json: boolean, io: CliIo): void {
  printSection(plan.signInProblems, {
    type: 'cannot-sign-in',
    title: 'Linked agents who cannot sign in, never changed by the sync (`connect-sso-sync user <id>` shows the fix)',
    header: ['CONNECT USER ID', 'USERNAME', 'CODE', 'IDENTITY CENTER USER ID'],
    row: (p) => [p.connectUserId, p.username, p.code, p.identityUserId],
  }, json, io);
}

export function printSummary(report: ReconcileReport, config: ReconcileConfig, applied: boolean, json: boolean, io: CliIo, userNames: Map<string, string>): void {
  const { plan } = report;
  if (json) {
    const { actions: _actions, knownFailures, signInProblems, linkWrites, ...summary } = plan;
    io.out(JSON.stringify({ type: 'summary', applied, ...summary, linkWrites: linkWrites.length, knownFailures: knownFailures.length, cannotSignIn: signInProblems.length, deferred: report.deferred, failed: report.failed }));
    return;
  }
  const count = (action: string) => plan.actions.filter((a) => a.action === action).length;
  const kinds = Object.entries(plan.drift).filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`).join(', ');
  io.out('');
  io.out(`${applied ? 'Applied' : 'Plan (dry run, nothing changed)'}: ${plan.users} Connect user(s), ${plan.links} link(s), ${plan.inSync} in sync`);
  io.out(`  sync         ${count('sync')}`);
  if (plan.linkWrites.length) io.out(`  link         ${plan.linkWrites.length} (already right in Identity Center: a link write each, no sync)`);
  const adoption = adoptionLine(plan);
  if (adoption) io.out(adoption);
  if (count('update')) io.out(`  update       ${count('update')} (identities this service created whose sign-in name drifted)`);
  io.out(`  deprovision  ${count('deprovision')}`);
  if (kinds) io.out(`  drift: ${kinds}`);
  if (plan.knownFailures.length) io.out(`  known failures ${plan.knownFailures.length} (listed above; not planned again until they change)`);
  if (plan.signInProblems.length) io.out(`  cannot sign in ${plan.signInProblems.length} (listed above: sign-in name mismatch or identity disabled)`);
  if (plan.unmapped) io.out(`  unmapped     ${plan.unmapped} (no security profile maps to a managed group: no access)`);
  if (report.deferred) io.out(`  ${report.deferred} action(s) left for the next run (--max)`);
  if (applied) io.out(`  failed       ${report.failed}${report.failed ? ' (see the rows above; run again once the cause is fixed)' : ''}`);
  for (const name of plan.missingGroups) io.out(`Managed group ${name} does not exist${config.managedGroupIds ? ' (create it, then add its id to managedGroupIds)' : ': the first sync creates it'}.`);
  for (const g of plan.unassignedGroups) {
    // The row's outcome, in the same words: the group may have been assigned meanwhile (already-assigned) or failed.
    const row = report.results.find((r) => r.action === 'assign-group' && r.subject === g.groupId);
    const done = g.heldBack
      ? `not ${applied ? '' : 'to be '}assigned (known failure ${g.heldBack}, tried again after its back-off or with --retry-failed)`
      : !applied ? 'would be assigned' : !row ? 'not assigned (left for the next run)' : row.outcome === 'failed' ? `not assigned (failed ${row.code ?? ''})`.replace(' )', ')') : row.outcome;
    io.out(`Managed group ${g.groupName} is not assigned to the application: ${done}.`);
  }
  const unlinked = report.unlinkedAfter;
  if (unlinked.length > 0) {
    const fate = report.unlinkedRemoved > 0 ? `${report.unlinkedRemoved} taken out of the group` : 'reported only; --apply --remove-unlinked takes them out, never deletes';
    io.out(`Members of managed groups that no link explains: ${unlinked.length} (${fate})`);
    const rows = unlinked.slice(0, UNLINKED_SHOWN).map((m) => [m.groupName, m.identityUserId, userNames.get(m.identityUserId) ?? '']);
    // Columns as wide as their widest cell (a long group name no longer pushes its row out of line); names in full.
    for (const line of formatTable(['GROUP', 'IDENTITY CENTER USER ID', 'USER NAME'], rows, 1024)) io.out(`  ${line}`);
    if (unlinked.length > UNLINKED_SHOWN) io.out(`  ... and ${unlinked.length - UNLINKED_SHOWN} more (--json lists them all)`);
    if (!applied && report.plan.drift['missing-link'] > 0) io.out('  (a planned sync of a Connect user without a link may link some of them)');
  }
}
