import { ConfigError } from '../shared/config/config.js';
import { inlineExecutor } from '../shared/core/reconcile-executors.js';
import { summarizeRun } from '../shared/core/run-summary.js';
import { reconcile } from '../shared/core/reconcile.js';
import { loadReconcileConfig, type ReconcileConfig } from '../shared/config/operator-config.js';
import { createCliClients, type CliClients } from '../shared/composition/cli.js';
import { wireReconcile } from '../shared/composition/reconcile.js';
import { commandArgs, createProgress, fixedRow, positive, UsageError, type CliIo } from './io.js';
import { printKnownFailures, printPlanRows, printResult, printSignInProblems, printSummary, RESULT_WIDTHS, UNLINKED_SHOWN } from './reconcile-output.js';
import { ok, okUnless, type Outcome } from './outcome.js';

export const RECONCILE_HELP = `Usage: connect-sso-sync reconcile [options]

Compares three bulk snapshots — the Connect instance's users (ListUsers, or SearchUsers when the role mapping needs
security profiles), the link table, and the members of each managed group — and plans only for the users that
differ: a Connect user without a link (sync: create or link), a link whose Connect user is gone (deprovision, by
DeleteUser's rules), a managed membership missing or extra, security profiles that now map to other groups (sync),
and in user assignment mode a missing assignment. Users that agree everywhere cost no call of their own. Also
reported: members of managed groups that no link explains, and managed groups not assigned to the application.

Dry run by default: reads only, prints the plan per user and a summary, changes nothing. With --deep the dry run
runs the same use cases as --apply over ports that write nothing, so it lists what --apply would do, user by user.

A Connect user whose sync failed permanently (NO_EMAIL, USERNAME_TAKEN, ...) is remembered with its code and the
Connect user's LastModifiedTime: it is listed as a known failure and planned again only once it changed in Connect
(or with --retry-failed), so the same failure never reaches the dead-letter queue twice.

Options:
  --apply                 carry the plan out through the same rules as the event path
  --deep                  also read every linked user (Connect DescribeUser) and bring names and emails in line
                          (UPDATE_IDENTITY rules); the slow path: one Connect call per user
  --retry-failed          plan the known failures again even where the Connect user did not change (after a fix
                          outside Connect, e.g. in Identity Center)
  --remove-unlinked       with --apply: take members that no link explains out of the managed group (never deletes
                          them; a protected identity is never touched). Needs SHARED_LINKS_TABLES: the link tables of
                          the other stages that share the groups (their members are not unlinked), or none
  --max <n>               at most n user actions this run (a later run picks up the rest)
  --concurrency <n>       users in flight at once with --apply (default: 4)
  --rate <n>              Connect requests per second for each API (default: 2, Connect's default limit; lower it
                          while the sync function is busy: they share the account's limit)
  --json                  JSON lines: one per user action, then a summary
  -h, --help              this help

Interrupted? Run it again: every run starts from what is already done (the links and the memberships), never from a
bookmark, so nothing is done twice.

Configuration (environment): CONNECT_INSTANCE_ID, IDENTITY_STORE_ID, LINKS_TABLE, GROUP_MAPPING or AGENT_GROUP_NAME,
MANAGED_GROUP_IDS, SHARED_LINKS_TABLES, PROTECTED_GROUPS, ASSIGNMENT_MODE, SSO_INSTANCE_ARN, CONNECT_APPLICATION_ARN, CREATE_USERS,
DEPROVISION, UPDATE_IDENTITY, IDENTITY_CENTER_ROLE_ARN, IDENTITY_CENTER_EXTERNAL_ID, IDENTITY_CENTER_REGION, as for
the deployed function. Exit status: 0 done (dry run: plan computed; known failures alone are not a failure), 1 some
action failed anew (--apply), 2 could not do its work (usage, configuration, credentials, an AWS error that stopped
it).`;

const OPTIONS = {
  apply: { type: 'boolean', default: false },
  deep: { type: 'boolean', default: false },
  'remove-unlinked': { type: 'boolean', default: false },
  'retry-failed': { type: 'boolean', default: false },
  max: { type: 'string' },
  concurrency: { type: 'string' },
  rate: { type: 'string' },
  // Options of the checkpointed reconcile this one replaced: a clear word instead of "unknown option".
  resume: { type: 'boolean', default: false },
  checkpoint: { type: 'string' },
} as const;

export async function runReconcile(argv: string[], io: CliIo, clients?: CliClients): Promise<Outcome> {
  const args = commandArgs(argv, OPTIONS, RECONCILE_HELP, io);
  if (!args) return ok();
  const { values } = args;
  if (values.resume || values.checkpoint !== undefined) {
    throw new UsageError('reconcile needs no --resume or --checkpoint any more: every run starts from what is already done; run it again');
  }
  if (values['remove-unlinked'] && !values.apply) throw new UsageError('--remove-unlinked changes memberships: pass --apply --remove-unlinked');
  const concurrency = positive('concurrency', values.concurrency) ?? 4;
  const rate = positive('rate', values.rate, false) ?? 2;
  const max = positive('max', values.max);
  const config: ReconcileConfig = { ...loadReconcileConfig(io.env), connectRequestsPerSecond: rate };
  // A member another stage links is not unlinked: without knowing whether other stages share the groups, remove nobody.
  if (values['remove-unlinked'] && config.sharedLinksTables === undefined) {
    throw new ConfigError(
      '--remove-unlinked needs to know whether other stages share the managed groups: set SHARED_LINKS_TABLES to their ' +
        'link tables (each stage\'s stack output LinksTableName, comma-separated), or to none when no other stage uses these groups',
    );
  }
  const wiring = wireReconcile(config, clients ?? createCliClients(config));

  const mode = values.apply ? 'apply' : 'dry run';
  if (!values.json) {
    io.err(`reconcile (${mode}) of Connect instance ${config.connectInstanceId} at ${rate} Connect request(s)/s per API`);
    if (values.deep) io.err('--deep: one DescribeUser per linked user, the slow path (at 2/s, about 80 minutes for 10,000 users)');
  }
  const now = io.now ?? (() => new Date());
  const startedAt = now();
  const progress = createProgress(io, `reconcile (${mode})`);
  let header = false;
  // --deep dry run: the use cases over ports that write nothing, so each row says what --apply would do.
  const planning = !values.apply && values.deep ? wiring.planning() : undefined;
  const report = await reconcile({
    deps: wiring.core,
    sources: wiring.sources,
    executor: values.apply ? inlineExecutor(wiring.core, wiring.useCases) : planning && inlineExecutor(planning.core, planning.useCases),
    concurrency,
    maxActions: max,
    deep: values.deep,
    removeUnlinked: values['remove-unlinked'],
    retryFailed: values['retry-failed'],
    onSnapshot: (what, count) => progress.update(count, undefined, what),
    onResult: (result) => {
      progress.finish(); // erase the bar (stderr) before a row (stdout) when both are the terminal
      if (!header && !values.json) io.out(fixedRow(['ID', 'USERNAME / GROUP', 'ACTION', 'OUTCOME'], RESULT_WIDTHS));
      header = true;
      printResult(planning ? { ...result, outcome: `would be ${result.outcome}` } : result, values.json, io);
    },
  });
  progress.finish();
  const failures: string[] = [];
  if (values.apply) {
    // The last run, for `status` (a dry run changes nothing, so it is not a run to report).
    const run = summarizeRun(report, {
      instanceId: config.connectInstanceId, trigger: 'cli', startedAt, finishedAt: now(), knownFailures: report.plan.knownFailures.length,
    });
    await wiring.runSummaries.write(run).catch((error: unknown) => {
      failures.push(`note: the run summary for status was not recorded (${error instanceof Error ? error.message : String(error)})`);
    });
  }
  if (!values.apply && !planning) printPlanRows(report.plan, values.json, io);
  printKnownFailures(report.plan, values.json, io);
  printSignInProblems(report.plan, values.json, io);
  // The operator recognises people by user name: read those of the members listed (at most 50, like the list).
  const shown = report.unlinkedAfter.slice(0, values.json ? 0 : UNLINKED_SHOWN);
  const userNames = new Map(await Promise.all(shown.map(async (m) => [m.identityUserId, (await wiring.core.identityStore.describeUser(m.identityUserId))?.userName ?? ''] as const)));
  printSummary(report, config, values.apply, values.json, io, userNames);
  return okUnless(report.failed > 0, failures);
}
