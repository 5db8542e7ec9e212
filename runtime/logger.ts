import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs, one line per event, on stderr (or in a file, for
 * commands that talk to a person). Stdout stays free for what a command
 * prints to a person, or a parent process reads.
 */
export function createLogger(
  name: string,
  level = process.env.LOG_LEVEL ?? 'info',
  file?: string,
): Logger {
  const destination = file
    ? pino.destination({ dest: file, mkdir: true, sync: true })
    : pino.destination({ fd: 2, sync: true });
  return pino({ name, level, base: { pid: process.pid } }, destination);
}
