import { PermanentError } from './errors.js';
import type { AssignmentReader } from './operator-ports.js';
import type { AppAssignments, IdentityStore } from './ports.js';
import type { AssignmentMode, SyncOutcome } from './sync-user.js';

/**
 * Dry-run adapters: the same IdentityStore and AppAssignments ports the sync core uses, doing every read for real and
 * only recording the writes they would make. Running the unchanged core over them yields the plan, so a dry run and
 * an --apply run take the same decisions.
 */
export const PLANNED_PREFIX = 'planned:';
const isPlanned = (id: string) => id.startsWith(PLANNED_PREFIX);

export interface PlannedWrites {
  usersCreated: number;
  membershipsAdded: number;
  userAssignments: number;
  /** The agents group would be created (it does not exist yet). */
  groupCreated: boolean;
  /** The agents group would be assigned to the application (ASSIGNMENT_MODE=group and it is not yet). */
  groupAssigned: boolean;
}

export interface Planner {
  identityStore: IdentityStore;
  assignments: AppAssignments;
  writes: PlannedWrites;
}

export function createPlanner(real: IdentityStore, assignmentReader: AssignmentReader | undefined): Planner {
  const writes: PlannedWrites = { usersCreated: 0, membershipsAdded: 0, userAssignments: 0, groupCreated: false, groupAssigned: false };
  let seq = 0;
  let assigned: Promise<Set<string>> | undefined;

  const identityStore: IdentityStore = {
    findUserIdByEmail: (email) => real.findUserIdByEmail(email),
    findUserIdByUserName: (userName) => real.findUserIdByUserName(userName),
    findGroupIdByName: (name) => real.findGroupIdByName(name),
    async createUser(user) {
      // The core skips the userName lookup because CreateUser's conflict answers it; a dry run must ask.
      if (await real.findUserIdByUserName(user.userName)) {
        throw new PermanentError('ALREADY_EXISTS', 'the userName is taken (dry run)');
      }
      writes.usersCreated += 1;
      return `${PLANNED_PREFIX}user-${++seq}`;
    },
    async createGroup() {
      writes.groupCreated = true;
      return `${PLANNED_PREFIX}group`;
    },
    async isMember(groupId, userId) {
      if (isPlanned(groupId) || isPlanned(userId)) return false;
      return real.isMember(groupId, userId);
    },
    async addMember(groupId, userId) {
      if (!isPlanned(groupId) && !isPlanned(userId) && (await real.isMember(groupId, userId))) return 'already-member';
      writes.membershipsAdded += 1;
      return 'added';
    },
  };

  const assignments: AppAssignments = {
    async assign(principalId, principalType) {
      if (!isPlanned(principalId)) {
        if (!assignmentReader) {
          throw new PermanentError('VALIDATION', 'CONNECT_APPLICATION_ARN is not configured');
        }
        assigned ??= assignmentReader.assignedPrincipals().catch((error: unknown) => {
          assigned = undefined;
          throw error;
        });
        if ((await assigned).has(`${principalType}:${principalId}`)) return 'already-assigned';
      }
      if (principalType === 'GROUP') writes.groupAssigned = true;
      else writes.userAssignments += 1;
      return 'assigned';
    },
  };

  return { identityStore, assignments, writes };
}

export type PlanStatus = 'create' | 'link' | 'in-sync' | 'cannot' | 'error';
export type PlanAction = 'create' | 'link' | 'add-to-group' | 'assign';

export interface UserPlan {
  connectUserId: string;
  username: string;
  status: PlanStatus;
  actions: PlanAction[];
  /** The core's error code, for `cannot` (permanent) and `error` (retryable, after the SDK's retries). */
  code?: string;
  message?: string;
}

/** What a sync outcome means per user: the writes it made (or, in a dry run, would make). */
export function planOf(username: string, outcome: SyncOutcome, mode: AssignmentMode): UserPlan {
  const actions: PlanAction[] = [outcome.outcome === 'created' ? 'create' : 'link'];
  if (outcome.membership === 'added') actions.push('add-to-group');
  // In group mode the assignment is the group's, made once: reported in the summary, not per user.
  if (mode === 'user' && outcome.assignment === 'assigned') actions.push('assign');
  const status: PlanStatus = outcome.outcome === 'created' ? 'create' : actions.length > 1 ? 'link' : 'in-sync';
  return { connectUserId: outcome.connectUserId, username, status, actions: status === 'in-sync' ? [] : actions };
}
