/**
 * Memoizes an async result for the life of the container (one Lambda cold start). A failure is not remembered,
 * so the next caller tries again; concurrent callers share one attempt.
 */
export function once<T>(compute: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= compute().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
