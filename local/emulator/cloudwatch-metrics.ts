/**
 * CloudWatch's metric store, as CloudWatch Logs fills it from a Lambda function's embedded metric format (EMF) lines
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * one datapoint per metric value, under each dimension set the line declares. AWS/SQS queue metrics are not stored:
 * they are read from the queue when asked (the emulator keeps no history of them: one datapoint, at the current minute).
 */
import type { SqsEngine } from './sqs-engine.js';

export interface Dimension {
  Name: string;
  Value: string;
}

interface Datapoint {
  /** Milliseconds since the epoch. */
  at: number;
  value: number;
}

export type Statistic = 'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount';
export const STATISTICS: readonly Statistic[] = ['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount'];

/** A metric's identity: namespace, name and the exact set of dimensions (order does not matter), as in CloudWatch. */
export function metricKey(namespace: string, name: string, dimensions: readonly Dimension[]): string {
  const dims = [...dimensions].sort((a, b) => a.Name.localeCompare(b.Name)).map((d) => `${d.Name}=${d.Value}`);
  return JSON.stringify([namespace, name, dims]);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export class MetricStore {
  private readonly points = new Map<string, Datapoint[]>();

  constructor(private readonly sqs: SqsEngine) {}

  /**
   * Takes one log line (object or JSON text). A line without a valid `_aws.CloudWatchMetrics` directive is not a
   * metric (CloudWatch Logs keeps it as a log event only): false. Values may be a number or an array of numbers.
   */
  putEmf(line: unknown): boolean {
    let record: unknown = line;
    if (typeof line === 'string') {
      try {
        record = JSON.parse(line);
      } catch {
        return false;
      }
    }
    if (!isRecord(record) || !isRecord(record._aws)) return false;
    const meta = record._aws;
    const at = typeof meta.Timestamp === 'number' ? meta.Timestamp : Date.now();
    const directives = Array.isArray(meta.CloudWatchMetrics) ? meta.CloudWatchMetrics.filter(isRecord) : [];
    let stored = false;
    for (const directive of directives) {
      const namespace = directive.Namespace;
      if (typeof namespace !== 'string') continue;
      const sets = Array.isArray(directive.Dimensions) ? directive.Dimensions.filter((s): s is unknown[] => Array.isArray(s)) : [[]];
      const metrics = Array.isArray(directive.Metrics) ? directive.Metrics.filter(isRecord) : [];
      for (const metric of metrics) {
        const name = metric.Name;
        if (typeof name !== 'string') continue;
        const raw = record[name];
        const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
        for (const set of sets) {
          const dimensions = set.filter((d): d is string => typeof d === 'string').map((d) => ({ Name: d, Value: String(record[d] ?? '') }));
          const key = metricKey(namespace, name, dimensions);
          const list = this.points.get(key) ?? [];
          for (const value of values) list.push({ at, value });
          this.points.set(key, list);
          stored ||= values.length > 0;
        }
      }
    }
    return stored;
  }

  /** Datapoints of a metric in [start, end) (milliseconds), AWS/SQS ones read from the queue now. */
  datapoints(namespace: string, name: string, dimensions: readonly Dimension[], start: number, end: number, now = Date.now()): Datapoint[] {
    if (namespace === 'AWS/SQS') {
      const value = this.queueMetric(name, dimensions, now);
      return value === undefined || now < start || now >= end ? [] : [{ at: now, value }];
    }
    return (this.points.get(metricKey(namespace, name, dimensions)) ?? []).filter((p) => p.at >= start && p.at < end);
  }

  /** AWS/SQS metrics of a queue named by the QueueName dimension (the only dimension SQS publishes). */
  private queueMetric(name: string, dimensions: readonly Dimension[], now: number): number | undefined {
    if (dimensions.length !== 1 || dimensions[0]?.Name !== 'QueueName') return undefined;
    const queue = [...this.sqs.queues.values()].find((q) => q.name === dimensions[0]?.Value);
    if (!queue) return undefined;
    const counts = this.sqs.counts(queue);
    switch (name) {
      case 'ApproximateNumberOfMessagesVisible':
        return counts.visible;
      case 'ApproximateNumberOfMessagesNotVisible':
        return counts.inFlight;
      case 'ApproximateNumberOfMessagesDelayed':
        return counts.delayed;
      case 'ApproximateAgeOfOldestMessage': {
        const oldest = Math.min(...queue.messages.map((m) => m.sentTimestamp));
        return Number.isFinite(oldest) ? Math.max(0, Math.floor((now - oldest) / 1000)) : 0;
      }
      default:
        return undefined;
    }
  }
}

/** One statistic of a bucket's values. */
export function statistic(stat: Statistic, values: number[]): number {
  switch (stat) {
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Maximum':
      return Math.max(...values);
    case 'Minimum':
      return Math.min(...values);
    case 'SampleCount':
      return values.length;
  }
}
