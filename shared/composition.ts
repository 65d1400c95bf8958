import { Metrics } from '@aws-lambda-powertools/metrics';
import { appAssignmentsAdapter } from './adapters/app-assignments.js';
import { connectDirectoryAdapter } from './adapters/connect-directory.js';
import { deadLettersAdapter } from './adapters/dead-letters.js';
import { identityStoreAdapter } from './adapters/identity-store.js';
import { linkStoreAdapter } from './adapters/links.js';
import { createPacer } from './adapters/pacer.js';
import { createClients, type AwsClients } from './clients.js';
import { syncSettingsOf, type SyncConfig, type SyncSettingsConfig } from './config.js';
import { withSharedRules, type CoreDeps, type SyncDeps } from './core/context.js';
import { createAssignGroup } from './core/assign-group.js';
import { createDeprovisionUser } from './core/deprovision-user.js';
import { createSyncUser } from './core/sync-user.js';
import { createUpdateIdentity } from './core/update-identity.js';
import { logger } from './logger.js';
import { createRecordProcessor, type UseCases } from './process-record.js';

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'ConnectSsoSync',
  // Two stages in one account publish to the same namespace: the stage keeps their figures apart.
  ...(process.env.STAGE && { defaultDimensions: { stage: process.env.STAGE } }),
  // Its own warnings (e.g. "no application metrics") go to the structured logger, not to bare console lines.
  logger,
});

/** The ports of the use cases over the real adapters, with the rules they share (the function's, and reconcile --apply's). */
export function createAwsSyncCore(config: SyncSettingsConfig & { linksTable: string }, clients: AwsClients): CoreDeps {
  return withSharedRules(createAwsSyncDeps(config, clients));
}

/** The ports of the use cases over the real adapters (dry-run.ts wraps them for a plan). */
export function createAwsSyncDeps(config: SyncSettingsConfig & { linksTable: string }, clients: AwsClients): SyncDeps {
  return {
    connect: connectDirectoryAdapter(clients.connect, createPacer(config.connectRequestsPerSecond)),
    identityStore: identityStoreAdapter(clients.identityStore, config.identityStoreId),
    assignments: appAssignmentsAdapter(clients.ssoAdmin, {
      applicationArn: config.connectApplicationArn,
      instanceArn: config.ssoInstanceArn,
    }),
    links: linkStoreAdapter(clients.dynamodb, config.linksTable),
    settings: syncSettingsOf(config),
  };
}

/** The use cases a queue record can ask for, each over the part of `core` it names (they share its caches). */
export function createUseCases(core: CoreDeps): UseCases {
  return {
    sync: createSyncUser(core),
    update: createUpdateIdentity(core),
    deprovision: createDeprovisionUser(core),
    assignGroup: createAssignGroup(core),
  };
}

/** Wires the sync function to AWS: the one composition root, run once per cold start. */
export function createSyncRecordProcessor(config: SyncConfig, clients: AwsClients = createClients(config)) {
  return createRecordProcessor({
    useCases: createUseCases(createAwsSyncCore(config, clients)),
    deadLetters: deadLettersAdapter(clients.sqs, config.dlqUrl),
    instance: { id: config.connectInstanceId, arn: config.connectInstanceArn },
    maxReceiveCount: config.maxReceiveCount,
    logger,
    metrics,
  });
}
