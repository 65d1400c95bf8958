/**
 * A table of Identity Store entities that remembers recent versions, so reads can lag behind writes (eventual
 * consistency, `consistency.readLagMs`). Writers and uniqueness checks use the latest version (`get`, `values`), as
 * AWS enforces uniqueness on every write; readers use `read` / `readAll`, which see only versions at least
 * `lag()` old. With no lag both views are the same.
 */
interface Version<T> { at: number; value: T | undefined }

export class VersionedTable<T> {
  private readonly rows = new Map<string, Version<T>[]>();

  constructor(private readonly lag: () => number) {}

  /** Creates or replaces (a new version). */
  set(id: string, value: T, now = Date.now()): void {
    this.write(id, value, now);
  }

  /** Deletes (a tombstone version); false when there was nothing to delete. */
  delete(id: string, now = Date.now()): boolean {
    if (this.get(id) === undefined) return false;
    this.write(id, undefined, now);
    return true;
  }

  /** Latest version (the writer's view). */
  get(id: string): T | undefined {
    const versions = this.rows.get(id);
    return versions?.[versions.length - 1]?.value;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** Latest versions of every live entity, in creation order. */
  values(): T[] {
    return [...this.rows.keys()].flatMap((id) => {
      const value = this.get(id);
      return value === undefined ? [] : [value];
    });
  }

  /** What a reader sees now: the newest version written at least `lag()` ago. */
  read(id: string, now = Date.now()): T | undefined {
    const cutoff = now - this.lag();
    const versions = this.rows.get(id) ?? [];
    for (let i = versions.length - 1; i >= 0; i -= 1) {
      const version = versions[i];
      if (version !== undefined && version.at <= cutoff) return version.value;
    }
    return undefined;
  }

  readAll(now = Date.now()): T[] {
    return [...this.rows.keys()].flatMap((id) => {
      const value = this.read(id, now);
      return value === undefined ? [] : [value];
    });
  }

  private write(id: string, value: T | undefined, now: number): void {
    const versions = this.rows.get(id) ?? [];
    versions.push({ at: now, value });
    // Keep the newest version a reader can already see, and everything after it.
    const cutoff = now - this.lag();
    let keepFrom = 0;
    for (let i = versions.length - 1; i >= 0; i -= 1) {
      if ((versions[i]?.at ?? 0) <= cutoff) {
        keepFrom = i;
        break;
      }
    }
    const kept = versions.slice(keepFrom);
    const only = kept.length === 1 ? kept[0] : undefined;
    if (only !== undefined && only.value === undefined && only.at <= cutoff) this.rows.delete(id);
    else this.rows.set(id, kept);
  }
}
