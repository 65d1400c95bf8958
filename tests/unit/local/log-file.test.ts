import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimLogFile, logsToFile, outcomeLine, type LogRecord } from '../../../local/log-file.js';

const CONNECT = '8f1c2a3b-1111-4222-8333-444455556666';
const IDENTITY = '906711aaaa-2e685bcc-b3ac-47ab-9906-33d649ef05ef';
const at = (time: string) => `2026-11-28T${time}.000Z`;
const localTime = (iso: string) => new Date(iso).toTimeString().slice(0, 8);

describe('outcomeLine', () => {
  it('prints the time, the outcome and the short ids of a sync (an identity id keeps its store prefix: it is part of the id)', () => {
    const record = { level: 'INFO', message: 'record done', timestamp: at('12:04:31'), outcome: 'created', connectUserId: CONNECT, identityUserId: IDENTITY };

    expect(outcomeLine(record)).toBe(`${localTime(at('12:04:31'))}  created        connect 8f1c2a3b…  ->  identity 906711aaaa-2e685bcc…`);
  });

  it('prints any outcome word (the list grows with the use cases), with its reason', () => {
    const record = { timestamp: at('12:05:00'), outcome: 'deprovisioned', connectUserId: CONNECT, identityUserId: IDENTITY, reason: 'DEPROVISION=none' };

    expect(outcomeLine(record)).toMatch(/ {2}deprovisioned {2}connect 8f1c2a3b… {2}-> {2}identity 906711aaaa-2e685bcc… {2}DEPROVISION=none$/);
  });

  it('prints a failure\'s code and what happens next (retry or dead-letter queue), never its error message', () => {
    const record = {
      timestamp: at('12:06:00'), message: 'record failed, sent to the dead-letter queue', outcome: 'failed', connectUserId: CONNECT,
      errorCode: 'NO_EMAIL', errorMessage: 'no email for maria.garcia@example.com',
    };

    const line = outcomeLine(record);

    expect(line).toMatch(/failed {9}connect 8f1c2a3b… {2}NO_EMAIL \(record failed, sent to the dead-letter queue\)$/);
    expect(line).not.toContain('@');
  });

  it('never prints a value that is not shaped like an id, a code or a static word', () => {
    const record: LogRecord = { outcome: 'ignored', connectUserId: 'maria.garcia@example.com', reason: 'user maria@example.com left', userName: 'Maria Garcia' };

    expect(outcomeLine(record, () => new Date(at('12:07:00')))).toBe(`${localTime(at('12:07:00'))}  ignored`);
  });

  it('is undefined for records without an outcome (the function\'s other log lines)', () => {
    expect(outcomeLine({ message: 'cold start', level: 'INFO' })).toBeUndefined();
    expect(outcomeLine({ outcome: 'Created!' })).toBeUndefined();
  });
});

describe('logsToFile', () => {
  const saved = { ...console };
  const dir = mkdtempSync(join(tmpdir(), 'logs-'));
  afterEach(() => Object.assign(console, saved));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each JSON record on one line and hands it to the per-record callback', async () => {
    const path = join(dir, 'sync-user.log');
    const seen: LogRecord[] = [];
    const close = logsToFile(path, (record) => seen.push(record));

    console.info(JSON.stringify({ outcome: 'linked', connectUserId: CONNECT }, null, 2));
    console.warn('plain text');
    console.error('[1,2]');
    await close();

    expect(seen).toEqual([{ outcome: 'linked', connectUserId: CONNECT }]);
    expect(readFileSync(path, 'utf8')).toBe(`{"outcome":"linked","connectUserId":"${CONNECT}"}\nplain text\n[1,2]\n`);
  });

  it('keeps logging when the callback throws: a display fault never fails the function', async () => {
    const path = join(dir, 'throwing.log');
    const close = logsToFile(path, () => {
      throw new Error('display broke');
    });

    expect(() => console.info('{"outcome":"created"}')).not.toThrow();
    await close();
    expect(readFileSync(path, 'utf8')).toBe('{"outcome":"created"}\n');
  });
});

describe('two npm start at once', () => {
  const saved = { ...console };
  const dir = mkdtempSync(join(tmpdir(), 'claims-'));
  afterEach(() => Object.assign(console, saved));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const running = (pids: number[]) => (pid: number) => pids.includes(pid);

  it('the second writes a log of its own beside the first one\'s, and neither truncates the other', async () => {
    const path = join(dir, 'sync-user.log');
    const first = claimLogFile(path, 101, running([101, 202]));
    const closeFirst = logsToFile(first.path);
    console.info('{"outcome":"created","connectUserId":"first"}');
    await closeFirst();

    const second = claimLogFile(path, 202, running([101, 202]));
    const closeSecond = logsToFile(second.path);
    console.info('{"outcome":"linked","connectUserId":"second"}');
    await closeSecond();

    expect([first.path, second.path]).toEqual([path, join(dir, 'sync-user.202.log')]);
    expect(readFileSync(path, 'utf8')).toBe('{"outcome":"created","connectUserId":"first"}\n');
    expect(readFileSync(second.path, 'utf8')).toBe('{"outcome":"linked","connectUserId":"second"}\n');
    first.release();
    second.release();
  });

  it('once the first has released it (or died without releasing), the next run takes the log again', () => {
    const path = join(dir, 'again.log');
    const first = claimLogFile(path, 101, running([101]));
    first.release();
    const afterRelease = claimLogFile(path, 202, running([101, 202]));
    const afterDeath = claimLogFile(path, 303, running([303]));

    expect(afterRelease.path).toBe(path);
    expect(afterDeath.path).toBe(path);
    expect(readFileSync(`${path}.pid`, 'utf8')).toBe('303');
    afterRelease.release(); // no longer its own: leaves 303's claim alone
    expect(readFileSync(`${path}.pid`, 'utf8')).toBe('303');
    afterDeath.release();
    expect(existsSync(`${path}.pid`)).toBe(false);
  });
});
