import type { UserIdentityInfo } from '@aws-sdk/client-connect';
import { createAgent } from '../../local/admin.js';
import type { MessageView } from '../../local/emulator/index.js';
import { startPipeline, type Pipeline, type PipelineOptions } from '../../local/pipeline.js';

/**
 * Creates a Connect user the way the admin website does (CreateUser), returning its id. On a CONNECT_MANAGED pipeline
 * it sends the password Connect requires there. (A SAML instance refuses IdentityInfo.Email: give `person` no email.)
 */
export function createConnectUser(pipeline: Pipeline, username: string, identity: UserIdentityInfo = {}, instanceId = pipeline.ids.instanceId) {
  const password = pipeline.identityManagementType === 'CONNECT_MANAGED' && instanceId === pipeline.ids.instanceId ? 'Demo-Passw0rd!' : undefined;
  return createAgent(pipeline.adminConnect, instanceId, { username, identity, ...(password && { password }) });
}

/** Where Email is the Connect user's own (CONNECT_MANAGED instances): Email, else SecondaryEmail, else Username is the key. */
export const CONNECT_MANAGED = { identityManagementType: 'CONNECT_MANAGED' } as const;

/** A Connect user's IdentityInfo; `email` only on a CONNECT_MANAGED instance (SAML refuses it). */
export const person = (first: string, last: string, email?: string): UserIdentityInfo => ({
  FirstName: first,
  LastName: last,
  ...(email && { Email: email }),
});

/** What Identity Center holds, keyed by UserName. */
export function identityCenter(pipeline: Pipeline) {
  const { state } = pipeline.emulator;
  const users = state.identityUsers(pipeline.ids.identityStoreId);
  const memberships = state.memberships(pipeline.ids.identityStoreId);
  return {
    users,
    userNames: users.map((u) => String(u.UserName)).sort(),
    agents: memberships.filter((m) => m.groupName === 'ConnectAgents').map((m) => m.userName).sort(),
    memberships,
    groups: state.groups(pipeline.ids.identityStoreId).map((g) => String(g.DisplayName)),
    assignments: state.applicationAssignments(pipeline.ids.applicationArn),
  };
}

export function deadLetters(pipeline: Pipeline): MessageView[] {
  return pipeline.emulator.state.queue(pipeline.queues.syncDlq).messages;
}

export const errorCodes = (messages: MessageView[]) =>
  messages.map((m) => m.messageAttributes.errorCode?.StringValue ?? '(redriven)').sort();

/**
 * A test file's pipelines: `start` runs one (at speed 100 unless told, the emulator's case behaviour set when
 * `lookupCase` is given, short pages before the last as AWS may answer) and every pipeline started is stopped after each test.
 */
export function pipelinesFor(lookupCase?: 'insensitive' | 'sensitive') {
  const running: Pipeline[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
  });
  return async function start(options: PipelineOptions = {}): Promise<Pipeline> {
    const behaviour = { pages: 'short' as const, ...(lookupCase && { lookupCase }), ...options.emulator?.behaviour };
    const started = await startPipeline({ speed: 100, ...options, emulator: { ...options.emulator, behaviour } });
    running.push(started);
    return started;
  };
}

/** Runs `work` over `items` ten at a time (the admin's tools, the SDK retrying Connect's throttling). */
export async function tenAtATime<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += 10) await Promise.all(items.slice(i, i + 10).map(work));
}
