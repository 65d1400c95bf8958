import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SharedLinkTables } from '../core/ports/index.js';
import { paginate } from './paginate.js';
import { call } from './sdk-errors.js';

const IDENTITY = 'identity#';

/**
 * The link tables of the other stages that share the managed groups (SHARED_LINKS_TABLES), read with Scan: their
 * partition is their own Connect instance, which this stage does not know. Each is read whole once per call
 * (consistent reads; only the claims and links come back: `identity#<id>` items held by a Connect user, and `user#`
 * items with a link), the cost of one of that stage's own reconcile snapshots. Read-only: `dynamodb:Scan` on those
 * tables is all it needs. A table that cannot be read fails the call (an unreadable table proves nothing unlinked).
 */
export function sharedLinkTablesAdapter(client: DynamoDBClient, tableNames: readonly string[]): SharedLinkTables {
  async function claimedIn(TableName: string, into: Set<string>): Promise<void> {
    const pages = paginate(
      (start: Record<string, AttributeValue> | undefined) =>
        call('dynamodb:Scan', () =>
          client.send(
            new ScanCommand({
              TableName,
              ConsistentRead: true,
              ProjectionExpression: 'sk, identityUserId',
              FilterExpression: '(begins_with(sk, :identity) AND attribute_exists(connectUserId)) OR (begins_with(sk, :user) AND attribute_exists(identityUserId))',
              ExpressionAttributeValues: { ':identity': { S: IDENTITY }, ':user': { S: 'user#' } },
              ExclusiveStartKey: start,
            }),
          ),
        ),
      { next: (page) => page.LastEvaluatedKey },
    );
    for await (const out of pages) {
      for (const item of out.Items ?? []) {
        const sk = item.sk?.S ?? '';
        const id = sk.startsWith(IDENTITY) ? sk.slice(IDENTITY.length) : item.identityUserId?.S;
        if (id) into.add(id);
      }
    }
  }

  return {
    async claimedIdentities() {
      const claimed = new Set<string>();
      for (const table of tableNames) await claimedIn(table, claimed);
      return claimed;
    },
  };
}
