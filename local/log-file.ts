import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Sends the function's structured logs (Powertools writes through the global console when POWERTOOLS_DEV is set)
 * to a file, one JSON object a line, so a terminal demo shows its own progress and report, not log lines.
 */
export function logsToFile(path: string): () => Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const file = createWriteStream(path, { flags: 'w' });
  const write = (...args: unknown[]) => {
    const text = args.map(String).join(' ');
    try {
      file.write(`${JSON.stringify(JSON.parse(text))}\n`);
    } catch {
      file.write(`${text}\n`);
    }
  };
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) console[method] = write;
  return () => new Promise((resolve) => file.end(resolve));
}
