import { withAbortSignal } from '../../../shared/adapters/abort.js';
import { createPacer } from '../../../shared/adapters/pacer.js';

describe('pacer', () => {
  it('spaces calls evenly at the configured rate', async () => {
    // The pacer's clock and timers are jest's: the spacing is what the pacer asks for, however busy the machine.
    jest.useFakeTimers({ now: 0 });
    try {
      const pace = createPacer(50);
      const calledAt: number[] = [];
      const calls = (async () => {
        for (let i = 0; i < 4; i += 1) {
          await pace();
          calledAt.push(Date.now());
        }
      })();

      await jest.advanceTimersByTimeAsync(100);
      await calls;

      // Four calls at 50/s: the first at once, the others 20 ms apart.
      expect(calledAt).toEqual([0, 20, 40, 60]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('stops work aborted while it waited for its turn instead of calling', async () => {
    // A clock that stands still: the second call waits its 50 ms turn however long the machine took to get there.
    const pace = createPacer(20, () => 0);
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
