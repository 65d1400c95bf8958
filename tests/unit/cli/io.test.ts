import { fitTable, fixedRow, formatTable } from '../../../cli/io.js';

const HEADERS = ['QUEUE', 'USER', 'CODE', 'MESSAGE'];
const ROW = ['sync-dlq', 'b3596a0d-fe8f-4ef8-82b6-f084b6df1ae1', 'ASSIGNMENT_UNSUPPORTED', 'm'.repeat(150)];

describe('fitTable', () => {
  it('gives the last column what is left of the terminal width, and cuts it with "…"', () => {
    const lines = fitTable(HEADERS, [ROW], { width: 120 });

    expect(lines.every((l) => l.length <= 120)).toBe(true);
    expect(lines[1]).toContain(ROW[1]);
    expect(lines[1]).toMatch(/m…$/);
  });

  it('on a narrow terminal, the shrinkable columns give up room first; the others are never cut', () => {
    const lines = fitTable(HEADERS, [ROW], { width: 80, shrink: [1] });

    expect(lines[1]).toMatch(/ b3596a0d-[\w-]*… {2}ASSIGNMENT_UNSUPPORTED {2}m{23}…$/);
    expect(lines[1]?.length).toBe(80);
  });

  it('keeps a readable last column even when nothing else can shrink (the line wraps instead)', () => {
    const lines = fitTable(HEADERS, [ROW], { width: 40 });

    expect(lines[1]).toMatch(/ m{23}…$/);
  });

  it('without a terminal width, cuts only runaway cells; --wide cuts nothing', () => {
    const long = [...ROW.slice(0, 3), 'x'.repeat(500)];

    const piped = fitTable(HEADERS, [ROW, long]);
    const wide = fitTable(HEADERS, [long], { width: 80, wide: true });

    expect(piped[1]).toMatch(/ m{150}$/);
    expect(piped[2]).toMatch(/ x{199}…$/);
    expect(wide[1]).toMatch(/ x{500}$/);
  });

  it('does not pad short tables out to the terminal width', () => {
    const lines = fitTable(['A', 'B'], [['1', 'short']], { width: 200 });

    expect(lines).toEqual(['A  B', '1  short']);
  });
});

describe('the one row writer and its width policies', () => {
  it('fixedRow cuts each cell to its width with "…", pads it, and leaves no trailing blanks', () => {
    expect(fixedRow(['abcdef', 'x', 'tail'], [4, 3, 10])).toBe('abc…  x    tail');
    expect(fixedRow(['id', 'free text beyond the widths'], [4])).toBe('id    free text beyond the widths');
  });

  it('formatTable sizes each column to its widest cell, capped at max', () => {
    const lines = formatTable(['CODE', 'COUNT'], [['THROTTLED', '3'], ['X'.repeat(70), '12']]);

    expect(lines).toEqual(['CODE                                                          COUNT', 'THROTTLED                                                     3', `${'X'.repeat(59)}…  12`]);
  });
});
