/**
 * The stack's CloudWatch dashboard, as `osls package` renders it: every metric it plots is one the code publishes
 * (same namespace, name and dimensions), every AWS metric names a queue or function of the stack, every log query
 * reads the sync function's log group for a message the function writes. A dashboard that plots nothing is a defect.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allMetricNames } from '../../shared/core/metric-names.js';
import { packageStage, REPO_ROOT, type JsonObject, type Packaged } from '../support/osls-package.js';

const STAGE = 'dash';
let packaged: Packaged;

beforeAll(async () => {
  packaged = await packageStage({
    stage: STAGE,
    region: 'eu-west-2',
    params: {
      identityStoreId: 'd-1234567890',
      connectInstanceId: '4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20',
      ssoInstanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
      connectApplicationArn: 'arn:aws:sso::222222222222:application/ssoins-1234567890abcdef/apl-1234567890abcdef',
      managedGroupIds: '9067a1b2c3-1111aaaa-2222-4333-8444-555566667777',
    },
  });
}, 120_000);

const source = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
/**
 * The metric names the code publishes: those of the one table (shared/core/metric-names.json), and the functions name
 * none of their own (every count and addMetric takes a name from the table).
 */
function publishedMetrics(): Set<string> {
  for (const path of ['shared/adapters/process-record.ts', 'functions/reconcile/handler.ts']) {
    expect({ path, literalNames: source(path).match(/(?:count|addMetric)\(\s*['`]/g) ?? [] }).toEqual({ path, literalNames: [] });
  }
  expect(source('shared/adapters/process-record.ts')).toContain('RECORD_OUTCOME_METRICS[outcome]');
  expect(source('functions/reconcile/handler.ts')).toContain('count(DRIFT_METRICS[kind]');
  return new Set(allMetricNames());
}

function dashboardBody(): { widgets: { type: string; properties: JsonObject }[] } {
  const resources = packaged.template.Resources as Record<string, { Type: string; Properties: JsonObject }>;
  const dashboard = Object.values(resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard');
  expect(dashboard?.Properties.DashboardName).toBe(`connect-sso-sync-${STAGE}`);
  const body = (dashboard?.Properties.DashboardBody as { 'Fn::Sub'?: string } | undefined)?.['Fn::Sub'];
  expect(typeof body).toBe('string');
  return JSON.parse(body ?? '{}') as { widgets: { type: string; properties: JsonObject }[] };
}

it('plots only metrics the code publishes, with the namespace and dimensions it publishes them with', () => {
  const resources = packaged.template.Resources as Record<string, { Type: string; Properties: JsonObject }>;
  const env = (resources.SyncUserLambdaFunction?.Properties.Environment as { Variables: Record<string, string> }).Variables;
  const namespace = env.POWERTOOLS_METRICS_NAMESPACE;
  const published = publishedMetrics();
  const widgets = dashboardBody().widgets.filter((w) => w.type === 'metric');
  const typeOf = (ref: string) => resources[ref.replace(/^\$\{/, '').replace(/(\.QueueName)?\}$/, '')]?.Type;

  expect(widgets.length).toBeGreaterThanOrEqual(6);
  const plotted: string[] = [];
  for (const widget of widgets) {
    const metrics = widget.properties.metrics as (string | JsonObject)[][];
    expect(metrics.length).toBeGreaterThan(0);
    for (const metric of metrics) {
      const [ns, name, ...rest] = metric.filter((part): part is string => typeof part === 'string');
      const dimensions = Object.fromEntries(Array.from({ length: rest.length / 2 }, (_, i) => [rest[2 * i], rest[2 * i + 1]]));
      plotted.push(`${ns}/${name}`);
      if (ns === namespace) {
        expect({ name, published: published.has(name ?? '') }).toEqual({ name, published: true });
        expect(dimensions).toEqual({ service: env.POWERTOOLS_SERVICE_NAME, stage: env.STAGE });
      } else if (ns === 'AWS/SQS') {
        expect(Object.keys(dimensions)).toEqual(['QueueName']);
        expect(typeOf(dimensions.QueueName ?? '')).toBe('AWS::SQS::Queue');
      } else {
        expect(ns).toBe('AWS/Lambda');
        expect(Object.keys(dimensions)).toEqual(['FunctionName']);
        expect(typeOf(dimensions.FunctionName ?? '')).toBe('AWS::Lambda::Function');
      }
    }
  }
  // What the issue asks for, each at least once.
  for (const wanted of ['ConnectSsoSync/UsersCreated', 'ConnectSsoSync/DeadLettered', 'ConnectSsoSync/DriftMissingLink', 'AWS/SQS/ApproximateAgeOfOldestMessage',
    'AWS/SQS/ApproximateNumberOfMessagesVisible', 'AWS/Lambda/Errors', 'AWS/Lambda/Duration', 'AWS/Lambda/Throttles']) {
    expect(plotted).toContain(wanted);
  }
});

it('reads failures by error code from the sync function\'s log group, for messages the function logs', () => {
  const processRecord = source('shared/adapters/process-record.ts');
  const logs = dashboardBody().widgets.filter((w) => w.type === 'log');
  expect(logs).toHaveLength(2);
  for (const widget of logs) {
    const query = String(widget.properties.query);
    expect(query).toMatch(/^SOURCE '\/aws\/lambda\/\$\{SyncUserLambdaFunction\}' \| filter message = '([^']+)' \| stats count\(\*\) as \w+ by errorCode/);
    const message = /message = '([^']+)'/.exec(query)?.[1] ?? '';
    expect(processRecord).toContain(`'${message}'`);
  }
});

it('gives the dashboard\'s address as a stack output', () => {
  const outputs = packaged.template.Outputs as Record<string, { Value: JsonObject }>;
  expect(outputs.DashboardUrl?.Value).toEqual({
    'Fn::Sub': `https://\${AWS::Region}.console.aws.amazon.com/cloudwatch/home?region=\${AWS::Region}#dashboards/dashboard/connect-sso-sync-${STAGE}`,
  });
});
