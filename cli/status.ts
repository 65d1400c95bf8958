import { queueNameOf } from '../shared/adapters/queues.js';
import { ConfigError } from '../shared/config/config.js';
import { managedGroupNames } from '../shared/core/plan-groups.js';
import type { MessageQueue, StatusMetricsReader, StatusReads } from '../shared/core/ports/index.js';
import { listDeadLetters } from '../shared/core/replay.js';
import { HOURS, OUTCOME_METRICS, unreadable, verdict } from '../shared/core/status.js';
import type { Checked, DeadLetterGroup, Health, OutcomeSeries, QueueBacklog, StatusFacts } from '../shared/core/status.js';
import { loadReconcileConfig, queueUrlFromEnv, type QueueRole } from '../shared/config/operator-config.js';
import { composeStatusCommand, type CliClients } from '../shared/composition/cli.js';
import { describeFailure, resolveQueueUrl } from './aws.js';
import { commandArgs, type CliIo } from './io.js';
import { ok, type Outcome, type Result } from './outcome.js';
import { renderStatus, statusJson } from './status-screen.js';

export const STATUS_HELP = `Usage: connect-sso-sync status [options]

Is it working, and what needs me? One screen from the deployed stack's own resources: the configuration in force, the
last 24 hours of events per outcome (CloudWatch metrics), the sync queue's backlog, the dead-letter queues per error
code (with the command that replays them), the last reconcile run, the alarms and their e-mail subscription, the
dashboard's address, and a verdict: healthy, or the first thing to do. Reads only; like \`replay list\`, reading the
dead-letter queues makes each message visible again at once (its receive count goes up by one).

Options:
  --stage <stage>   the stage (metrics, alarms, dashboard and queue names); default: STAGE, else the stage in
                    SYNC_QUEUE_URL's queue name (connect-sso-sync-<stage>-sync)
  --json            the same facts and the verdict as JSON
  -h, --help        this help

Configuration (environment): as for reconcile (CONNECT_INSTANCE_ID, IDENTITY_STORE_ID, LINKS_TABLE, GROUP_MAPPING, ...)
plus SYNC_QUEUE_URL, DLQ_URL, EVENTS_DLQ_URL (stack outputs; or found by name for the stage).
Exit status: 0 healthy, 1 needs attention (the verdict says what), 2 could not check (configuration, credentials, or a
source that could not be read).`;

const OPTIONS = { stage: { type: 'string' } } as const;

const SERVICE = 'connect-sso-sync';
const STAGE = /^[a-zA-Z0-9-]{1,40}$/;

/** --stage, else STAGE, else the stage in the sync queue's name. */
function stageOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const fromQueue = /\/connect-sso-sync-([a-zA-Z0-9-]+)-sync$/.exec(queueUrlFromEnv('sync', env) ?? '')?.[1];
  const stage = flag ?? (env.STAGE?.trim() || undefined) ?? fromQueue;
  if (!stage) throw new ConfigError('no stage: pass --stage <stage> (or set STAGE, or SYNC_QUEUE_URL to the stack output SyncQueueUrl)');
  if (!STAGE.test(stage)) throw new ConfigError(`--stage must be letters, digits and hyphens (got "${stage}")`);
  return stage;
}

const RESULT_OF: Record<Health, Result> = { healthy: 'ok', attention: 'problem', unknown: 'unchecked' };

/** Healthy: ok; needs attention: a problem; a source that could not be read (its section says why): unchecked. */
export const statusOutcome = (health: Health): Outcome => ({ result: RESULT_OF[health] });

export async function runStatus(argv: string[], io: CliIo, clients?: CliClients): Promise<Outcome> {
  const args = commandArgs(argv, OPTIONS, STATUS_HELP, io);
  if (!args) return ok();
  const { values } = args;
  const config = loadReconcileConfig(io.env);
  const stage = stageOf(values.stage, io.env);
  const now = (io.now ?? (() => new Date()))();
  const namespace = io.env.POWERTOOLS_METRICS_NAMESPACE?.trim() || 'ConnectSsoSync';
  const reads = composeStatusCommand(config, { namespace, service: SERVICE, stage }, clients);
  const url = (role: QueueRole) => resolveQueueUrl(reads.urls, role, io.env, stage);

  const groupsOf = async (names: readonly string[]) => Promise.all(names.map(async (name) => ({ name, id: await reads.groupIdOf(name) })));
  const alarmNames = [`${SERVICE}-${stage}-sync-dlq-messages`, `${SERVICE}-${stage}-events-dlq-messages`];
  // The alarms first: reading the dead-letter queues hides their messages for a moment, which an alarm evaluated
  // at that moment would see as an empty queue.
  const [alarms, outcomes, lastRun, region] = await Promise.all([
    checked(() => reads.metrics.alarms(alarmNames)),
    checked(() => outcomeSeries(reads.metrics, now)),
    checked(() => reads.runSummaries.read(config.connectInstanceId)),
    reads.stack.region(),
  ]);
  const topicArn = unreadable(alarms) ? undefined : alarms.find((a) => a.topicArn)?.topicArn;
  const [managedGroups, protectedGroups, syncQueue, deadLetters, subscription] = await Promise.all([
    groupsOf(managedGroupNames(config.groupMapping)),
    groupsOf(config.protectedGroupNames),
    checked(async () => syncBacklog(reads.stack, reads.metrics, await url('sync'), now)),
    checked(async () => deadLetterGroups(reads.queue, [{ role: 'sync-dlq', url: await url('sync-dlq') }, { role: 'events-dlq', url: await url('events-dlq') }], now)),
    // Whether someone receives the alarms: the e-mail subscriptions of their topic.
    topicArn ? checked(() => reads.stack.emailSubscription(topicArn)) : ('not checked' as const),
  ]);
  const { assignmentMode, createUsers, deprovision, updateIdentity, signInAttribute } = config;
  const facts: StatusFacts = {
    checkedAt: now,
    config: {
      stage, instanceId: config.connectInstanceId, identityStoreId: config.identityStoreId,
      assignmentMode, createUsers, deprovision, updateIdentity, signInAttribute, managedGroups, protectedGroups,
    },
    outcomes, syncQueue, deadLetters, lastRun, alarms, subscription,
    dashboardUrl: `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${SERVICE}-${stage}`,
  };
  const result = verdict(facts);
  if (values.json) io.out(statusJson(facts, result));
  else for (const line of renderStatus(facts, result)) io.out(line);
  return statusOutcome(result.health);
}

// What `status` reads, each source on its own: one that fails is reported in its section, the others still show.

/** Runs `read`; a failure becomes `{ error }` with the one line an operator can act on. */
export async function checked<T>(read: () => Promise<T>): Promise<Checked<T>> {
  try {
    return await read();
  } catch (error) {
    return { error: describeFailure(error).message };
  }
}

export async function outcomeSeries(metrics: StatusMetricsReader, now: Date): Promise<OutcomeSeries[]> {
  const sums = await metrics.hourlySums(OUTCOME_METRICS.map((m) => m.metric), now, HOURS);
  return OUTCOME_METRICS.map(({ outcome, metric }) => {
    const hourly = sums.get(metric) ?? new Array<number>(HOURS).fill(0);
    return { outcome, metric, hourly, total: hourly.reduce((a, b) => a + b, 0) };
  });
}

export async function syncBacklog(stack: StatusReads, metrics: StatusMetricsReader, url: string, now: Date): Promise<QueueBacklog> {
  const { visible, inFlight } = await stack.backlog(url);
  // SQS itself has no attribute for it: CloudWatch's AWS/SQS metric is the only source of the oldest message's age.
  const oldestAgeSeconds = visible + inFlight > 0 ? await metrics.queueMetric(queueNameOf(url), 'ApproximateAgeOfOldestMessage', now) : undefined;
  return { visible, inFlight, oldestAgeSeconds };
}

/**
 * The dead letters per queue and error code, oldest group first. Reading a message is the only way to see its code:
 * like `replay list`, each message read is made visible again at once (its receive count goes up by one).
 */
export async function deadLetterGroups(queue: (url: string) => MessageQueue, urls: { role: DeadLetterGroup['queue']; url: string }[], now: Date): Promise<DeadLetterGroup[]> {
  const groups = new Map<string, DeadLetterGroup>();
  for (const { role, url } of urls) {
    const { rows } = await listDeadLetters(queue(url), { visibilitySeconds: 30, now: () => now.getTime() });
    for (const row of rows) {
      const sent = new Date(now.getTime() - row.ageSeconds * 1000);
      const key = `${role} ${row.code}`;
      const group = groups.get(key) ?? { queue: role, code: row.code, count: 0, oldest: sent };
      groups.set(key, { ...group, count: group.count + 1, oldest: sent < group.oldest ? sent : group.oldest });
    }
  }
  return [...groups.values()].sort((a, b) => a.oldest.getTime() - b.oldest.getTime());
}
