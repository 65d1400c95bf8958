import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { PermanentError } from '../core/errors.js';
import type { RunSummaryStore } from '../core/ports/index.js';
import type { ReconcileRunSummary } from '../core/run-summary.js';
import { call } from './sdk-errors.js';

/**
 * The last reconcile run of an instance, in the link table: pk = the instance id, sk = `reconcile#last` (outside the
 * `user#` / `identity#` ranges that links and claims use), the summary as JSON in `summary`. Ids and counts only.
 */
const SK = 'reconcile#last';

const count = z.number().check(z.int(), z.nonnegative());
const summarySchema = z.object({
  instanceId: z.string(),
  trigger: z.enum(['schedule', 'cli']),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: count,
  users: count,
  links: count,
  inSync: count,
  drift: z.record(z.string(), count),
  acted: count,
  deferred: count,
  failed: count,
  unlinkedMembers: count,
  unassignedGroups: count,
  missingGroups: count,
  knownFailures: count,
  // Written by the versions that count them (older summaries lack them: status says so).
  cannotSignIn: z.optional(z.object({ SIGN_IN_NAME_MISMATCH: count, IDENTITY_DISABLED: count, UNMAPPED: count })),
  adoption: z.optional(z.object({ matched: count, linkOnly: count, toWrite: count })),
});

export function runSummaryStoreAdapter(client: DynamoDBClient, tableName: string): RunSummaryStore {
  return {
    async write(summary) {
      const Item = { pk: { S: summary.instanceId }, sk: { S: SK }, summary: { S: JSON.stringify(summary) }, finishedAt: { S: summary.finishedAt } };
      await call('dynamodb:PutItem', () => client.send(new PutItemCommand({ TableName: tableName, Item })));
    },
    async read(instanceId) {
      const Key = { pk: { S: instanceId }, sk: { S: SK } };
      const out = await call('dynamodb:GetItem', () => client.send(new GetItemCommand({ TableName: tableName, Key, ConsistentRead: true })));
      const text = out.Item?.summary?.S;
      if (text === undefined) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const result = summarySchema.safeParse(parsed);
      if (!result.success) throw new PermanentError('VALIDATION', 'the last reconcile summary in the link table is not readable (the next reconcile run replaces it)');
      return result.data as ReconcileRunSummary;
    },
  };
}
