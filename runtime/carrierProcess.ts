import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { spawnEntry, stopChild, waitForReady } from './nodeProcess.js';

export interface CarrierProcess {
  url: string;
  truthDir: string;
  /** The carrier's SIP address, when it was started with --sip-port. */
  sip: string | undefined;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Runs the simulated carrier as its own process, its logs going to `logFile`. */
export async function startCarrierProcess(options: {
  scenarios: string[];
  truthDir: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
  extraArgs?: string[];
}): Promise<CarrierProcess> {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const args = [
    ...options.scenarios.flatMap((s) => ['--scenarios', s]),
    '--truth-dir',
    options.truthDir,
    ...(options.extraArgs ?? []),
  ];
  const child = spawnEntry('carrier', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  child.stderr?.pipe(log);
  const ready = await waitForReady<{ ready: true; url: string; truthDir: string; sip?: string }>(
    child,
    'the simulated carrier',
  );
  return {
    url: ready.url,
    truthDir: ready.truthDir,
    sip: ready.sip,
    child,
    stop: () => stopChild(child),
  };
}
