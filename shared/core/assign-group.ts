import type { CoreDeps } from './context.js';

export interface AssignGroupOutcome {
  outcome: 'assigned' | 'already-assigned' | 'ignored';
  groupId: string;
  reason?: string;
}

export type AssignGroup = (request: { groupId: string }) => Promise<AssignGroupOutcome>;

/**
 * Assigns a managed group to the Amazon Connect application (the scheduled reconcile found it unassigned; it only
 * reads Identity Center and queues the write here). Only a managed group that exists, and only in group assignment
 * mode: a request naming any other group changes nothing, whoever put it on the queue.
 */
export function createAssignGroup(deps: Pick<CoreDeps, 'assignments' | 'groups' | 'settings'>): AssignGroup {
  return async function assignGroup({ groupId }) {
    if (deps.settings.assignmentMode !== 'group') return { outcome: 'ignored', reason: 'ASSIGNMENT_MODE is not group', groupId };
    const managed = new Set((await deps.groups.existing()).values());
    if (!managed.has(groupId)) return { outcome: 'ignored', reason: 'not-a-managed-group', groupId };
    return { outcome: await deps.assignments.assign(groupId, 'GROUP'), groupId };
  };
}
