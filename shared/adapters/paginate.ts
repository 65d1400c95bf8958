/** What every page of an AWS list call that pages with NextToken carries. */
export interface TokenPage {
  NextToken?: string;
}

export interface PaginateOptions {
  /** Awaited before each page is fetched, the first included: a pacer's turn (Connect's rate, see pacer.ts). */
  before?: () => Promise<void>;
}

/**
 * Every page of a list call, oldest first: `fetch` is given the token of the page to read (undefined for the first),
 * and the next token is the page's NextToken (an empty one ends the listing as a missing one does), or what `next`
 * reads (DynamoDB's LastEvaluatedKey). A page is fetched only when the caller asks for it, so a caller that stops early
 * (`break`, `return`, a throw) reads nothing more, and pages can be streamed one at a time. A failed fetch (or
 * `before`) rejects the iteration with its error, as thrown.
 */
export function paginate<P extends TokenPage>(fetch: (token: string | undefined) => Promise<P>, options?: PaginateOptions): AsyncGenerator<P, void, undefined>;
export function paginate<P, T>(
  fetch: (token: T | undefined) => Promise<P>,
  options: PaginateOptions & { next: (page: P) => T | undefined },
): AsyncGenerator<P, void, undefined>;
export async function* paginate<P, T>(
  fetch: (token: T | undefined) => Promise<P>,
  options: PaginateOptions & { next?: (page: P) => T | undefined } = {},
): AsyncGenerator<P, void, undefined> {
  const next = options.next ?? ((page: P) => ((page as TokenPage).NextToken || undefined) as T | undefined);
  let token: T | undefined;
  do {
    await options.before?.();
    const page = await fetch(token);
    yield page;
    token = next(page);
  } while (token);
}
