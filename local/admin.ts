/**
 * What the Connect administrator does, scripted: create, change and delete users as the admin website or the bulk
 * upload does. Their tools retry throttling and server errors until the call succeeds (a failed call changes nothing).
 * Security profiles are named as in the admin website (Agent, CallCenterManager, ...) and resolved to ids with
 * ListSecurityProfiles, once per client and instance.
 */
import {
  CreateUserCommand, DeleteUserCommand, ListSecurityProfilesCommand, UpdateUserIdentityInfoCommand, UpdateUserSecurityProfilesCommand,
  type ConnectClient, type UserIdentityInfo,
} from '@aws-sdk/client-connect';
import { BASIC_ROUTING_PROFILE, BASIC_ROUTING_PROFILE_ID } from './emulator/connect.js';
import { paginate } from '../shared/adapters/paginate.js';

/** The routing profile the admin website gives a new agent: the one every new instance has. */
export const NEW_AGENT_ROUTING_PROFILE = BASIC_ROUTING_PROFILE_ID;
/** The routing profiles of a new instance (ListRoutingProfiles), by name. */
export const ROUTING_PROFILES: Readonly<Record<string, string>> = { [BASIC_ROUTING_PROFILE]: BASIC_ROUTING_PROFILE_ID };
const DEFAULT_PROFILES = ['Agent'];

export interface NewAgent {
  username: string;
  identity?: UserIdentityInfo;
  phoneType?: 'SOFT_PHONE' | 'DESK_PHONE';
  /** Security profile names; default ['Agent'] (the profile a new agent gets in the admin website). */
  securityProfiles?: string[];
  /** A routing profile name of ROUTING_PROFILES; default Basic Routing Profile. */
  routingProfile?: string;
  deskPhoneNumber?: string;
  autoAccept?: boolean;
  afterContactWorkSeconds?: number;
  /** CONNECT_MANAGED instances only (CreateUser requires one there; the API reference calls it an error elsewhere). */
  password?: string;
}

// A kept-alive socket the server closed meanwhile surfaces as a connection reset: the tools simply try again.
const NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT']);
const retryable = (error: unknown) => {
  const e = error as { name?: string; $fault?: string; code?: string };
  return e.name === 'ThrottlingException' || e.name === 'TooManyRequestsException' || e.$fault === 'server' || NETWORK.has(e.code ?? '');
};

/** Runs `call`, retrying transient failures with jittered backoff, up to `attempts` calls in all. */
async function withRetry<T>(call: () => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt) * Math.random()));
    }
  }
}

/** Profile name -> id per client and instance; a failed look-up is forgotten so the next call tries again. */
const profileCache = new WeakMap<ConnectClient, Map<string, Promise<Map<string, string>>>>();

async function listProfiles(connect: ConnectClient, instanceId: string, attempts: number): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  const pages = paginate((token) =>
    withRetry(() => connect.send(new ListSecurityProfilesCommand({ InstanceId: instanceId, MaxResults: 1000, NextToken: token })), attempts),
  );
  for await (const out of pages) for (const profile of out.SecurityProfileSummaryList ?? []) if (profile.Name && profile.Id) byName.set(profile.Name, profile.Id);
  return byName;
}

/** Resolves security profile names to ids; throws naming the profiles the instance does not have. */
export async function securityProfileIds(connect: ConnectClient, instanceId: string, names: string[], attempts = 30): Promise<string[]> {
  const perInstance = profileCache.get(connect) ?? new Map<string, Promise<Map<string, string>>>();
  profileCache.set(connect, perInstance);
  let pending = perInstance.get(instanceId);
  if (pending === undefined) {
    pending = listProfiles(connect, instanceId, attempts);
    perInstance.set(instanceId, pending);
    pending.catch(() => perInstance.delete(instanceId));
  }
  let byName = await pending;
  if (names.some((name) => !byName.has(name))) {
    // A profile created since the last read (as an administrator does in the console): read again once.
    pending = listProfiles(connect, instanceId, attempts);
    perInstance.set(instanceId, pending);
    byName = await pending;
  }
  const missing = names.filter((name) => !byName.has(name));
  if (missing.length > 0) throw new Error(`The Connect instance has no security profile named ${missing.join(', ')}`);
  return names.map((name) => byName.get(name) ?? '');
}

/** Creates the Connect user, retrying transient failures (up to `attempts` calls); returns the user id. */
export async function createAgent(connect: ConnectClient, instanceId: string, agent: NewAgent, attempts = 30): Promise<string> {
  const profiles = await securityProfileIds(connect, instanceId, agent.securityProfiles ?? DEFAULT_PROFILES, attempts);
  const out = await withRetry(() => connect.send(
    new CreateUserCommand({
      InstanceId: instanceId,
      Username: agent.username,
      IdentityInfo: agent.identity ?? {},
      PhoneConfig: {
        PhoneType: agent.phoneType ?? 'SOFT_PHONE',
        AutoAccept: agent.autoAccept ?? false,
        AfterContactWorkTimeLimit: agent.afterContactWorkSeconds ?? 0,
        ...(agent.deskPhoneNumber && { DeskPhoneNumber: agent.deskPhoneNumber }),
      },
      SecurityProfileIds: profiles,
      RoutingProfileId: (agent.routingProfile && ROUTING_PROFILES[agent.routingProfile]) || NEW_AGENT_ROUTING_PROFILE,
      ...(agent.password && { Password: agent.password }),
    }),
  ), attempts);
  return out.UserId ?? '';
}

/** Replaces the user's security profiles (by name), e.g. promoting an agent to CallCenterManager. */
export async function updateSecurityProfiles(connect: ConnectClient, instanceId: string, userId: string, names: string[], attempts = 30): Promise<void> {
  const profiles = await securityProfileIds(connect, instanceId, names, attempts);
  await withRetry(() => connect.send(new UpdateUserSecurityProfilesCommand({ InstanceId: instanceId, UserId: userId, SecurityProfileIds: profiles })), attempts);
}

/** Replaces the user's identity info (names, e-mails, mobile), as the admin website's user page does. */
export async function updateIdentityInfo(connect: ConnectClient, instanceId: string, userId: string, identityInfo: UserIdentityInfo, attempts = 30): Promise<void> {
  await withRetry(() => connect.send(new UpdateUserIdentityInfoCommand({ InstanceId: instanceId, UserId: userId, IdentityInfo: identityInfo })), attempts);
}

/** Deletes the Connect user. */
export async function deleteAgent(connect: ConnectClient, instanceId: string, userId: string, attempts = 30): Promise<void> {
  await withRetry(() => connect.send(new DeleteUserCommand({ InstanceId: instanceId, UserId: userId })), attempts);
}
