/** `npm start`'s option parsing, in process (tests/pipeline/local/start.test.ts runs `npm start` itself). */
import { parseStartOptions, UsageError } from '../../../local/start.js';

describe('npm start options', () => {
  it('takes --port with --serve only', () => {
    expect(() => parseStartOptions(['--port', '4567'])).toThrow(new UsageError('--port only applies with --serve'));
    expect(parseStartOptions(['--serve', '--port', '4567'])).toMatchObject({ serve: true, port: 4567 });
    expect(parseStartOptions(['--serve'])).toMatchObject({ port: 4566 });
  });

  it('takes --speed from 1 to 100', () => {
    expect(parseStartOptions(['--speed', '1']).speed).toBe(1);
    expect(parseStartOptions(['--speed', '100']).speed).toBe(100);
    expect(() => parseStartOptions(['--speed', '0'])).toThrow('--speed must be a number from 1 to 100 (got "0")');
    expect(() => parseStartOptions(['--speed', '101'])).toThrow(UsageError);
  });

  it('turns an unknown option into a UsageError', () => {
    expect(() => parseStartOptions(['--sevre'])).toThrow(UsageError);
  });
});
