import { once, onceBy } from '../../../shared/core/once.js';

/** A computation that counts its runs and resolves with the run number. */
function counter() {
  let runs = 0;
  return {
    compute: async () => {
      runs += 1;
      return runs;
    },
    get runs() {
      return runs;
    },
  };
}

describe('once', () => {
  it('computes once and remembers the result', async () => {
    const c = counter();
    const get = once(c.compute);

    const results = [await get(), await get()];

    expect(results).toEqual([1, 1]);
    expect(c.runs).toBe(1);
  });

  it('shares one attempt between concurrent callers', async () => {
    const c = counter();
    const get = once(c.compute);

    const results = await Promise.all([get(), get(), get()]);

    expect(results).toEqual([1, 1, 1]);
    expect(c.runs).toBe(1);
  });

  it('does not remember a failure: the next caller tries again', async () => {
    let fail = true;
    const get = once(async () => {
      if (fail) throw new Error('throttled');
      return 'ok';
    });
    await expect(get()).rejects.toThrow('throttled');
    fail = false;

    const result = await get();

    expect(result).toBe('ok');
  });

  it('computes again once ttlMs has passed on the injected clock', async () => {
    const c = counter();
    let now = 0;
    const get = once(c.compute, { ttlMs: 1000, now: () => now });
    await get();
    now = 999;
    const within = await get();
    now = 1000;

    const after = await get();

    expect([within, after]).toEqual([1, 2]);
  });

  it('forgets the remembered result on forget()', async () => {
    const c = counter();
    const get = once(c.compute);
    await get();
    get.forget();

    expect(await get()).toBe(2);
  });
});

describe('onceBy', () => {
  it('remembers one result per key, and forgets one key only', async () => {
    const calls: string[] = [];
    const cache = onceBy(async (key) => {
      calls.push(key);
      return `${key}#${calls.length}`;
    });
    await cache.get('a');
    await cache.get('b');
    await cache.get('a');
    cache.forget('a');

    const results = [await cache.get('a'), await cache.get('b')];

    expect(results).toEqual(['a#3', 'b#2']);
    expect(calls).toEqual(['a', 'b', 'a']);
  });

  it('expires each key after ttlMs', async () => {
    let now = 0;
    let runs = 0;
    const cache = onceBy(async () => ++runs, { ttlMs: 100, now: () => now });
    await cache.get('g-1');
    now = 100;

    expect(await cache.get('g-1')).toBe(2);
  });

  it('ignores forget() of a key it never computed', () => {
    const cache = onceBy(async () => 1);

    expect(() => cache.forget('never')).not.toThrow();
  });
});
