import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { spawnEntry, stopChild, waitForReady } from './nodeProcess.js';

export interface GatewayProcess {
  /** The gateway's line protocol, a worker's GATEWAY_URL. */
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Runs the FreeSWITCH gateway as its own process (npm run gateway), its
 * configuration in `env` (config/gatewayEnv) and its logs going to `logFile`.
 * Resolves once it is connected to drachtio-server and FreeSWITCH and serves.
 */
export async function startGatewayProcess(options: {
  env: NodeJS.ProcessEnv;
  logFile: string;
}): Promise<GatewayProcess> {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const child = spawnEntry('gateway', [], { stdio: ['ignore', 'pipe', 'pipe'], env: options.env });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  child.stderr?.pipe(log);
  const ready = await waitForReady<{ ready: true; url: string }>(child, 'the FreeSWITCH gateway');
  return { url: ready.url, child, stop: () => stopChild(child) };
}
