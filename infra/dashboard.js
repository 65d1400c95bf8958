'use strict';
/**
 * The stack's CloudWatch dashboard (osls variable source `file`):
 *
 *   resources.Resources.Dashboard.Properties.DashboardBody: ${file(./infra/dashboard.js):body}
 *
 * Returns `{ "Fn::Sub": "<dashboard JSON>" }`: CloudFormation fills in the region and the names of the stack's queues
 * and functions (`${SyncQueue.QueueName}`, `${SyncUserLambdaFunction}`, ...). Every metric of our namespace is one the
 * code publishes, with the dimensions it publishes them with (service and stage, shared/composition/metrics.ts):
 * tests/package/template-dashboard.test.ts checks the rendered template against the code. The failures by error code
 * come from the sync function's log lines (it logs one per record with its errorCode), through Logs Insights.
 */

const SERVICE = 'connect-sso-sync';

/** The names of the metrics the functions publish: the one table they, `status` and this dashboard read. */
const METRICS = require('../shared/core/metric-names.json');

/** The outcomes the sync function counts per record (shared/adapters/process-record.ts). */
const OUTCOMES = Object.values(METRICS.recordOutcomes);
/** The reconcile function's drift metrics, but the known failures (shown by `status` and the dead-letter queue). */
const DRIFT = Object.entries(METRICS.drift).filter(([kind]) => kind !== 'known-failures').map(([, name]) => name);
/** Agents who cannot sign in, by reason, as each reconcile counts them (functions/reconcile/handler.ts). */
const CANNOT_SIGN_IN = Object.values(METRICS.cannotSignIn);
const { deadLettered, retried } = METRICS.failures;

/** The dashboard for a stage and metric namespace, with `${...}` references for Fn::Sub. */
function dashboard(stage, namespace) {
  const ours = (name) => [namespace, name, 'service', SERVICE, 'stage', stage];
  const queue = (metric, logicalId, label) => ['AWS/SQS', metric, 'QueueName', `\${${logicalId}.QueueName}`, { label }];
  const fn = (metric, logicalId, options = {}) => ['AWS/Lambda', metric, 'FunctionName', `\${${logicalId}}`, options];
  const widget = (x, y, title, metrics, stat, period, extra = {}) => ({
    type: 'metric', x, y, width: 12, height: 6,
    properties: { title, region: '${AWS::Region}', view: 'timeSeries', stacked: false, stat, period, metrics, ...extra },
  });
  const logs = (x, y, title, query) => ({
    type: 'log', x, y, width: 12, height: 6,
    properties: { title, region: '${AWS::Region}', view: 'table', query: `SOURCE '/aws/lambda/\${SyncUserLambdaFunction}' | ${query}` },
  });
  return {
    widgets: [
      widget(0, 0, 'Sync outcomes per hour', OUTCOMES.map(ours), 'Sum', 3600),
      widget(12, 0, 'Failures per hour (dead-lettered, retried)', [ours(deadLettered), ours(retried)], 'Sum', 3600),
      logs(0, 6, 'Dead-lettered by error code (24 h)',
        "filter message = 'record failed, sent to the dead-letter queue' | stats count(*) as deadLettered by errorCode | sort deadLettered desc"),
      logs(12, 6, 'Retries by error code, THROTTLED = throttled AWS calls (24 h)',
        "filter message = 'record failed, will retry' | stats count(*) as retries by errorCode | sort retries desc"),
      widget(0, 12, 'Sync queue: backlog and oldest message (s)', [
        queue('ApproximateNumberOfMessagesVisible', 'SyncQueue', 'waiting'),
        queue('ApproximateNumberOfMessagesNotVisible', 'SyncQueue', 'in flight'),
        [...queue('ApproximateAgeOfOldestMessage', 'SyncQueue', 'oldest (s)').slice(0, 4), { label: 'oldest (s)', yAxis: 'right' }],
      ], 'Maximum', 300),
      widget(12, 12, 'Dead-letter queues: depth', [
        queue('ApproximateNumberOfMessagesVisible', 'SyncDeadLetterQueue', 'sync-dlq'),
        queue('ApproximateNumberOfMessagesVisible', 'EventsDeadLetterQueue', 'events-dlq'),
      ], 'Maximum', 300),
      widget(0, 18, 'Reconcile: drift found per run, by kind', [...DRIFT.map(ours), ours(METRICS.reconcile.queued), ours(METRICS.reconcile.deferred)], 'Maximum', 3600),
      widget(12, 24, 'Agents who cannot sign in, by reason (each reconcile)', CANNOT_SIGN_IN.map(ours), 'Maximum', 3600),
      widget(12, 18, 'syncUser: errors and throttles', [fn('Errors', 'SyncUserLambdaFunction'), fn('Throttles', 'SyncUserLambdaFunction'), fn('Errors', 'ReconcileLambdaFunction', { label: 'reconcile errors' })], 'Sum', 300),
      widget(0, 24, 'syncUser: duration (ms)', [fn('Duration', 'SyncUserLambdaFunction', { stat: 'Average' }), fn('Duration', 'SyncUserLambdaFunction', { stat: 'Maximum' })], 'Average', 300),
    ],
  };
}

module.exports = {
  dashboard,
  body: async ({ resolveVariable }) => {
    const stage = String(await resolveVariable('sls:stage'));
    const namespace = String(await resolveVariable('self:provider.environment.POWERTOOLS_METRICS_NAMESPACE'));
    return { 'Fn::Sub': JSON.stringify(dashboard(stage, namespace)) };
  },
};
