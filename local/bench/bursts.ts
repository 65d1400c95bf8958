/**
 * Bursts with AWS's rate limits enforced (scaled by `speed`): how close the sync drains to the ceiling the tightest
 * limit on its path sets — Connect's 2 DescribeUser/s for creations, Identity Store's 20 requests/s per API for
 * deletions (which read nothing from Connect).
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgent, deleteAgent } from '../admin.js';
import { startPipeline, type Pipeline } from '../pipeline.js';
import { agent, inBatches, names, out, productCalls, throttled } from './common.js';

const THREE_GROUPS = { Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'], Admin: 'ConnectAdmins' };

const DELETE_EVENT = join(__dirname, '..', '..', 'events', 'eventbridge', 'delete-user.json');

/** The CloudTrail DeleteUser event of a Connect user of the pipeline's instance. */
function deleteEvent(p: Pipeline, userId: string): string {
  const event = JSON.parse(readFileSync(DELETE_EVENT, 'utf8')) as { detail: { requestParameters: Record<string, string> } };
  event.detail.requestParameters = { InstanceId: p.ids.instanceId, UserId: userId };
  return JSON.stringify(event);
}

/** Puts event bodies on the sync queue, ten a batch, as fast as SQS takes them. */
async function enqueue(p: Pipeline, bodies: string[]): Promise<void> {
  const sqs = new SQSClient({ endpoint: p.emulator.endpoint, region: p.emulator.region });
  const batches = Array.from({ length: Math.ceil(bodies.length / 10) }, (_, i) => bodies.slice(i * 10, i * 10 + 10));
  await inBatches(batches, (batch) => sqs.send(new SendMessageBatchCommand({ QueueUrl: p.queues.sync, Entries: batch.map((b, j) => ({ Id: String(j), MessageBody: b })) })));
  sqs.destroy();
}

async function burst(label: string, p: Pipeline, speed: number, count: number, ceilingPerSecond: (p: Pipeline) => number, act: () => Promise<unknown>) {
  p.emulator.counters.reset();
  // From the first event the emulator emits (creations), or from the start of the act (events put on the queue).
  let first = 0;
  const stop = p.emulator.onEvent(() => {
    first ||= Date.now();
  });
  const started = Date.now();
  await act();
  first ||= started;
  await p.drain(3_600_000);
  const seconds = (Date.now() - first) / 1000;
  stop();
  const ceiling = ceilingPerSecond(p);
  const achieved = count / seconds;
  const dlq = p.emulator.state.queue(p.queues.syncDlq).messages.length;
  out(`  ${label}: drained in ${seconds.toFixed(1)} s (${(seconds * speed).toFixed(0)} s at AWS's real limits)`);
  out(`    ${(achieved / speed).toFixed(2)} per second at real limits, ${(achieved / ceiling).toFixed(3)} of the ${(ceiling / speed).toFixed(1)}/s ceiling; in sync-dlq: ${dlq}; throttled answers: ${throttled(p.emulator)}`);
}

/** The ceiling an API's limit sets: `rate` requests/s divided by that API's calls per user (the busiest API binds). */
function ceilingOf(p: Pipeline, count: number, service: string, rate: number): number {
  const perUser = Object.entries(productCalls(p.emulator).byApi)
    .filter(([api]) => api.startsWith(`${service}:`))
    .map(([, n]) => n / count);
  return rate / Math.max(...perUser);
}

export async function bursts(users: number, speed: number): Promise<void> {
  out('');
  out(`Bursts of ${users}, AWS rate limits enforced at ${speed}x (Connect 2/s per API, Identity Store 20/s per API), maximumConcurrency 2`);
  out('  (ceiling: the busiest API on the path at its limit; Connect DescribeUser for creations and deletions)');
  // The admin's calls are not limited, so that every event arrives as one burst; the sync's calls are.
  const unlimitedAdmin = { overrides: { 'connect:CreateUser': { rate: 1e6, burst: 1e6 }, 'connect:DeleteUser': { rate: 1e6, burst: 1e6 } } };
  const create = (p: Pipeline, list: string[], profile: (i: number) => string[]) =>
    inBatches(list.map((n, i) => [n, i] as const), ([n, i]) => createAgent(p.adminConnect, p.ids.instanceId, agent(n, profile(i))));

  const one = await startPipeline({ speed, emulator: { rateLimits: unlimitedAdmin } });
  await burst('creations, 1 managed group', one, speed, users, () => 2 * speed, () => create(one, names('burst', users), () => ['Agent']));
  await one.stop();

  const three = await startPipeline({ speed, emulator: { rateLimits: unlimitedAdmin }, syncEnv: { GROUP_MAPPING: JSON.stringify(THREE_GROUPS) } });
  let ids: string[] = [];
  await burst('creations, 3 managed groups (every 10th a supervisor)', three, speed, users, () => 2 * speed, async () => {
    ids = await create(three, names('three', users), (i) => [i % 10 === 0 ? 'CallCenterManager' : 'Agent']);
  });
  // The deletions' events all at once (as CloudTrail delivers a bulk removal): the users are deleted in Connect first,
  // with the rule's delivery stopped, then their events put on the queue together (the admin's calls would pace them).
  three.bus.stop();
  await inBatches(ids, (id) => deleteAgent(three.adminConnect, three.ids.instanceId, id));
  await burst('deletions, 3 managed groups (each confirmed with Connect)', three, speed, users, (p) => ceilingOf(p, users, 'connect', 2 * speed), () =>
    enqueue(three, ids.map((id) => deleteEvent(three, id))),
  );
  await three.stop();
}
