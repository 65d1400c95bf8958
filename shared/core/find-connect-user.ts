import type { CoreDeps } from './context.js';
import { emailsMatch } from './identity-profile.js';
import { UUID_SOURCE } from './ids.js';
import type { ConnectUser, ConnectUserLister } from './ports/index.js';

/** How the Connect user was found, for the screen (the cost of an email search is worth knowing). */
export type FoundBy = 'id' | 'username' | 'email (linked identity)' | 'email (user listing)';

export interface FoundUser {
  connectUserId: string;
  by: FoundBy;
  /** The Connect user, or undefined when Connect no longer has it (found by id or through its link). */
  user?: ConnectUser;
}

export type FindPorts = Pick<CoreDeps, 'connect' | 'identityStore' | 'links'> & { lister: ConnectUserLister };

/** At most this many DescribeUser calls over the candidates of an email search through the listing. */
export const MAX_EMAIL_CANDIDATES = 20;

// An operator may paste an id in any case.
const ANY_CASE_UUID = new RegExp(`^${UUID_SOURCE}$`, 'i');

/**
 * Finds one Connect user by id, Username or email. Neither ListUsers nor SearchUsers returns an email, so an email is
 * found, cheapest first, by: the Username (SearchUsers, one call: SAML logins are often the email); the Identity
 * Center user with that email and the link that claims it (two reads; also finds a deleted Connect user still
 * linked); the listing (ListUsers, one call per 1,000 users) whose Usernames share the email's local part, then
 * DescribeUser over at most MAX_EMAIL_CANDIDATES of them. Resolves undefined when nothing matches.
 */
export async function findConnectUser(ports: FindPorts, instanceId: string, who: string): Promise<FoundUser | undefined> {
  const { connect } = ports;
  if (ANY_CASE_UUID.test(who)) {
    const user = await connect.describeUser(instanceId, who);
    const record = user ? undefined : await ports.links.get(instanceId, who);
    if (user || record?.link || record?.deletedAt || record?.failure || record?.claims) return { connectUserId: who, by: 'id', user };
  }
  const byUsername = await connect.findUserIdByUsername(instanceId, who);
  if (byUsername) return { connectUserId: byUsername, by: 'username', user: await connect.describeUser(instanceId, byUsername) };
  if (!who.includes('@')) return undefined;
  return (await byLinkedIdentity(ports, instanceId, who)) ?? byListing(ports, instanceId, who);
}

async function byLinkedIdentity(ports: FindPorts, instanceId: string, email: string): Promise<FoundUser | undefined> {
  const identityUserId = await ports.identityStore.findUserIdByEmail(email);
  const claim = identityUserId ? await ports.links.claimOf(instanceId, identityUserId) : undefined;
  // The holder, else the one whose claim was released last: a deleted agent is found by its email too.
  const holder = claim?.holder ?? claim?.formerHolder;
  if (!holder) return undefined;
  return { connectUserId: holder, by: 'email (linked identity)', user: await ports.connect.describeUser(instanceId, holder) };
}

async function byListing(ports: FindPorts, instanceId: string, email: string): Promise<FoundUser | undefined> {
  const local = email.slice(0, email.indexOf('@')).toLowerCase();
  const candidates: string[] = [];
  for await (const page of ports.lister.pages(instanceId, { withProfiles: false })) {
    for (const row of page) {
      const name = (row.username.split('@')[0] ?? '').toLowerCase();
      // "maria.garcia" for maria.garcia@corp.com, "mgarcia" for m.garcia@..., not every one-letter login.
      const similar = name === local || name.includes(local) || (name.length >= 3 && local.replace(/[._-]/g, '').includes(name.replace(/[._-]/g, '')));
      if (similar) candidates.push(row.id);
    }
  }
  for (const id of candidates.slice(0, MAX_EMAIL_CANDIDATES)) {
    const user = await ports.connect.describeUser(instanceId, id);
    if (user && (emailsMatch(user.email, email) || emailsMatch(user.secondaryEmail, email))) {
      return { connectUserId: id, by: 'email (user listing)', user };
    }
  }
  return undefined;
}
