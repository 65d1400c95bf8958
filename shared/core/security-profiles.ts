import type { ConnectDirectory } from './ports/index.js';
import { namedProfiles } from './plan-groups.js';

/**
 * Security profile names of one instance, read once per container with ListSecurityProfiles, and read again as soon
 * as an id appears that the last read did not know (a profile created since). An id that stays unknown after a read
 * (a profile deleted meanwhile) triggers another read only after `refreshAfterMs`, so it does not cost a Connect call
 * per user. Concurrent callers share one read.
 */
export function createProfileNames(
  connect: ConnectDirectory,
  instanceId: string,
  options: { refreshAfterMs?: number; now?: () => number } = {},
): { of(ids: readonly string[]): Promise<{ id: string; name?: string }[]> } {
  const refreshAfterMs = options.refreshAfterMs ?? 60_000;
  const now = options.now ?? Date.now;
  let known = new Map<string, string>();
  const unknownAfterRead = new Set<string>();
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | undefined;

  const read = () => {
    reading ??= connect.listSecurityProfiles(instanceId).then((profiles) => {
      known = new Map(profiles.map((p) => [p.id, p.name]));
      readAt = now();
    }).finally(() => (reading = undefined));
    return reading;
  };

  return {
    /** The user's profiles with their names; an id still unknown after a read keeps no name (matched by id only). */
    async of(ids) {
      const unknown = ids.filter((id) => !known.has(id));
      const news = unknown.some((id) => !unknownAfterRead.has(id));
      if (unknown.length > 0 && (news || now() - readAt >= refreshAfterMs)) {
        await read();
        // Remembered for every caller (not only the one that started the read, nor only the last one): two users with
        // different unknown ids must not trigger a read each.
        for (const id of ids) if (!known.has(id)) unknownAfterRead.add(id);
      }
      return namedProfiles(ids, known);
    },
  };
}
