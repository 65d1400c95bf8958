import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Checkpoint, CheckpointStore } from '../shared/core/reconcile.js';

/** The reconcile checkpoint as a JSON file, replaced atomically (write a temporary file, then rename). */
export function checkpointFile(path: string): CheckpointStore {
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      const data: unknown = JSON.parse(text);
      if (!isCheckpoint(data)) throw new Error(`${path} is not a reconcile checkpoint: remove it or drop --resume`);
      return data;
    },
    async save(checkpoint) {
      const temporary = `${path}.tmp`;
      await writeFile(temporary, `${JSON.stringify({ ...checkpoint, savedAt: new Date().toISOString() })}\n`);
      await rename(temporary, path);
    },
    async clear() {
      await rm(path, { force: true });
    },
  };
}

function isCheckpoint(value: unknown): value is Checkpoint {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.instanceId === 'string' &&
    (c.pageToken === undefined || typeof c.pageToken === 'string') &&
    typeof c.doneInPage === 'number' &&
    typeof c.pagesDone === 'number' &&
    typeof c.usersDone === 'number'
  );
}
