import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { runSummaryStoreAdapter } from '../../../shared/adapters/run-summaries.js';
import { DRIFT_KINDS } from '../../../shared/core/reconcile-plan.js';
import type { ReconcileRunSummary } from '../../../shared/core/run-summary.js';

const mock = mockClient(DynamoDBClient);
const store = runSummaryStoreAdapter(new DynamoDBClient({ region: 'us-east-1', maxAttempts: 1 }), 'connect-sso-sync-dev-links');
const base = {
  instanceId: '4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20', trigger: 'cli', startedAt: '2026-12-05T10:00:00.000Z', finishedAt: '2026-12-05T10:00:05.000Z',
  durationMs: 5000, users: 3, links: 1, inSync: 1, drift: { ...Object.fromEntries(DRIFT_KINDS.map((k) => [k, 0])), 'missing-link': 2 } as ReconcileRunSummary['drift'], acted: 2, deferred: 0, failed: 0,
  unlinkedMembers: 0, unassignedGroups: 0, missingGroups: 0, knownFailures: 0,
} satisfies ReconcileRunSummary;

/** What the store reads back after writing `summary`: the item PutItem was given, answered by GetItem. */
async function roundTrip(summary: ReconcileRunSummary) {
  mock.reset();
  mock.on(PutItemCommand).resolves({});
  await store.write(summary);
  const item = mock.commandCalls(PutItemCommand)[0]?.args[0].input.Item;
  mock.on(GetItemCommand).resolves({ Item: item });
  return store.read(summary.instanceId);
}

describe('run summary store', () => {
  it('reads back the agents who cannot sign in and the first run\'s adoption progress, as written (status shows both)', async () => {
    const summary = { ...base, cannotSignIn: { SIGN_IN_NAME_MISMATCH: 2, IDENTITY_DISABLED: 1, UNMAPPED: 4 }, adoption: { matched: 9, linkOnly: 5, toWrite: 4 } };

    expect(await roundTrip(summary)).toEqual(summary);
  });

  it('reads a summary of an older version, which counted neither, without them', async () => {
    expect(await roundTrip(base)).toEqual(base);
  });
});
