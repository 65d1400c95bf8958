import { createManagedGroups } from './groups.js';
import { once } from './once.js';
import { createOwnership } from './ownership.js';
import type { GroupMapping } from './plan-groups.js';
import type { AppAssignments, ConnectDirectory, IdentityStore, LinkStore } from './ports/index.js';
import type { SignInAttribute, SignInRule } from './sign-in.js';

export type AssignmentMode = 'group' | 'user' | 'none';

/** The settings every use case shares (from the validated configuration). */
export interface SyncSettings {
  /** The one Connect instance this deployment serves. */
  instanceId: string;
  mapping: GroupMapping;
  assignmentMode: AssignmentMode;
  createUsers: boolean;
  protectedGroupNames: readonly string[];
  /**
   * The ids IAM lets the function write memberships of (MANAGED_GROUP_IDS). When set, a managed group must resolve
   * to one of them and groups are never created: a group created at run time could not be inside that scope.
   * Unset (local runs, own templates): missing managed groups are created on first use.
   */
  managedGroupIds?: ReadonlySet<string>;
  deprovision: 'membership' | 'delete' | 'none';
  updateIdentity: 'created' | 'none';
  /** SIGN_IN_ATTRIBUTE: what the Amazon Connect application sends as RoleSessionName (sign-in.ts). */
  signInAttribute: SignInAttribute;
}

/** What a container's use cases are built from: the ports and the settings (and a clock, for tests). */
export interface SyncDeps {
  connect: ConnectDirectory;
  identityStore: IdentityStore;
  assignments: AppAssignments;
  links: LinkStore;
  settings: SyncSettings;
  now?: () => Date;
}

/** Everything a container's use cases may depend on; each names the part it uses (SyncUserDeps, DeprovisionDeps, ...). */
export type CoreDeps = ReturnType<typeof withSharedRules>;

/**
 * The ports and settings with the rules and caches the use cases of a container share, built once over its ports, for a
 * composition root to hand each use case its part.
 */
export function withSharedRules(deps: SyncDeps) {
  const { settings } = deps;
  const now = deps.now ?? (() => new Date());
  // The identity management type is fixed when the instance is created: read once per container.
  const identityManagement = once(() => deps.connect.identityManagementType(settings.instanceId));
  return {
    ...deps,
    groups: createManagedGroups(deps, settings, () => now().getTime()),
    ownership: createOwnership(deps.identityStore, deps.assignments),
    /** How identities are keyed on this instance (one DescribeInstance per container). */
    async signInRule(): Promise<SignInRule> {
      const type = await identityManagement();
      return { identityManagement: type, saml: type === 'SAML', attribute: settings.signInAttribute };
    },
    timestamp: () => now().toISOString(),
  };
}
