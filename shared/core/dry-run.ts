import type { SyncDeps } from './context.js';
import { observedPorts, type PlannedStep } from './observed-ports.js';

export { PLANNED_IDENTITY, type PlannedStep } from './observed-ports.js';

/**
 * The same ports with every write recorded instead of made, and every read made: the use cases run over them unchanged
 * and `steps` says exactly what they would write now (reconcile's dry run, `connect-sso-sync user`). Writes answer as
 * the adapters would on success.
 */
export function dryRun(deps: SyncDeps): { deps: SyncDeps; steps: PlannedStep[] } {
  const steps: PlannedStep[] = [];
  const observed = observedPorts(deps, {
    async write(step, _make, planned) {
      steps.push(step);
      return planned();
    },
    quiet: async (_make, planned) => planned(),
  });
  return { deps: observed, steps };
}
