/** What `status` reads, each source on its own: one that fails is reported in its section, the others still show. */
import { queueNameOf } from '../shared/adapters/queues.js';
import type { MessageQueue, StatusMetricsReader, StatusReads } from '../shared/core/ports/index.js';
import { listDeadLetters } from '../shared/core/replay.js';
import { HOURS, OUTCOME_METRICS, type Checked, type DeadLetterGroup, type OutcomeSeries, type QueueBacklog } from '../shared/core/status.js';
import { describeFailure } from './aws.js';

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
