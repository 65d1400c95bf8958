import { withAbortSignal } from '../../../shared/abort.js';
import { createPacer } from '../../../shared/adapters/pacer.js';

describe('pacer', () => {
  it('spaces calls evenly at the configured rate', async () => {
    const pace = createPacer(50);
    const started = Date.now();

    for (let i = 0; i < 4; i += 1) await pace();

    // Four calls at 50/s: the first at once, the others 20 ms apart.
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('stops work aborted while it waited for its turn instead of calling', async () => {
    const pace = createPacer(20);
    await pace();
    const controller = new AbortController();

    const waiting = withAbortSignal(controller.signal, () => pace());
    controller.abort();

    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('lets work without an abort signal through', async () => {
    const pace = createPacer(1000);

    await expect(pace()).resolves.toBeUndefined();
  });
});
