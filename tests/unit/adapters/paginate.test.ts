import { paginate, type TokenPage } from '../../../shared/adapters/paginate.js';

interface Page extends TokenPage {
  items: string[];
}

/** A listing of `pages`, recording every token asked for (and, interleaved, every pacing) in `log`. */
function listing(pages: Page[], log: string[]) {
  return async (token: string | undefined): Promise<Page> => {
    log.push(`fetch ${token ?? '(first)'}`);
    const index = token === undefined ? 0 : Number(token.slice(1));
    const page = pages[index];
    if (!page) throw new Error(`no page ${token}`);
    return page;
  };
}

const THREE_PAGES: Page[] = [
  { items: ['a', 'b'], NextToken: 't1' },
  { items: ['c'], NextToken: 't2' },
  { items: ['d'] },
];

describe('paginate', () => {
  it('yields every page in order, passing each NextToken to the next fetch', async () => {
    const log: string[] = [];

    const items: string[] = [];
    for await (const page of paginate(listing(THREE_PAGES, log))) items.push(...page.items);

    expect(items).toEqual(['a', 'b', 'c', 'd']);
    expect(log).toEqual(['fetch (first)', 'fetch t1', 'fetch t2']);
  });

  it('ends at an empty NextToken as at a missing one', async () => {
    const log: string[] = [];

    const pages: Page[] = [];
    for await (const page of paginate(listing([{ items: ['a'], NextToken: '' }, { items: ['never'] }], log))) pages.push(page);

    expect(pages.map((p) => p.items)).toEqual([['a']]);
    expect(log).toEqual(['fetch (first)']);
  });

  it('fetches a page only when the caller asks for it: stopping early reads nothing more', async () => {
    const log: string[] = [];

    for await (const page of paginate(listing(THREE_PAGES, log))) {
      log.push(`got ${page.items.join(',')}`);
      if (page.items.includes('c')) break;
    }

    // The second page was handed over before the third was asked for, and the third never was.
    expect(log).toEqual(['fetch (first)', 'got a,b', 'fetch t1', 'got c']);
  });

  it('awaits `before` ahead of every fetch, the first included (pacing)', async () => {
    const log: string[] = [];
    const before = async () => {
      log.push('pace');
    };

    for await (const page of paginate(listing(THREE_PAGES, log), { before })) log.push(`got ${page.items.length}`);

    expect(log).toEqual(['pace', 'fetch (first)', 'got 2', 'pace', 'fetch t1', 'got 1', 'pace', 'fetch t2', 'got 1']);
  });

  it('rejects with the failing fetch\'s own error, after the pages before it', async () => {
    const log: string[] = [];
    const failure = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const fetch = async (token: string | undefined): Promise<Page> => {
      if (token === 't1') throw failure;
      return listing(THREE_PAGES, log)(token);
    };

    const seen: string[] = [];
    const run = (async () => {
      for await (const page of paginate(fetch)) seen.push(...page.items);
    })();

    await expect(run).rejects.toBe(failure);
    expect(seen).toEqual(['a', 'b']);
  });

  it('stops before fetching when `before` throws (an aborted invocation)', async () => {
    const log: string[] = [];
    const aborted = new Error('aborted');

    const run = (async () => {
      for await (const page of paginate(listing(THREE_PAGES, log), { before: () => Promise.reject(aborted) })) log.push(String(page));
    })();

    await expect(run).rejects.toBe(aborted);
    expect(log).toEqual([]);
  });

  it('pages by what `next` reads (DynamoDB\'s LastEvaluatedKey, a key object) until it reads nothing', async () => {
    type Key = { pk: string };
    const table: Record<string, { Items: string[]; LastEvaluatedKey?: Key }> = {
      first: { Items: ['a', 'b'], LastEvaluatedKey: { pk: 'b' } },
      b: { Items: ['c'], LastEvaluatedKey: { pk: 'c' } },
      c: { Items: [] },
    };
    const starts: (Key | undefined)[] = [];
    const fetch = async (start: Key | undefined) => {
      starts.push(start);
      return table[start?.pk ?? 'first'] ?? { Items: [] };
    };

    const items: string[] = [];
    for await (const page of paginate(fetch, { next: (page) => page.LastEvaluatedKey })) items.push(...page.Items);

    expect(items).toEqual(['a', 'b', 'c']);
    expect(starts).toEqual([undefined, { pk: 'b' }, { pk: 'c' }]);
  });
});
