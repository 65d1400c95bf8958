/** What every page of an AWS list call that pages with NextToken carries. */
export interface TokenPage {
  NextToken?: string;
}

export interface PaginateOptions {
  /** Awaited before each page is fetched, the first included: a pacer's turn (Connect's rate, see pacer.ts). */
  before?: () => Promise<void>;
}

/**
 * Every page of a list call that pages with NextToken, oldest first: `fetch` is given the token of the page to read
 * (undefined for the first). A page is fetched only when the caller asks for it, so a caller that stops early (`break`,
 * `return`, a throw) reads nothing more, and pages can be streamed one at a time. An empty NextToken ends the listing as
 * a missing one does. A failed fetch (or `before`) rejects the iteration with its error, as thrown.
 */
export async function* paginate<P extends TokenPage>(
  fetch: (token: string | undefined) => Promise<P>,
  options: PaginateOptions = {},
): AsyncGenerator<P, void, undefined> {
  let token: string | undefined;
  do {
    await options.before?.();
    const page = await fetch(token);
    yield page;
    token = page.NextToken || undefined;
  } while (token);
}
