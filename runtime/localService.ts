import path from 'node:path';
import type { Config } from '../config/env.js';
import { createCallWorker, type CallWorker } from '../temporal/worker.js';
import { startApiServer, type ApiServer } from './apiServer.js';
import { createLogger } from './logger.js';
import { startStack, type Stack } from './stack.js';

/** What the worker's line is instead of the stack's carrier, and how to stop what it started. */
export interface WorkerLine {
  /** The line server the worker dials through (what it would otherwise reach the carrier at). */
  url: string;
  config: Partial<Config>;
  stop(): Promise<void>;
}

export interface LocalService {
  stack: Stack;
  worker: CallWorker;
  api: ApiServer;
  stop(): Promise<void>;
}

/**
 * Everything in one process tree on embedded defaults: the stack (Temporal
 * dev server, PostgreSQL, simulated carrier), a worker and the API.
 * Component logs go to files under the data folder.
 */
export async function startLocalService(
  config: Config,
  options: {
    say: (msg: string) => void;
    apiPort?: number;
    /** Another line for the worker than the stack's carrier (e.g. through a gateway), started once the stack is up. */
    line?: (stack: Stack) => Promise<WorkerLine>;
  },
): Promise<LocalService> {
  const logs = path.join(config.dataDir, 'logs');
  const stack = await startStack(config, options.say);
  let worker: CallWorker | undefined;
  let line: WorkerLine | undefined;
  try {
    const services = {
      ...config,
      temporalAddress: stack.temporalAddress,
      databaseUrl: stack.databaseUrl,
    };
    line = await options.line?.(stack);
    worker = await createCallWorker(
      { ...services, ...line?.config, carrierUrl: line?.url ?? stack.carrierUrl },
      createLogger('worker', config.LOG_LEVEL, path.join(logs, 'worker.log')),
    );
    void worker.run();
    const api = await startApiServer(
      services,
      createLogger('api', config.LOG_LEVEL, path.join(logs, 'api.log')),
      options.apiPort ?? config.API_PORT,
    );
    const running = worker;
    return {
      stack,
      worker: running,
      api,
      async stop() {
        await api.stop();
        await running.shutdown();
        await line?.stop();
        await stack.stop();
      },
    };
  } catch (e) {
    await worker?.shutdown();
    await line?.stop();
    await stack.stop();
    throw e;
  }
}
