import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import type { Logger } from '../runtime/logger.js';

let installed = false;

/**
 * Sends the Temporal SDK's own log lines (worker state, core warnings) into
 * our structured log instead of the console. The SDK runtime is a process
 * singleton, so this runs once, before the first worker.
 */
export function routeSdkLogs(log: Logger): void {
  if (installed) return;
  installed = true;
  const sdkLog = log.child({ component: 'temporal-sdk' });
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const fields = meta ?? {};
    switch (level) {
      case 'TRACE':
        return sdkLog.trace(fields, message);
      case 'DEBUG':
        return sdkLog.debug(fields, message);
      case 'INFO':
        return sdkLog.info(fields, message);
      case 'WARN':
        return sdkLog.warn(fields, message);
      case 'ERROR':
        return sdkLog.error(fields, message);
    }
  };
  const logger: SdkLogger = {
    log: write,
    trace: (m, meta) => write('TRACE', m, meta),
    debug: (m, meta) => write('DEBUG', m, meta),
    info: (m, meta) => write('INFO', m, meta),
    warn: (m, meta) => write('WARN', m, meta),
    error: (m, meta) => write('ERROR', m, meta),
  };
  try {
    Runtime.install({ logger });
  } catch {
    // The runtime was made earlier in this process (a test runner loads modules afresh): keep that one.
  }
}
