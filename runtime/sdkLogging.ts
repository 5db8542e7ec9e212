import type { Logger } from './logger.js';

/**
 * The logging options the OpenAI and Anthropic SDKs take: their error,
 * warning and info lines into our log under the provider's name, their
 * request dumps (debug) left out, since those hold whole requests; no log
 * given, they say nothing.
 */
export function sdkLogging(
  log: Logger | undefined,
  provider: string,
):
  | { logLevel: 'off' }
  | {
      logLevel: 'info';
      logger: Record<'error' | 'warn' | 'info' | 'debug', (message: string) => void>;
    } {
  if (!log) return { logLevel: 'off' };
  const child = log.child({ provider });
  return {
    logLevel: 'info',
    logger: {
      error: (message) => child.error(message),
      warn: (message) => child.warn(message),
      info: (message) => child.info(message),
      debug: () => undefined,
    },
  };
}
