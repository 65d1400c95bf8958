/** AWS calls per event, for each kind of event and user, with rate limits off (only the counts matter here). */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createAgent, deleteAgent, securityProfileIds, updateIdentityInfo, updateSecurityProfiles } from '../admin.js';
import { startPipeline, type Pipeline } from '../pipeline.js';
import { agent, inBatches, names, out, productCalls, type Calls } from './common.js';

const BATCH = 100;
const THREE_GROUPS = { Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'], Admin: 'ConnectAdmins' };

function row(label: string, calls: Calls, users: number): void {
  const per = (n: number) => (n / users).toFixed(2).padStart(6);
  out(`  ${label.padEnd(52)} ${per(calls.total)}  ${per(calls.connect)}  ${per(calls.identitystore)}  ${per(calls['sso-admin'])}  ${per(calls.dynamodb)}`);
}

async function measure(p: Pipeline, label: string, users: number, act: () => Promise<unknown>): Promise<void> {
  p.emulator.counters.reset();
  await act();
  await p.drain();
  row(label, productCalls(p.emulator), users);
}

/** Sends the given event bodies to the sync queue again (an EventBridge duplicate, a replay). */
async function redeliver(p: Pipeline, bodies: string[]): Promise<void> {
  const sqs = new SQSClient({ endpoint: p.emulator.endpoint, region: p.emulator.region });
  for (let i = 0; i < bodies.length; i += 10) {
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: p.queues.sync, Entries: bodies.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: b })) }));
  }
  sqs.destroy();
}

async function start(options: Parameters<typeof startPipeline>[0]): Promise<Pipeline> {
  const p = await startPipeline({ speed: 10, emulator: { rateLimits: { enabled: false } }, ...options });
  // The admin tools' own look-up of the profile ids, before anything is counted.
  await securityProfileIds(p.adminConnect, p.ids.instanceId, ['Agent', 'CallCenterManager', 'Admin']);
  return p;
}

export async function callsPerEvent(): Promise<void> {
  out('AWS calls per event (sync only; rate limits off). The floor for a new user: 1 Connect DescribeUser, 1 lookup,');
  out('CreateUser and CreateGroupMembership; DynamoDB: read the link, name and claim the identity, write the link.');
  out(`  ${'scenario'.padEnd(52)} ${'total'.padStart(6)}  ${'conn.'.padStart(6)}  ${'idstore'.padStart(6)}  ${'sso'.padStart(6)}  ${'ddb'.padStart(6)}`);
  const existing = names('existing', BATCH);
  const one = await start({ identityCenter: { users: existing.map((n) => ({ userName: `hr-${n}`, email: `${n}@example.com` })) } });
  const events: string[] = [];
  one.emulator.onEvent((event) => {
    if (event.detail.eventName === 'CreateUser') events.push(JSON.stringify(event));
  });
  const create = (p: Pipeline, list: string[], profiles?: string[]) => inBatches(list, (n) => createAgent(p.adminConnect, p.ids.instanceId, agent(n, profiles)));

  await measure(one, 'new user, one event, cold container', 1, () => create(one, ['first']));
  let created: string[] = [];
  await measure(one, `new users, amortized over ${BATCH}`, BATCH, async () => {
    created = await create(one, names('new', BATCH));
  });
  await measure(one, `existing person linked, amortized over ${BATCH}`, BATCH, () => create(one, existing));
  await measure(one, `already linked (event delivered again), ${BATCH}`, BATCH, () => redeliver(one, events.slice(-BATCH)));
  // A name, not an email: a SAML instance's users have no Email (Connect refuses it) and the Username never changes.
  await measure(one, `name corrected (update of a created user), ${BATCH}`, BATCH, () =>
    inBatches(created, (id) => updateIdentityInfo(one.adminConnect, one.ids.instanceId, id, { FirstName: 'New', LastName: 'Name' })),
  );
  await measure(one, `deleted (confirmed with Connect, deprovisioned), ${BATCH}`, BATCH, () => inBatches(created, (id) => deleteAgent(one.adminConnect, one.ids.instanceId, id)));
  await one.stop();

  const three = await start({ syncEnv: { GROUP_MAPPING: JSON.stringify(THREE_GROUPS) } });
  await measure(three, '3 managed groups: new agent, cold container', 1, () => create(three, ['first3'], ['Agent']));
  let agents: string[] = [];
  await measure(three, `3 managed groups: new agents, amortized over ${BATCH}`, BATCH, async () => {
    agents = await create(three, names('agent', BATCH), ['Agent']);
  });
  await measure(three, `3 managed groups: promotion to CallCenterManager, ${BATCH}`, BATCH, () =>
    inBatches(agents, (id) => updateSecurityProfiles(three.adminConnect, three.ids.instanceId, id, ['CallCenterManager'])),
  );
  await three.stop();
}
