/**
 * Switches for what AWS does not document (or documents two ways). Each can be set both ways, at start
 * (`startEmulator({ behaviour })`) and at runtime (`emulator.setBehaviour(...)`), so tests can pin the product to be
 * right under either answer. The defaults are listed in README.md with the reason for each.
 */

export type CaseRule = 'insensitive' | 'sensitive';

export interface BehaviourOptions {
  /**
   * Whether lookups and uniqueness ignore case: Identity Store GetUserId (userName, emails.value), GetGroupId
   * (displayName) and the uniqueness of user names, emails and group names; Connect SearchUsers with
   * ComparisonType EXACT. One value sets both services; an object sets them one by one.
   * Default `{ identityStore: 'insensitive', connect: 'sensitive' }` (what the emulator always did).
   */
  lookupCase?: CaseRule | { identityStore?: CaseRule; connect?: CaseRule };
  /**
   * Identity Store IsMemberInGroups, ListGroupMembershipsForMember and GetGroupMembershipId with a user or group id that
   * is well formed but names nothing: `not-found` (default) answers ResourceNotFoundException (USER / GROUP), which
   * the operations list; `no-membership` answers "not a member" (false, an empty list, GROUP_MEMBERSHIP not found).
   */
  unknownMember?: 'not-found' | 'no-membership';
  /**
   * SSO Admin CreateApplicationAssignment for a principal already assigned: `conflict` (default) answers 409
   * ConflictException, `ok` answers 200 and changes nothing. The model documents ConflictException only as a
   * concurrent-write conflict; what a repeat answers is not documented.
   */
  repeatAssignment?: 'conflict' | 'ok';
  /**
   * SSO Admin List{Account,Application}AssignmentsForPrincipal for a USER: `direct` (default) lists only the user's
   * own assignments; `with-groups` also those of the groups the user belongs to (under the group's PrincipalId).
   */
  principalAssignments?: 'direct' | 'with-groups';
  /**
   * Connect ids (instance, user, security profile) that are not UUIDs: the model gives them no pattern, so what AWS
   * answers is not documented. `invalid-parameter` (default): 400 InvalidParameterException; `not-found`: 404.
   */
  connectMalformedIds?: 'invalid-parameter' | 'not-found';
  /**
   * Connect CreateUser / UpdateUserSecurityProfiles naming a security profile the instance does not have: both
   * InvalidParameterException and ResourceNotFoundException are listed. Default `invalid-parameter`.
   */
  connectUnknownSecurityProfile?: 'invalid-parameter' | 'not-found';
  /**
   * SQS message bodies and string attribute values with characters outside the allowed set: the installed SDK's
   * model says SQS rejects them (InvalidMessageContents, the default `reject`); newer API documentation says SQS
   * replaces them with U+FFFD (`replace`).
   */
  sqsInvalidCharacters?: 'reject' | 'replace';
  /**
   * List and Search operations: `full` (default) fills every page but the last; `short` returns half a page while
   * more follow. AWS documents that a page may hold fewer results than MaxResults with a NextToken still to follow.
   */
  pages?: 'full' | 'short';
  /**
   * Connect CreateUser's Username: the model allows 1-100 characters of anything; the API reference's text allows SAML
   * logins up to 64 of `[a-zA-Z0-9_-.@]`. `documented` (default, what the emulator always did) applies the text to
   * every instance; `model` only the model's length, so a 65-100 character login is accepted.
   */
  connectUsername?: 'model' | 'documented';
}

export type ResolvedBehaviour = Required<Omit<BehaviourOptions, 'lookupCase'>> & { lookupCase: { identityStore: CaseRule; connect: CaseRule } };

export const DEFAULT_BEHAVIOUR: ResolvedBehaviour = {
  lookupCase: { identityStore: 'insensitive', connect: 'sensitive' },
  unknownMember: 'not-found',
  repeatAssignment: 'conflict',
  principalAssignments: 'direct',
  connectMalformedIds: 'invalid-parameter',
  connectUnknownSecurityProfile: 'invalid-parameter',
  sqsInvalidCharacters: 'reject',
  pages: 'full',
  connectUsername: 'documented',
};

/** Eventual consistency of Identity Store reads (off by default). */
export interface ConsistencyOptions {
  /** Reads do not see users, groups and memberships written (created, updated, deleted) less than this long ago. */
  readLagMs?: number;
  /**
   * The Identity Store's clock in milliseconds (default `Date.now`): writes are stamped and reads compared with it. A
   * test of the lag steps its own clock, so a slow machine cannot make a read late.
   */
  clock?: () => number;
}

/** The live settings every service reads at request time (so setters take effect on the next request). */
export class Behaviour {
  current: ResolvedBehaviour = structuredClone(DEFAULT_BEHAVIOUR);
  readLagMs = 0;
  clock: () => number = Date.now;

  constructor(options: BehaviourOptions = {}, consistency: ConsistencyOptions = {}) {
    this.configure(options);
    this.setConsistency(consistency);
  }

  configure(options: BehaviourOptions): void {
    const { lookupCase, ...rest } = options;
    const cases = typeof lookupCase === 'string' ? { identityStore: lookupCase, connect: lookupCase } : lookupCase ?? {};
    this.current = {
      ...this.current,
      ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
      lookupCase: { ...this.current.lookupCase, ...Object.fromEntries(Object.entries(cases).filter(([, v]) => v !== undefined)) },
    };
  }

  setConsistency(consistency: ConsistencyOptions): void {
    this.readLagMs = Math.max(0, consistency.readLagMs ?? 0);
    this.clock = consistency.clock ?? this.clock;
  }

  /** Folds a string for comparison under the service's case rule. */
  fold(service: 'identityStore' | 'connect'): (value: string) => string {
    return this.current.lookupCase[service] === 'insensitive' ? (value) => value.toLowerCase() : (value) => value;
  }
}
