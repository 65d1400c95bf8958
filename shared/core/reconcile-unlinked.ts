import type { ActionResult } from './reconcile.js';
import type { ReconcilePlan, UnlinkedMember } from './reconcile-plan.js';

/**
 * Members of the managed groups that no link explains (reconcile-plan.ts's unlinkedMembers) after the run: reported,
 * and taken out of the group only with --remove-unlinked (which reads the link table again right before each
 * removal). Pure.
 */

/**
 * The unlinked members once the run's actions are done, when the results alone tell it: the plan's, less the identities
 * its link writes linked. Undefined when an action may have linked (or left unlinked) an identity the plan cannot name
 * — a sync of an unlinked user, a linked user's sync that did more than bring its groups in line, a queued request,
 * a deprovision that keeps the memberships — and the snapshots must be read again.
 */
export function unlinkedAfter(plan: ReconcilePlan, results: readonly ActionResult[], deprovision: 'membership' | 'delete' | 'none'): UnlinkedMember[] | undefined {
  const writes = new Map(plan.linkWrites.map((w) => [w.connectUserId, w.identityUserId]));
  const linkedNow = new Set<string>();
  for (const r of results) {
    if (r.action === 'link' && r.outcome === 'linked' && writes.has(r.subject)) linkedNow.add(writes.get(r.subject) ?? '');
    else if (r.action === 'link' && r.outcome === 'failed') continue;
    else if (r.action === 'deprovision' && deprovision !== 'none') continue;
    else if (r.action === 'sync' && !r.drift.includes('missing-link') && ['synced', 'unmapped', 'ignored'].includes(r.outcome)) continue;
    else if (r.action === 'assign-group') continue;
    else return undefined;
  }
  return plan.unlinkedMembers.filter((m) => !linkedNow.has(m.identityUserId));
}
