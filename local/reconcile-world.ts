/**
 * A Connect instance whose users are all in sync with Identity Center, seeded directly (no events): Connect users
 * with security profiles, their Identity Center users, the managed groups' memberships, the group assignments and the
 * links. The reconcile benchmark and tests start from it and then drift it on purpose.
 */
import { BatchWriteItemCommand, DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { CreateApplicationAssignmentCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { Emulator } from './emulator/index.js';

/** The role mapping of the world: agents, every tenth user a supervisor, every hundredth an admin. */
export const THREE_GROUPS = { Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'], Admin: 'ConnectAdmins' };
export const roleOf = (i: number) => (i % 100 === 0 ? 'Admin' : i % 10 === 0 ? 'CallCenterManager' : 'Agent');
const groupsOf = (i: number) => ({ Admin: ['ConnectAdmins'], CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'], Agent: ['ConnectAgents'] })[roleOf(i)];
export const usernameOf = (i: number) => `agent${String(i).padStart(5, '0')}@example.com`;

/** An SDK client's settings for the emulator (its endpoint, region and dummy credentials). */
const clientOf = (emulator: Emulator) => ({
  endpoint: emulator.endpoint,
  region: emulator.region,
  credentials: { accessKeyId: emulator.env().AWS_ACCESS_KEY_ID ?? '', secretAccessKey: emulator.env().AWS_SECRET_ACCESS_KEY ?? '' },
});

export interface World {
  instanceId: string;
  identityStoreId: string;
  linksTable: string;
  connectUserIds: string[];
  identityUserIds: string[];
  groupIds: Record<string, string>;
  securityProfiles: Record<string, string>;
  /** The environment the operator commands run with against this world (besides emulator.env()). */
  env: Record<string, string>;
}

export interface WorldOptions {
  /** Write the links (default): an instance already synced. Without: the first run after installing or upgrading. */
  links?: boolean;
  /** A SAML instance (default; Usernames are the sign-in names, no Email) or CONNECT_MANAGED (the email in Connect). */
  saml?: boolean;
  /** Which users' identities are already in their managed groups (default: all). */
  inGroups?: (i: number) => boolean;
}

export async function seedWorld(emulator: Emulator, users: number, options: WorldOptions = {}): Promise<World> {
  const indexes = Array.from({ length: users }, (_, i) => i);
  const groupNames = ['ConnectAdmins', 'ConnectAgents', 'ConnectSupervisors'];
  const saml = options.saml !== false;
  const inGroups = options.inGroups ?? (() => true);
  const seeded = emulator.seed({
    connectInstances: [{
      alias: 'scale', identityManagementType: saml ? 'SAML' : 'CONNECT_MANAGED',
      users: indexes.map((i) => ({
        username: usernameOf(i), firstName: `A${i}`, lastName: 'Agent', securityProfiles: [roleOf(i)], ...(!saml && { email: usernameOf(i) }),
      })),
    }],
    identityStores: [{
      users: indexes.map((i) => ({ userName: usernameOf(i), givenName: `A${i}`, familyName: 'Agent', email: usernameOf(i) })),
      groups: groupNames.map((name) => ({ displayName: name, members: indexes.filter((i) => inGroups(i) && groupsOf(i).includes(name)).map(usernameOf) })),
    }],
  });
  const instance = seeded.connectInstances[0];
  const store = seeded.identityStores[0];
  if (!instance || !store) throw new Error('seed failed');
  const sso = emulator.seed({ ssoInstances: [{ identityStoreId: store.id, applications: [{ name: 'Amazon Connect' }] }] }).ssoInstances[0];
  const applicationArn = sso?.applications['Amazon Connect'] ?? '';
  const admin = new SSOAdminClient({ ...clientOf(emulator), maxAttempts: 10 });
  for (const name of groupNames) {
    await admin.send(new CreateApplicationAssignmentCommand({ ApplicationArn: applicationArn, PrincipalId: store.groups[name], PrincipalType: 'GROUP' }));
  }
  admin.destroy();
  const linksTable = (await emulator.createTables({ stage: 'scale' })).LinksTable ?? '';
  const world: World = {
    instanceId: instance.id,
    identityStoreId: store.id,
    linksTable,
    connectUserIds: indexes.map((i) => instance.users[usernameOf(i)]?.id ?? ''),
    identityUserIds: indexes.map((i) => store.users[usernameOf(i)] ?? ''),
    groupIds: store.groups,
    securityProfiles: instance.securityProfiles,
    env: {
      CONNECT_INSTANCE_ID: instance.id,
      IDENTITY_STORE_ID: store.id,
      LINKS_TABLE: linksTable,
      SSO_INSTANCE_ARN: sso?.instanceArn ?? '',
      CONNECT_APPLICATION_ARN: applicationArn,
      GROUP_MAPPING: JSON.stringify(THREE_GROUPS),
    },
  };
  if (options.links !== false) await writeLinks(emulator, world, indexes);
  return world;
}

/** Writes the links (and claims) of users `indexes` as a sync would have, 25 items a BatchWriteItem. */
export async function writeLinks(emulator: Emulator, world: World, indexes: number[]): Promise<void> {
  const client = new DynamoDBClient({ ...clientOf(emulator), maxAttempts: 10 });
  const now = new Date().toISOString();
  const items = indexes.flatMap((i): WriteRequest[] => {
    const connectUserId = world.connectUserIds[i] ?? '';
    const identityUserId = world.identityUserIds[i] ?? '';
    const pk = { S: world.instanceId };
    return [
      { PutRequest: { Item: {
        pk, sk: { S: `user#${connectUserId}` }, identityUserId: { S: identityUserId }, created: { BOOL: true },
        groupIds: { L: groupsOf(i).map((name) => ({ S: world.groupIds[name] ?? '' })) }, createdAt: { S: now }, updatedAt: { S: now },
      } } },
      { PutRequest: { Item: { pk, sk: { S: `identity#${identityUserId}` }, connectUserId: { S: connectUserId }, createdAt: { S: now } } } },
    ];
  });
  try {
    for (let i = 0; i < items.length; i += 25) {
      let pending: WriteRequest[] = items.slice(i, i + 25);
      while (pending.length > 0) {
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [world.linksTable]: pending } }));
        pending = out.UnprocessedItems?.[world.linksTable] ?? [];
      }
    }
  } finally {
    client.destroy();
  }
}
