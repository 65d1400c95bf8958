import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { IAMClient } from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { assignmentCheckAdapter } from '../adapters/assignment-check.js';
import { cloudWatchStatusAdapter } from '../adapters/cloudwatch-status.js';
import { connectDirectoryAdapter } from '../adapters/connect-directory.js';
import { deploymentReadsAdapter } from '../adapters/deployment-reads.js';
import { assignmentReaderAdapter, groupMembersAdapter } from '../adapters/identity-directory.js';
import { identityStoreAdapter } from '../adapters/identity-store.js';
import { queueDirectoryAdapter, statusReadsAdapter } from '../adapters/operator-reads.js';
import { createPacer } from '../adapters/pacer.js';
import { sqsMessageMover, sqsQueueAdapter } from '../adapters/queues.js';
import { runSummaryStoreAdapter } from '../adapters/run-summaries.js';
import type { OperatorSyncConfig, ReconcileConfig } from '../config/operator-config.js';
import type { MessageQueue } from '../core/ports/index.js';
import { createClients, type AwsClients, type ClientSettings } from './clients.js';
import { wireReconcile } from './reconcile.js';
import { createAwsSyncCore } from './sync-user.js';

/** The SDK clients of the CLI: the Lambdas' (same retry settings) plus STS, IAM, CloudTrail, CloudWatch and SNS. */
export interface CliClients extends AwsClients {
  sts: STSClient;
  iam: IAMClient; // doctor --federation-role
  cloudWatch: CloudWatchClient; // status: metrics and alarms
  sns: SNSClient; // status: who receives the alarms
  cloudTrail(region?: string): CloudTrailClient; // for the Connect instance's region
}

export function createCliClients(settings: ClientSettings = {}): CliClients {
  const trails = new Map<string, CloudTrailClient>();
  return {
    ...createClients(settings),
    sts: new STSClient({ maxAttempts: 3 }),
    iam: new IAMClient({ maxAttempts: 3 }),
    cloudWatch: new CloudWatchClient({ maxAttempts: 3 }),
    sns: new SNSClient({ maxAttempts: 3 }),
    cloudTrail(region) {
      const key = region ?? '';
      const client = trails.get(key) ?? new CloudTrailClient({ maxAttempts: 3, ...(region && { region }) });
      trails.set(key, client);
      return client;
    },
  };
}

/** Adapters of the queues a command names by URL (replay, user, status), their URLs by name, and SQS's move task. */
export function cliQueues(clients: CliClients = createCliClients()) {
  const queue = (url: string): MessageQueue => sqsQueueAdapter(clients.sqs, url);
  return { queue, urls: queueDirectoryAdapter(clients.sqs), mover: sqsMessageMover(clients.sqs) };
}

/** `user`: the explanation's ports (without its dead-letter lookup, which needs the queues' URLs) and the queues. */
export function composeUserCommand(config: ReconcileConfig, clients = createCliClients(config)) {
  const wiring = wireReconcile(config, clients);
  const { connect, identityStore, assignments, links, settings } = wiring.core;
  const app = config.connectApplicationArn;
  return {
    sync: { connect, identityStore, assignments, links, settings },
    lister: wiring.sources.connectUsers,
    assignments: config.assignmentMode !== 'none' && app ? assignmentCheckAdapter(clients.ssoAdmin, app) : undefined,
    queues: cliQueues(clients),
  };
}

/** What `status` reads, each through its adapter (groupIdOf never creates a group). */
export function composeStatusCommand(config: ReconcileConfig, scope: { namespace: string; service: string; stage: string }, clients = createCliClients(config)) {
  const dimensions = [{ Name: 'service', Value: scope.service }, { Name: 'stage', Value: scope.stage }];
  const core = createAwsSyncCore(config, clients);
  return {
    metrics: cloudWatchStatusAdapter(clients.cloudWatch, { namespace: scope.namespace, dimensions }),
    runSummaries: runSummaryStoreAdapter(clients.dynamodb, config.linksTable),
    groupIdOf: (name: string) => core.groups.existingIdOf(name),
    stack: statusReadsAdapter(clients.sqs, clients.sns),
    ...cliQueues(clients),
  };
}

/** What `doctor` reads: the account's facts, and what the sync itself reads, through its adapters. */
export type DoctorReads = ReturnType<typeof composeDoctorCommand>;
export function composeDoctorCommand(config: OperatorSyncConfig, connectRegion: string | undefined, clients = createCliClients(config)) {
  return {
    deployment: deploymentReadsAdapter({ ...clients, cloudTrail: clients.cloudTrail(connectRegion) }),
    assignments: (applicationArn: string) => assignmentReaderAdapter(clients.ssoAdmin, applicationArn),
    identityStore: identityStoreAdapter(clients.identityStore, config.identityStoreId),
    members: groupMembersAdapter(clients.identityStore, config.identityStoreId),
    connect: connectDirectoryAdapter(clients.connect, createPacer(config.connectRequestsPerSecond)),
  };
}
