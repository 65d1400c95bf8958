/**
 * The order jest starts test files in. The fault runs are the longest files (minutes): started first, they run beside
 * everything else instead of after it, and the suite takes about as long as the 1,000-user fault run. A fresh clone has
 * no timings cached, and jest's own order (largest file first) would start them late. The rest keep jest's order
 * (failed first, then slowest first from the cached timings, else largest first).
 */
const Sequencer = require('@jest/test-sequencer').default;

const LONG_FIRST = [/fault-run[^/]*\.test\.ts$/, /tests\/package\/template\.test\.ts$/];
const rank = (path) => {
  const i = LONG_FIRST.findIndex((pattern) => pattern.test(path));
  return i < 0 ? LONG_FIRST.length : i;
};

class LongFirst extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    return [...ordered].sort((a, b) => rank(a.path) - rank(b.path));
  }
}

module.exports = LongFirst;
