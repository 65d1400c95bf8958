import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeAlarmsCommand, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { paginate } from './paginate.js';
import type { StatusMetricsReader } from '../core/ports/index.js';
import { call } from './sdk-errors.js';

export interface MetricsScope {
  namespace: string;
  /** The dimensions every metric of the stack carries (service, stage). */
  dimensions: { Name: string; Value: string }[];
}

const HOUR_MS = 3_600_000;

export function cloudWatchStatusAdapter(client: CloudWatchClient, scope: MetricsScope): StatusMetricsReader {
  return {
    async hourlySums(metrics, end, hours) {
      // Whole hours, so each bucket of the answer is one of ours (CloudWatch aligns periods to the clock).
      const endHour = Math.ceil(end.getTime() / HOUR_MS) * HOUR_MS;
      const start = endHour - hours * HOUR_MS;
      const queries: MetricDataQuery[] = metrics.map((name, i) => ({
        Id: `m${i}`,
        MetricStat: { Metric: { Namespace: scope.namespace, MetricName: name, Dimensions: scope.dimensions }, Period: 3600, Stat: 'Sum' },
      }));
      const sums = new Map(metrics.map((name) => [name, new Array<number>(hours).fill(0)]));
      const pages = paginate((token) =>
        call('cloudwatch:GetMetricData', () =>
          client.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(start), EndTime: new Date(endHour), NextToken: token })),
        ),
      );
      for await (const out of pages) {
        for (const result of out.MetricDataResults ?? []) {
          const series = sums.get(metrics[Number(result.Id?.slice(1))] ?? '');
          if (!series) continue;
          (result.Timestamps ?? []).forEach((t, j) => {
            const slot = Math.floor((t.getTime() - start) / HOUR_MS);
            if (slot >= 0 && slot < hours) series[slot] = (series[slot] ?? 0) + (result.Values?.[j] ?? 0);
          });
        }
      }
      return sums;
    },

    async queueMetric(queueName, metric, end) {
      const Metric = { Namespace: 'AWS/SQS', MetricName: metric, Dimensions: [{ Name: 'QueueName', Value: queueName }] };
      const input = {
        MetricDataQueries: [{ Id: 'q', MetricStat: { Metric, Period: 60, Stat: 'Maximum' } }],
        StartTime: new Date(end.getTime() - 15 * 60_000),
        EndTime: new Date(end.getTime() + 60_000),
        ScanBy: 'TimestampDescending' as const,
      };
      const out = await call('cloudwatch:GetMetricData', () => client.send(new GetMetricDataCommand(input)));
      return out.MetricDataResults?.[0]?.Values?.[0];
    },

    async alarms(names) {
      const out = await call('cloudwatch:DescribeAlarms', () => client.send(new DescribeAlarmsCommand({ AlarmNames: [...names] })));
      return (out.MetricAlarms ?? []).map((a) => ({
        name: a.AlarmName ?? '',
        state: a.StateValue ?? 'INSUFFICIENT_DATA',
        since: a.StateUpdatedTimestamp,
        topicArn: a.AlarmActions?.find((arn) => arn.includes(':sns:')),
      }));
    },
  };
}
