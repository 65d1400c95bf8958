import type { SyncDeps } from './context.js';
import { asSyncError } from './errors.js';
import { observedPorts, type PlannedStep } from './observed-ports.js';

/** A write a use case made, and what it answered ("added", "already-member", "done", "failed CODE"). */
export interface AppliedStep extends PlannedStep {
  result: string;
}

/**
 * The same ports with every write made and recorded with its answer, in the order made: the use cases run over them
 * unchanged (`connect-sso-sync user --apply` prints each step's outcome). The dry run's twin: the same verbs
 * (observed-ports.ts), so a plan and its application read alike. Ids and attribute names only.
 */
export function recordedRun(deps: SyncDeps): { deps: SyncDeps; steps: AppliedStep[] } {
  const steps: AppliedStep[] = [];
  const observed = observedPorts(deps, {
    async write(step, make, _planned, answer = () => 'done') {
      try {
        const value = await make();
        steps.push({ ...step, result: answer(value) });
        return value;
      } catch (error) {
        steps.push({ ...step, result: `failed ${asSyncError(error).code}` });
        throw error;
      }
    },
    quiet: (make) => make(),
  });
  return { deps: observed, steps };
}
