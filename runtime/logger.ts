import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stderr, one line per event. Stdout stays free for
 * what a command prints to a person (or a parent process reads).
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination({ fd: 2, sync: true }));
}
