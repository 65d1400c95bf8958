import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { sqsQueueAdapter } from '../../shared/adapters/queues.js';
import { runSummaryStoreAdapter } from '../../shared/adapters/run-summaries.js';
import { createClients } from '../../shared/clients.js';
import { metrics } from '../../shared/composition.js';
import { ConfigError, describeIssues, URL_PATTERN } from '../../shared/config.js';
import { queueExecutor } from '../../shared/core/reconcile-executors.js';
import { DRIFT_KINDS } from '../../shared/core/reconcile-plan.js';
import { reconcile } from '../../shared/core/reconcile.js';
import { summarizeRun } from '../../shared/core/run-summary.js';
import { logger } from '../../shared/logger.js';
import { loadReconcileConfig } from '../../shared/operator-config.js';
import { wireReconcile } from '../../shared/operator-composition.js';
import { RECONCILE_SOURCE } from '../../shared/sync-message.js';

const env = z.object({
  SYNC_QUEUE_URL: z.string().check(z.regex(URL_PATTERN, 'must be the URL of the sync queue')),
  // What the sync function drains between two hourly runs at Connect's rate (about 25 minutes at 2 requests/s):
  // a run queues no more, so runs never pile up duplicates of work still queued; the rest is planned again next run.
  RECONCILE_QUEUE_LIMIT: z._default(z.coerce.number().check(z.int(), z.positive()), 3000),
});

// Cold start: configuration validated, clients built once.
const config = loadReconcileConfig();
const parsed = env.safeParse(process.env);
if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, process.env));
const { SYNC_QUEUE_URL: queueUrl, RECONCILE_QUEUE_LIMIT: limit } = parsed.data;
const clients = createClients(config);
const wiring = wireReconcile(config, clients);
const queue = sqsQueueAdapter(clients.sqs, queueUrl);
const runSummaries = runSummaryStoreAdapter(clients.dynamodb, config.linksTable);

const metricName = (kind: string) => `Drift${kind.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`;

/**
 * Scheduled (hourly by default): compares the bulk snapshots and queues one request per user that differs into the
 * sync queue, where syncUser carries it out by the same rules. Publishes the drift found as metrics, so an operator
 * sees when events were missed. Exported unwrapped for tests.
 */
export async function scheduledReconcile(now: () => Date = () => new Date()) {
  const startedAt = now();
  const backlog = await queue.approximateBacklog();
  const report = await reconcile({
    deps: wiring.core,
    sources: wiring.sources,
    executor: queueExecutor(wiring.core, queue, RECONCILE_SOURCE),
    concurrency: 10,
    maxActions: Math.max(0, limit - backlog),
  });
  const { plan } = report;
  for (const kind of DRIFT_KINDS) metrics.addMetric(metricName(kind), MetricUnit.Count, plan.drift[kind]);
  metrics.addMetric('DriftUnlinkedMembers', MetricUnit.Count, plan.unlinkedMembers.length);
  metrics.addMetric('DriftUnassignedGroups', MetricUnit.Count, plan.unassignedGroups.length);
  // Permanent failures not queued again (their Connect user did not change): they are in the dead-letter queue once.
  metrics.addMetric('DriftKnownFailures', MetricUnit.Count, plan.knownFailures.length);
  // Agents who cannot sign in through Identity Center, by reason (the mismatched ones the service did not create are
  // reported every run, never modified).
  const run = summarizeRun(report, {
    instanceId: config.connectInstanceId, trigger: 'schedule', startedAt, finishedAt: now(), knownFailures: plan.knownFailures.length,
  });
  metrics.addMetric('SignInNameMismatch', MetricUnit.Count, run.cannotSignIn?.SIGN_IN_NAME_MISMATCH ?? 0);
  metrics.addMetric('SignInIdentityDisabled', MetricUnit.Count, run.cannotSignIn?.IDENTITY_DISABLED ?? 0);
  metrics.addMetric('SignInUnmapped', MetricUnit.Count, run.cannotSignIn?.UNMAPPED ?? 0);
  metrics.addMetric('ReconcileQueued', MetricUnit.Count, report.results.length - report.failed);
  metrics.addMetric('ReconcileDeferred', MetricUnit.Count, report.deferred);
  const summary = {
    users: plan.users,
    links: plan.links,
    inSync: plan.inSync,
    drift: plan.drift,
    unlinkedMembers: plan.unlinkedMembers.length,
    unassignedGroups: plan.unassignedGroups.length,
    missingGroups: plan.missingGroups.length,
    knownFailures: plan.knownFailures.length,
    queued: report.results.filter((r) => r.outcome === 'queued').length,
    deferred: report.deferred,
    failed: report.failed,
    backlogBefore: backlog,
  };
  logger.info('reconcile planned', summary);
  // What `connect-sso-sync status` shows as the last run. A failed write loses only that view, never the run.
  await runSummaries.write(run).catch((error: unknown) => logger.warn('reconcile summary not recorded', { errorCode: (error as { code?: string }).code ?? 'UNEXPECTED' }));
  return summary;
}

export const handler = middy(() => scheduledReconcile()).use(injectLambdaContext(logger, { resetKeys: true })).use(logMetrics(metrics));
