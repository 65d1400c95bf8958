import { connectUserLister } from '../adapters/connect-users.js';
import { assignmentReaderAdapter, groupMembersAdapter, identityListerAdapter } from '../adapters/identity-directory.js';
import { createPacer } from '../adapters/pacer.js';
import { sqsQueueAdapter } from '../adapters/queues.js';
import { runSummaryStoreAdapter } from '../adapters/run-summaries.js';
import { sharedLinkTablesAdapter } from '../adapters/shared-links.js';
import type { ReconcileConfig, ScheduledReconcileConfig } from '../config/operator-config.js';
import { withSharedRules } from '../core/context.js';
import { dryRun } from '../core/dry-run.js';
import { createClients, type AwsClients } from './clients.js';
import { logger } from './logger.js';
import { metrics } from './metrics.js';
import { createAwsSyncDeps, createUseCases } from './sync-user.js';

/** Everything reconcile needs, wired once: the composition root of reconcile (CLI and scheduled function). */
export function wireReconcile(config: ReconcileConfig, clients: AwsClients) {
  const deps = createAwsSyncDeps(config, clients);
  const core = withSharedRules(deps);
  const app = config.connectApplicationArn;
  return {
    core,
    useCases: createUseCases(core),
    /** Where a run's summary is kept, for `status`. */
    runSummaries: runSummaryStoreAdapter(clients.dynamodb, config.linksTable),
    /** The same use cases over dry-run ports: they write nothing and say what they would write. */
    planning() {
      const planned = dryRun(deps);
      const planCore = withSharedRules(planned.deps);
      return { useCases: createUseCases(planCore), core: planCore, steps: planned.steps };
    },
    sources: {
      // The listing has its own Connect rate limit (ListUsers / SearchUsers), paced like the other Connect calls.
      connectUsers: connectUserLister(clients.connect, createPacer(config.connectRequestsPerSecond)),
      members: groupMembersAdapter(clients.identityStore, config.identityStoreId),
      identities: identityListerAdapter(clients.identityStore, config.identityStoreId),
      assignments: config.assignmentMode !== 'none' && app ? assignmentReaderAdapter(clients.ssoAdmin, app) : undefined,
      ...(config.sharedLinksTables?.length && { sharedLinks: sharedLinkTablesAdapter(clients.dynamodb, config.sharedLinksTables) }),
    },
  };
}

/** Wires the scheduled reconcile function to AWS, once per cold start: reconcile's wiring and the sync queue it fills. */
export function composeScheduledReconcile(config: ScheduledReconcileConfig, clients: AwsClients = createClients(config)) {
  return { ...wireReconcile(config, clients), queue: sqsQueueAdapter(clients.sqs, config.syncQueueUrl), logger, metrics };
}
