import { appAssignmentsAdapter } from '../adapters/app-assignments.js';
import { connectDirectoryAdapter } from '../adapters/connect-directory.js';
import { deadLettersAdapter } from '../adapters/dead-letters.js';
import { identityStoreAdapter } from '../adapters/identity-store.js';
import { linkStoreAdapter } from '../adapters/links.js';
import { createPacer } from '../adapters/pacer.js';
import { createClients, type AwsClients } from './clients.js';
import { syncSettingsOf, type SyncConfig, type SyncSettingsConfig } from '../config/config.js';
import { withSharedRules, type CoreDeps, type SyncDeps } from '../core/context.js';
import { createAssignGroup } from '../core/assign-group.js';
import { createDeprovisionUser } from '../core/deprovision-user.js';
import { createSyncUser } from '../core/sync-user.js';
import { createUpdateIdentity } from '../core/update-identity.js';
import { logger } from './logger.js';
import { metrics } from './metrics.js';
import { createRecordProcessor, type UseCases } from '../adapters/process-record.js';

/** The ports of the use cases over the real adapters, with the rules they share (the function's, and reconcile --apply's). */
export function createAwsSyncCore(config: SyncSettingsConfig & { linksTable: string }, clients: AwsClients): CoreDeps {
  return withSharedRules(createAwsSyncDeps(config, clients));
}

/** The ports of the use cases over the real adapters (dry-run.ts wraps them for a plan). */
export function createAwsSyncDeps(config: SyncSettingsConfig & { linksTable: string }, clients: AwsClients): SyncDeps {
  return {
    connect: connectDirectoryAdapter(clients.connect, createPacer(config.connectRequestsPerSecond)),
    identityStore: identityStoreAdapter(clients.identityStore, config.identityStoreId),
    assignments: appAssignmentsAdapter(clients.ssoAdmin, { applicationArn: config.connectApplicationArn, instanceArn: config.ssoInstanceArn }),
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

/** What the sync function's handler works with, ready (deadLetters: sync-dlq, where the processor parks too). */
export type SyncUserRoot = ReturnType<typeof composeSyncUser>;

/** Wires the sync function to AWS: its composition root, run once per cold start. */
export function composeSyncUser(config: SyncConfig, clients: AwsClients = createClients(config)) {
  const deadLetters = deadLettersAdapter(clients.sqs, config.dlqUrl);
  const processRecord = createRecordProcessor({
    useCases: createUseCases(createAwsSyncCore(config, clients)),
    deadLetters,
    instance: { id: config.connectInstanceId, arn: config.connectInstanceArn },
    maxReceiveCount: config.maxReceiveCount,
    logger,
    metrics,
  });
  return { processRecord, deadLetters, maxReceiveCount: config.maxReceiveCount, logger, metrics };
}
