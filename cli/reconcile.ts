import { join } from 'node:path';
import { findDrift, type DriftReport } from '../shared/core/drift.js';
import type { UserPlan } from '../shared/core/reconcile-plan.js';
import { reconcileUsers, type ReconcileSummary } from '../shared/core/reconcile.js';
import { loadOperatorSyncConfig, type OperatorSyncConfig } from '../shared/operator-config.js';
import { wireReconcile, type ReconcileWiring } from '../shared/operator-composition.js';
import { createCliClients, type CliClients } from './aws.js';
import { checkpointFile } from './checkpoint-file.js';
import { createProgress, EXIT, fixedRow, parseCommandArgs, positiveInteger, positiveNumber, UsageError, type CliIo } from './io.js';

export const RECONCILE_HELP = `Usage: connect-sso-sync reconcile [options]

Runs every user of the Connect instance through the same sync as the syncUser function and prints the plan per
user: create (new Identity Center user), link (existing user; add to group / assign), in-sync, or cannot (with the
error code). Also reports drift: members of the agents group that match no Connect user (never removed).

Dry run by default: reads only (Connect ListUsers + DescribeUser, Identity Store lookups), changes nothing.

Options:
  --apply                 carry the plan out (create users, add them to the group, assign)
  --resume                with --apply: continue an interrupted run from its checkpoint file
  --checkpoint <file>     checkpoint of --apply runs (default: ./.connect-sso-sync-reconcile.json)
  --concurrency <n>       users in flight at once (default: 4)
  --rate <n>              Connect requests per second for each of ListUsers and DescribeUser (default: 2, Connect's
                          default limit; lower it while the sync function is busy)
  --changes-only          list only users that are not in sync
  --no-drift              skip the drift report
  --json                  one JSON object per user, then a summary object (JSON lines)
  -h, --help              this help

Configuration (environment): CONNECT_INSTANCE_ID, IDENTITY_STORE_ID, AGENT_GROUP_NAME, ASSIGNMENT_MODE,
SSO_INSTANCE_ARN, CONNECT_APPLICATION_ARN, CREATE_USERS, IDENTITY_CENTER_ROLE_ARN, IDENTITY_CENTER_REGION, as for the
deployed function. Exit status: 0 done (dry run: plan computed), 1 some users failed or cannot be synced (--apply) or
errored, 2 wrong usage, configuration or credentials.`;

const OPTIONS = {
  apply: { type: 'boolean', default: false },
  resume: { type: 'boolean', default: false },
  checkpoint: { type: 'string' },
  concurrency: { type: 'string' },
  rate: { type: 'string' },
  'changes-only': { type: 'boolean', default: false },
  'no-drift': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const WIDTHS = [36, 32, 8, 30, 22];

export async function runReconcile(argv: string[], io: CliIo, clients?: CliClients): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  if (values.help) {
    io.out(RECONCILE_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.resume && !values.apply) throw new UsageError('--resume continues an --apply run: pass --apply --resume');
  const concurrency = positiveInteger('concurrency', values.concurrency) ?? 4;
  const rate = positiveNumber('rate', values.rate) ?? 2;
  const config = loadOperatorSyncConfig(io.env);
  const aws = clients ?? createCliClients(config);
  const wiring = wireReconcile(config, aws, { apply: values.apply, connectRequestsPerSecond: rate });
  const checkpoint = values.apply ? checkpointFile(values.checkpoint ?? join(io.cwd, '.connect-sso-sync-reconcile.json')) : undefined;

  const mode = values.apply ? 'apply' : 'dry run';
  if (!values.json) {
    io.err(`reconcile (${mode}) of Connect instance ${config.connectInstanceId} at ${rate} Connect request(s)/s per API`);
    io.out(fixedRow(['CONNECT USER ID', 'USERNAME', 'STATUS', values.apply ? 'DONE' : 'PLAN', 'CODE'], WIDTHS));
  }
  const progress = createProgress(io, `reconcile (${mode})`);
  let done = 0;
  const summary = await reconcileUsers({
    instanceId: config.connectInstanceId,
    lister: wiring.lister,
    syncUser: wiring.syncUser,
    assignmentMode: config.assignmentMode,
    concurrency,
    checkpoint,
    resume: values.resume,
    onListed: (user) => wiring.known.add(user.username),
    onUser: (plan) => {
      if (!values['changes-only'] || plan.status !== 'in-sync') {
        progress.finish(); // erase the bar (stderr) before a row (stdout) when both are the terminal
        printUser(plan, values.json, io);
      }
      progress.update(++done, undefined, 'users');
    },
  });
  progress.finish();
  const drift = values['no-drift'] ? undefined : await driftOf(config, wiring);
  printSummary(summary, drift, wiring, config, values.apply, values.json, io);
  const failed = summary.byStatus.error + (values.apply ? summary.byStatus.cannot : 0);
  return failed > 0 ? EXIT.failed : EXIT.ok;
}

function printUser(plan: UserPlan, json: boolean, io: CliIo): void {
  if (json) {
    io.out(JSON.stringify({ type: 'user', ...plan, message: undefined }));
    return;
  }
  const what = plan.status === 'cannot' || plan.status === 'error' ? '-' : plan.actions.join('+') || '-';
  io.out(fixedRow([plan.connectUserId, plan.username, plan.status, what, plan.code ?? ''], WIDTHS));
}

async function driftOf(config: OperatorSyncConfig, wiring: ReconcileWiring): Promise<DriftReport | { groupMissing: true }> {
  const groupId = await wiring.identityStore.findGroupIdByName(config.agentGroupName);
  if (!groupId) return { groupMissing: true };
  return findDrift(wiring.directory, groupId, wiring.known);
}

function printSummary(
  summary: ReconcileSummary,
  drift: DriftReport | { groupMissing: true } | undefined,
  wiring: ReconcileWiring,
  config: OperatorSyncConfig,
  applied: boolean,
  json: boolean,
  io: CliIo,
): void {
  if (json) {
    io.out(JSON.stringify({ type: 'summary', applied, ...summary, plannedWrites: wiring.plannedWrites, drift }));
    return;
  }
  const s = summary.byStatus;
  const codes = Object.entries(summary.byCode).map(([code, n]) => `${code} ${n}`).join(', ');
  io.out('');
  if (summary.resumedFrom) io.out(`Resumed after ${summary.resumedFrom.usersDone} user(s) done in an earlier run.`);
  io.out(`${applied ? 'Applied' : 'Plan (dry run, nothing changed)'}: ${summary.users} Connect user(s) in ${summary.pages} page(s)`);
  io.out(`  create   ${s.create}`);
  io.out(`  link     ${s.link}   (existing Identity Center user: ${applied ? 'added to the group / assigned' : 'add to the group / assign'})`);
  io.out(`  in-sync  ${s['in-sync']}`);
  io.out(`  cannot   ${s.cannot}${codes && s.cannot ? `   (${codes})` : ''}`);
  io.out(`  error    ${s.error}${s.error ? '   (transient: run again)' : ''}`);
  const planned = wiring.plannedWrites;
  if (planned?.groupCreated) io.out(`Group ${config.agentGroupName}: does not exist, would be created.`);
  if (config.assignmentMode === 'group' && planned) {
    io.out(`Group assignment to the application: ${planned.groupAssigned ? 'would be made' : 'already in place (or not reached)'}.`);
  }
  if (!drift) return;
  if ('groupMissing' in drift) {
    io.out(`Drift: group ${config.agentGroupName} does not exist yet, nothing to compare.`);
    return;
  }
  io.out(`Drift: ${drift.drift.length} of ${drift.members} member(s) of ${config.agentGroupName} match no Connect user (reported only, never removed)`);
  for (const d of drift.drift) io.out(`  ${d.identityUserId}  ${d.userName ?? ''}`.trimEnd());
}
