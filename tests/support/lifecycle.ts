import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pipeline } from '../../local/pipeline.js';

/** The links the service wrote (DynamoDB, read with the SDK from the emulator), keyed by Connect user id. */
export async function linksOf(p: Pipeline) {
  const client = new DynamoDBClient({ endpoint: p.emulator.endpoint, region: p.emulator.region });
  try {
    const out = await client.send(new ScanCommand({ TableName: p.ids.linksTable }));
    const links = new Map<string, { identityUserId: string; created: boolean; groupIds: string[] }>();
    const claims = new Map<string, string>();
    const tombstones = new Set<string>();
    const failures = new Map<string, string>();
    for (const item of out.Items ?? []) {
      const sk = item.sk?.S ?? '';
      // A user# item without an identity holds only creation attempts: not a link.
      if (sk.startsWith('user#') && item.identityUserId?.S) {
        links.set(sk.slice(5), {
          identityUserId: item.identityUserId?.S ?? '',
          created: item.created?.BOOL === true,
          groupIds: (item.groupIds?.L ?? []).map((g) => g.S ?? ''),
        });
      }
      if (sk.startsWith('user#') && item.deletedAt?.S) tombstones.add(sk.slice(5));
      if (sk.startsWith('user#') && item.failure?.M?.code?.S) failures.set(sk.slice(5), item.failure.M.code.S);
      // A released claim keeps only whether the service created the identity.
      if (sk.startsWith('identity#') && item.connectUserId?.S) claims.set(sk.slice(9), item.connectUserId.S);
    }
    return { links, claims, tombstones, failures };
  } finally {
    client.destroy();
  }
}

const EVENTS = join(__dirname, '..', '..', 'events', 'eventbridge');

/** A sample CloudTrail event of `events/eventbridge/<name>.json` for this pipeline's instance and a Connect user id. */
export function eventFor(p: Pipeline, name: string, userId: string, extra: Record<string, unknown> = {}) {
  const event = JSON.parse(readFileSync(join(EVENTS, `${name}.json`), 'utf8')) as { detail: { requestParameters: Record<string, unknown>; responseElements: unknown } };
  event.detail.requestParameters = { ...event.detail.requestParameters, InstanceId: p.ids.instanceId, UserId: userId, ...extra };
  return event;
}

/** Puts a message on the sync queue as EventBridge (or a replay) would. */
export async function sendToSyncQueue(p: Pipeline, body: unknown): Promise<void> {
  const sqs = new SQSClient({ endpoint: p.emulator.endpoint, region: p.emulator.region });
  try {
    await sqs.send(new SendMessageCommand({ QueueUrl: p.queues.sync, MessageBody: JSON.stringify(body) }));
  } finally {
    sqs.destroy();
  }
}

/** Group names per Identity Center UserName. */
export function groupsByUser(p: Pipeline): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of p.emulator.state.memberships(p.ids.identityStoreId)) (out[m.userName] ??= []).push(m.groupName);
  for (const groups of Object.values(out)) groups.sort();
  return out;
}
