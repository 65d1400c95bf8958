import { withSharedRules, type CoreDeps, type SyncSettings } from '../../shared/core/context.js';
import { createAssignGroup, type AssignGroup } from '../../shared/core/assign-group.js';
import { createDeprovisionUser, type DeprovisionUser } from '../../shared/core/deprovision-user.js';
import { SyncError } from '../../shared/core/errors.js';
import { everyoneIn, type GroupMapping } from '../../shared/core/plan-groups.js';
import type { ConnectUser } from '../../shared/core/ports/index.js';
import { createSyncUser, type SyncUser } from '../../shared/core/sync-user.js';
import { createUpdateIdentity, type UpdateIdentity } from '../../shared/core/update-identity.js';
import { parseGroupMapping } from '../../shared/config/group-mapping-config.js';
import { FakeAssignments, FakeConnect, FakeIdentityStore, FakeLinks, type FakeIdentityStoreOptions } from './fakes.js';

export const INSTANCE = '4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20';

/** A clock tests move by hand: the context's `now`, and the fake Identity Store's `createdAt`. */
export class Clock {
  constructor(public ms = Date.parse('2026-11-28T09:15:00Z')) {}
  advance(ms: number): void {
    this.ms += ms;
  }
  readonly now = (): Date => new Date(this.ms);
  readonly epoch = (): number => this.ms;
}

/** The ports of one world (Connect, Identity Center, the link table), which several containers may share. */
export interface World {
  connect: FakeConnect;
  identityStore: FakeIdentityStore;
  assignments: FakeAssignments;
  links: FakeLinks;
  clock: Clock;
}

export function createWorld(options: Omit<FakeIdentityStoreOptions, 'now'> = {}): World {
  const clock = new Clock();
  return {
    connect: new FakeConnect(INSTANCE),
    identityStore: new FakeIdentityStore({ ...options, now: clock.epoch }),
    assignments: new FakeAssignments(),
    links: new FakeLinks(),
    clock,
  };
}

/** One container: its ports, settings and shared rules (its caches), and the use cases over a world. */
export interface Core extends World {
  deps: CoreDeps;
  settings: SyncSettings;
  syncUser: SyncUser;
  updateIdentity: UpdateIdentity;
  deprovisionUser: DeprovisionUser;
  assignGroup: AssignGroup;
  /** Empties every call log of the world. */
  resetCalls(): void;
}

export const DEFAULT_SETTINGS: SyncSettings = {
  instanceId: INSTANCE,
  mapping: everyoneIn('ConnectAgents'),
  assignmentMode: 'group',
  createUsers: true,
  protectedGroupNames: [],
  deprovision: 'membership',
  updateIdentity: 'created',
  signInAttribute: 'email',
};

/** Builds a container over `world` (a new one unless given) with the default settings and `overrides`. */
export function buildCore(overrides: Partial<SyncSettings> = {}, world: World = createWorld()): Core {
  const settings = { ...DEFAULT_SETTINGS, ...overrides };
  const deps = withSharedRules({ ...world, settings, now: world.clock.now });
  return {
    ...world,
    deps,
    settings,
    syncUser: createSyncUser(deps),
    updateIdentity: createUpdateIdentity(deps),
    deprovisionUser: createDeprovisionUser(deps),
    assignGroup: createAssignGroup(deps),
    resetCalls() {
      for (const fake of [world.connect, world.identityStore, world.assignments, world.links]) fake.calls.length = 0;
    },
  };
}

/** GROUP_MAPPING as the configuration parses it. */
export function mappingOf(json: Record<string, string | string[]>): GroupMapping {
  const mapping = parseGroupMapping(JSON.stringify(json), 'ConnectAgents');
  if ('problems' in mapping) throw new Error(mapping.problems.join('; '));
  return mapping;
}

/** A Connect user with an email and names, in `profiles` (ids). */
export function agent(id: string, name: string, overrides: Partial<ConnectUser> = {}): ConnectUser {
  const [first = name, last = 'Agent'] = name.split(' ');
  const email = `${first.toLowerCase()}.${last.toLowerCase()}@example.com`;
  return { id, username: email, firstName: first, lastName: last, email, securityProfileIds: [], ...overrides };
}

/** The SyncError a promise rejects with (fails the test when it resolves or rejects with anything else). */
export async function rejection(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(
    (value: unknown) => new Error(`expected a rejection, got ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  if (!(error instanceof SyncError)) throw error instanceof Error ? error : new Error(String(error));
  return error;
}
