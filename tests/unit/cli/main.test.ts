import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../cli/main.js';
import { formatAge, parseDuration, connectUserOf } from '../../../shared/core/dead-letter-view.js';
import { createUserEvent, sampleEvent } from '../../support/events.js';
import { recordingIo } from './io-helpers.js';

describe('connect-sso-sync command line', () => {
  it.each(['replay', 'reconcile', 'doctor', 'status'])('%s --help prints its usage and exits 0', async (command) => {
    const io = recordingIo();

    const code = await main([command, '--help'], io);

    expect(code).toBe(0);
    expect(io.stdout.join('\n')).toContain(`Usage: connect-sso-sync ${command}`);
  });

  it.each([['reconcile', '--max', '-1'], ['replay', 'run', '--max', '-5'], ['reconcile', '--rate', '-2']])(
    '%s %s %s: one usage line (not Node\'s three), a pointer to --help, exit 2',
    async (...argv) => {
      const io = recordingIo();

      const code = await main(argv, io);

      const flag = argv.at(-2) ?? '';
      const value = argv.at(-1) ?? '';
      expect(code).toBe(2);
      expect(io.stderr).toEqual([`connect-sso-sync ${argv[0]}: ${flag} needs a value, not the option-like "${value}" (write ${flag}=${value} to pass it as the value)\nRun with --help for usage.`]);
    },
  );

  it('lists the commands with --help, and exits 2 without a command', async () => {
    const help = recordingIo();
    const bare = recordingIo();

    expect(await main(['--help'], help)).toBe(0);
    expect(await main([], bare)).toBe(2);
    expect(help.text()).toContain('reconcile');
  });

  it('rejects an unknown command, an unknown flag and a bad value with exit 2 and a pointer to --help', async () => {
    const unknown = recordingIo();
    const flag = recordingIo();
    const value = recordingIo();
    const queue = recordingIo();

    expect(await main(['sync-all'], unknown)).toBe(2);
    expect(await main(['replay', '--cod', 'X'], flag)).toBe(2);
    expect(await main(['replay', 'run', '--older-than', 'yesterday'], value)).toBe(2);
    expect(await main(['replay', '--queue', 'sync'], queue)).toBe(2);

    expect(unknown.text()).toContain('unknown command "sync-all"');
    expect(flag.text()).toMatch(/Unknown option '--cod'[\s\S]*--help/);
    expect(value.text()).toContain('--older-than must be a duration');
    expect(queue.text()).toContain('--queue must be sync-dlq, events-dlq or all');
  });

  it.each(['--version', '-v'])('%s prints the version of package.json and exits 0', async (flag) => {
    const io = recordingIo();
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };

    const code = await main([flag], io);

    expect(code).toBe(0);
    expect(io.stdout).toEqual([version]);
  });

  it('takes --wide for list only', async () => {
    const io = recordingIo();

    expect(await main(['replay', 'run', '--wide'], io)).toBe(2);
    expect(io.text()).toContain('--wide applies to "replay list" only');
  });

  it('names every missing variable when the configuration is incomplete (exit 2, no AWS call)', async () => {
    const io = recordingIo({});

    expect(await main(['reconcile'], io)).toBe(2);
    expect(io.text()).toContain('IDENTITY_STORE_ID is required; CONNECT_INSTANCE_ID is required');
  });

  it('asks for --apply with --resume, and for the queue URLs or --stage with replay', async () => {
    const resume = recordingIo();
    const replay = recordingIo({ AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' });

    expect(await main(['reconcile', '--resume'], resume)).toBe(2);
    expect(await main(['replay', '--queue', 'sync-dlq'], replay)).toBe(2);
    expect(resume.text()).toContain('every run starts from what is already done');
    expect(replay.text()).toContain('DLQ_URL is not set: set it (stack output) or pass --stage');
  });
});

describe('dead-letter view helpers', () => {
  it('parses durations and formats ages', () => {
    expect([parseDuration('90s'), parseDuration('15m'), parseDuration('2h'), parseDuration('3d'), parseDuration('3 days')]).toEqual([90, 900, 7200, 259200, undefined]);
    expect([formatAge(0), formatAge(75), formatAge(90000)]).toEqual(['0s', '1m15s', '1d1h']);
  });

  it('finds the Connect user of an event by UserId, by UserArn, or only by Username', () => {
    const event = createUserEvent('u-1', 'agent@example.com');
    const byArn = createUserEvent('u-2', 'agent@example.com');
    delete (byArn.detail.responseElements as Record<string, unknown>).UserId;
    const noResponse = { ...event, detail: { ...event.detail, responseElements: null } };

    expect(connectUserOf(JSON.stringify(event))).toEqual({ userId: 'u-1', username: 'agent@example.com' });
    expect(connectUserOf(JSON.stringify(byArn)).userId).toBe('u-2');
    expect(connectUserOf(JSON.stringify(noResponse))).toEqual({ userId: undefined, username: 'agent@example.com' });
    expect(connectUserOf('not json')).toEqual({});
  });

  it.each(['update-user-identity-info', 'update-user-security-profiles', 'delete-user'])(
    'finds the Connect user of a lifecycle event (%s) by requestParameters.UserId, with no Username',
    (fixture) => {
      const event = sampleEvent(fixture);
      const { UserId } = event.detail.requestParameters as { UserId: string };

      expect(connectUserOf(JSON.stringify(event))).toEqual({ userId: UserId, username: undefined });
    },
  );
});

describe('an unreachable endpoint', () => {
  it('a classified TIMEOUT wrapping a refused connection (what reconcile ends with) names the endpoint', async () => {
    const { describeFailure } = await import('../../../cli/aws.js');
    const { RetryableError } = await import('../../../shared/core/errors.js');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 4566 });

    const failure = describeFailure(new RetryableError('TIMEOUT', 'connect:ListUsers failed: Error: connect ECONNREFUSED', { cause: refused }));

    expect(failure).toEqual({ message: 'cannot reach 127.0.0.1:4566 (connection refused): is the endpoint right (AWS_ENDPOINT_URL_*, AWS_REGION) and is it running?', usage: false });
  });
});
