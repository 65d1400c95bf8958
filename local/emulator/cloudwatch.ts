/**
 * CloudWatch (GetMetricData, DescribeAlarms). The installed @aws-sdk/client-cloudwatch speaks the AWS JSON 1.0
 * protocol (`X-Amz-Target: GraniteServiceVersion20100801.<Operation>`, timestamps as epoch seconds) with
 * awsQueryCompatible errors: `__type` plus `x-amzn-query-error: <query code>;Sender`, from which the SDK names the error.
 * Metrics come from the embedded metric format lines the functions write (cloudwatch-metrics.ts); alarms are those of
 * serverless.yml (`createAlarms`), evaluated against their metric when described.
 */
import { MetricStore, STATISTICS, statistic, type Dimension, type Statistic } from './cloudwatch-metrics.js';
import { ApiError, arr, compact, isObject, num, obj, str, strings, type Json, type JsonObject } from './core.js';
import { DEFAULT_SERVERLESS_PATH, dig, loadServerlessConfig } from './serverless-config.js';
import type { SqsEngine } from './sqs-engine.js';

export interface AlarmSpec {
  name: string;
  description?: string;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  statistic: Statistic;
  period: number;
  evaluationPeriods: number;
  threshold: number;
  comparisonOperator: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
  treatMissingData?: 'notBreaching' | 'breaching' | 'missing' | 'ignore';
  alarmActions?: string[];
  okActions?: string[];
}

interface Alarm extends AlarmSpec {
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason: string;
  updatedAt: number;
}

const invalid = (message: string) => new ApiError('InvalidParameterValueException', 400, message, {}, { 'x-amzn-query-error': 'InvalidParameterValue;Sender' });
const missing = (member: string) =>
  new ApiError('MissingRequiredParameterException', 400, `The parameter ${member} is required.`, {}, { 'x-amzn-query-error': 'MissingParameter;Sender' });

const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
const HIGH_RESOLUTION_PERIODS = new Set([1, 5, 10, 20, 30]);

export class CloudWatchService {
  readonly metrics: MetricStore;
  private readonly alarms = new Map<string, Alarm>();

  constructor(private readonly region: string, private readonly accountId: string, sqs: SqsEngine) {
    this.metrics = new MetricStore(sqs);
  }

  putAlarm(spec: AlarmSpec): void {
    this.alarms.set(spec.name, { ...spec, state: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', updatedAt: Date.now() });
  }

  handle(operation: string, input: JsonObject): JsonObject {
    if (operation === 'GetMetricData') return this.getMetricData(input);
    if (operation === 'DescribeAlarms') return this.describeAlarms(input);
    throw new ApiError('UnknownOperationException', 400, 'The operation is not supported by the emulator.');
  }

  private getMetricData(input: JsonObject): JsonObject {
    const queries = arr(input, 'MetricDataQueries').filter(isObject);
    if (!('MetricDataQueries' in input)) throw missing('MetricDataQueries');
    if (queries.length > 500) throw invalid('The collection MetricDataQueries must not have a size greater than 500.');
    const start = num(input, 'StartTime');
    const end = num(input, 'EndTime');
    if (start === undefined) throw missing('StartTime');
    if (end === undefined) throw missing('EndTime');
    if (end <= start) throw invalid('The parameter StartTime must be less than the parameter EndTime.');
    const ascending = str(input, 'ScanBy') === 'TimestampAscending';
    const results = queries.map((query): JsonObject => {
      const id = str(query, 'Id') ?? '';
      if (!QUERY_ID.test(id) || id.length > 255) throw invalid('The value for parameter MetricDataQueries.member.Id must start with a lowercase letter and contain only letters, digits and underscores.');
      if (str(query, 'Expression') !== undefined) throw invalid('Metric math expressions are not emulated.');
      const stat = obj(query, 'MetricStat');
      const metric = stat && obj(stat, 'Metric');
      if (!stat || !metric) throw invalid('Each MetricDataQuery must have either MetricStat or Expression.');
      const period = num(stat, 'Period') ?? 0;
      if (!(Number.isInteger(period) && (period % 60 === 0 || HIGH_RESOLUTION_PERIODS.has(period)) && period > 0)) {
        throw invalid('The parameter MetricDataQueries.member.MetricStat.Period must be 1, 5, 10, 20, 30 or a multiple of 60.');
      }
      const statName = str(stat, 'Stat') as Statistic | undefined;
      if (!statName || !STATISTICS.includes(statName)) throw invalid('The parameter MetricDataQueries.member.MetricStat.Stat must be a statistic the emulator supports (Sum, Average, Maximum, Minimum, SampleCount).');
      const dimensions = arr(metric, 'Dimensions').filter(isObject).map((d) => ({ Name: str(d, 'Name') ?? '', Value: str(d, 'Value') ?? '' }));
      const points = this.metrics.datapoints(str(metric, 'Namespace') ?? '', str(metric, 'MetricName') ?? '', dimensions, start * 1000, end * 1000);
      const buckets = new Map<number, number[]>();
      for (const p of points) {
        const bucket = Math.floor(p.at / 1000 / period) * period;
        buckets.set(bucket, [...(buckets.get(bucket) ?? []), p.value]);
      }
      const times = [...buckets.keys()].sort((a, b) => (ascending ? a - b : b - a));
      return compact({
        Id: id,
        Label: str(query, 'Label') ?? str(metric, 'MetricName') ?? id,
        Timestamps: times,
        Values: times.map((t) => statistic(statName, buckets.get(t) ?? [])),
        StatusCode: 'Complete',
        Messages: [],
      });
    });
    return { MetricDataResults: results.filter((_, i) => (queries[i]?.ReturnData ?? true) !== false), Messages: [] };
  }

  private describeAlarms(input: JsonObject): JsonObject {
    const names = strings(input, 'AlarmNames');
    const prefix = str(input, 'AlarmNamePrefix');
    const stateValue = str(input, 'StateValue');
    if (names.length > 100) throw invalid('The collection AlarmNames must not have a size greater than 100.');
    const chosen = [...this.alarms.values()]
      .filter((a) => (names.length === 0 || names.includes(a.name)) && (prefix === undefined || a.name.startsWith(prefix)))
      .map((a) => this.evaluate(a))
      .filter((a) => stateValue === undefined || a.state === stateValue)
      .sort((a, b) => a.name.localeCompare(b.name));
    return { MetricAlarms: chosen.map((a) => this.render(a)), CompositeAlarms: [] };
  }

  /** The alarm's state from its metric's latest period (one evaluation period; missing data as TreatMissingData says). */
  private evaluate(alarm: Alarm, now = Date.now()): Alarm {
    const points = this.metrics.datapoints(alarm.namespace, alarm.metricName, alarm.dimensions, now - alarm.period * 1000 * alarm.evaluationPeriods, now + 1, now);
    let state: Alarm['state'];
    let reason: string;
    if (points.length === 0) {
      state = alarm.treatMissingData === 'breaching' ? 'ALARM' : alarm.treatMissingData === 'notBreaching' ? 'OK' : 'INSUFFICIENT_DATA';
      reason = 'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as ' + (state === 'ALARM' ? '[Breaching].' : '[NonBreaching].');
    } else {
      const value = statistic(alarm.statistic, points.map((p) => p.value));
      const op = alarm.comparisonOperator;
      const breaching = op === 'GreaterThanThreshold' ? value > alarm.threshold : op === 'GreaterThanOrEqualToThreshold' ? value >= alarm.threshold : op === 'LessThanThreshold' ? value < alarm.threshold : value <= alarm.threshold;
      state = breaching ? 'ALARM' : 'OK';
      reason = `Threshold Crossed: 1 datapoint [${value}] was ${breaching ? '' : 'not '}${op.replace(/([A-Z])/g, ' $1').trim().toLowerCase()} (${alarm.threshold}).`;
    }
    if (state !== alarm.state) Object.assign(alarm, { state, reason, updatedAt: now });
    return alarm;
  }

  private render(a: Alarm): JsonObject {
    const seconds = a.updatedAt / 1000;
    return compact({
      AlarmName: a.name,
      AlarmArn: `arn:aws:cloudwatch:${this.region}:${this.accountId}:alarm:${a.name}`,
      AlarmDescription: a.description,
      ActionsEnabled: true,
      OKActions: a.okActions ?? [],
      AlarmActions: a.alarmActions ?? [],
      InsufficientDataActions: [],
      StateValue: a.state,
      StateReason: a.reason,
      StateUpdatedTimestamp: seconds,
      StateTransitionedTimestamp: seconds,
      MetricName: a.metricName,
      Namespace: a.namespace,
      Statistic: a.statistic,
      Dimensions: a.dimensions as unknown as Json,
      Period: a.period,
      EvaluationPeriods: a.evaluationPeriods,
      Threshold: a.threshold,
      ComparisonOperator: a.comparisonOperator,
      TreatMissingData: a.treatMissingData,
    });
  }
}

/**
 * The `AWS::CloudWatch::Alarm` resources of serverless.yml for a stage: names resolved (`${self:service}`,
 * `${sls:stage}`), a `!GetAtt <Queue>.QueueName` dimension resolved to that queue's name, `!Ref <Topic>` actions to
 * the topic's ARN. Anything else unresolvable is an error (the alarm would watch a metric AWS never sees).
 */
export function alarmsFromServerless(stage: string, region: string, accountId: string, path = DEFAULT_SERVERLESS_PATH): AlarmSpec[] {
  const config = loadServerlessConfig(path);
  const service = String(config.service);
  const resources = (dig(config, 'resources', 'Resources') ?? {}) as Record<string, unknown>;
  const name = (raw: unknown, what: string): string => {
    const text = typeof raw === 'string' ? raw.replace(/\$\{self:service\}/g, service).replace(/\$\{sls:stage\}/g, stage) : '';
    if (!text || text.includes('${')) throw new Error(`serverless.yml: ${what} is not a name the emulator resolves`);
    return text;
  };
  const value = (raw: unknown, what: string): string => {
    const getAtt = dig(raw, 'Fn::GetAtt');
    if (typeof getAtt === 'string' && getAtt.endsWith('.QueueName')) return name(dig(resources, getAtt.split('.')[0] ?? '', 'Properties', 'QueueName'), what);
    const ref = dig(raw, 'Ref');
    if (typeof ref === 'string' && dig(resources, ref, 'Type') === 'AWS::SNS::Topic') {
      return `arn:aws:sns:${region}:${accountId}:${name(dig(resources, ref, 'Properties', 'TopicName'), what)}`;
    }
    return name(raw, what);
  };
  return Object.entries(resources)
    .filter(([, r]) => dig(r, 'Type') === 'AWS::CloudWatch::Alarm')
    .map(([id, r]) => {
      const p = (dig(r, 'Properties') ?? {}) as Record<string, unknown>;
      const list = (raw: unknown) => (Array.isArray(raw) ? raw.map((a) => value(a, `${id} action`)) : []);
      return {
        name: name(p.AlarmName, `${id} AlarmName`),
        description: typeof p.AlarmDescription === 'string' ? p.AlarmDescription : undefined,
        namespace: String(p.Namespace),
        metricName: String(p.MetricName),
        dimensions: (Array.isArray(p.Dimensions) ? p.Dimensions : []).map((d) => ({ Name: String(dig(d, 'Name')), Value: value(dig(d, 'Value'), `${id} dimension`) })),
        statistic: String(p.Statistic) as Statistic,
        period: Number(p.Period),
        evaluationPeriods: Number(p.EvaluationPeriods),
        threshold: Number(p.Threshold),
        comparisonOperator: String(p.ComparisonOperator) as AlarmSpec['comparisonOperator'],
        treatMissingData: p.TreatMissingData as AlarmSpec['treatMissingData'],
        alarmActions: list(p.AlarmActions),
        okActions: list(p.OKActions),
      };
    });
}
