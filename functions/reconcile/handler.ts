import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { composeScheduledReconcile } from '../../shared/composition/reconcile.js';
import { loadScheduledReconcileConfig } from '../../shared/config/operator-config.js';
import { queueExecutor, RECONCILE_SOURCE } from '../../shared/core/reconcile-executors.js';
import { DRIFT_KINDS } from '../../shared/core/reconcile-plan.js';
import { reconcile } from '../../shared/core/reconcile.js';
import { summarizeRun, type CannotSignIn } from '../../shared/core/run-summary.js';
import { CANNOT_SIGN_IN_METRICS, DRIFT_METRICS, METRIC_NAMES } from '../../shared/core/metric-names.js';

// Cold start: configuration validated, clients and adapters built once.
const config = loadScheduledReconcileConfig();
const { queue, runSummaries, logger, metrics, ...wiring } = composeScheduledReconcile(config);

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
    maxActions: Math.max(0, config.queueLimit - backlog),
  });
  const { plan } = report;
  const count = (name: string, value: number) => metrics.addMetric(name, MetricUnit.Count, value);
  for (const kind of DRIFT_KINDS) count(DRIFT_METRICS[kind], plan.drift[kind]);
  count(DRIFT_METRICS['unlinked-members'], plan.unlinkedMembers.length);
  count(DRIFT_METRICS['unassigned-groups'], plan.unassignedGroups.length);
  // Permanent failures not queued again (their Connect user did not change): they are in the dead-letter queue once.
  count(DRIFT_METRICS['known-failures'], plan.knownFailures.length);
  // Agents who cannot sign in through Identity Center, by reason (the mismatched ones the service did not create are
  // reported every run, never modified).
  const run = summarizeRun(report, {
    instanceId: config.connectInstanceId, trigger: 'schedule', startedAt, finishedAt: now(), knownFailures: plan.knownFailures.length,
  });
  for (const [reason, name] of Object.entries(CANNOT_SIGN_IN_METRICS)) count(name, run.cannotSignIn?.[reason as keyof CannotSignIn] ?? 0);
  count(METRIC_NAMES.reconcile.queued, report.results.length - report.failed);
  count(METRIC_NAMES.reconcile.deferred, report.deferred);
  const summary = {
    users: plan.users, links: plan.links, inSync: plan.inSync, drift: plan.drift,
    unlinkedMembers: plan.unlinkedMembers.length, unassignedGroups: plan.unassignedGroups.length,
    missingGroups: plan.missingGroups.length, knownFailures: plan.knownFailures.length,
    queued: report.results.filter((r) => r.outcome === 'queued').length, deferred: report.deferred, failed: report.failed, backlogBefore: backlog,
  };
  logger.info('reconcile planned', summary);
  // What `connect-sso-sync status` shows as the last run. A failed write loses only that view, never the run.
  await runSummaries.write(run).catch((error: unknown) => logger.warn('reconcile summary not recorded', { errorCode: (error as { code?: string }).code ?? 'UNEXPECTED' }));
  return summary;
}

export const handler = middy(() => scheduledReconcile()).use(injectLambdaContext(logger, { resetKeys: true })).use(logMetrics(metrics));
