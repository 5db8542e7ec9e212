import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from '../runtime/freePort.js';
import { stopChild } from '../runtime/nodeProcess.js';

export interface DevServerOptions {
  /** Path of the `temporal` CLI. */
  cli: string;
  port?: number;
  /** Web UI port; 0 picks a free one; undefined runs headless. */
  uiPort?: number | undefined;
  /** Keeps workflows across restarts; in memory when absent. */
  dbFile?: string;
  namespace?: string;
  log?: (line: string) => void;
}

/**
 * A local Temporal dev server (`temporal server start-dev`): the real
 * server, with its UI, in one process; for development, demos and tests.
 */
export class DevServer {
  private constructor(
    readonly address: string,
    readonly uiUrl: string | undefined,
    private readonly child: ChildProcess,
  ) {}

  static async start(options: DevServerOptions): Promise<DevServer> {
    const port = options.port ?? (await freePort());
    const uiPort = options.uiPort === 0 ? await freePort() : options.uiPort;
    const args = [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--log-level',
      'warn',
    ];
    if (uiPort === undefined) args.push('--headless');
    else args.push('--ui-port', String(uiPort));
    if (options.dbFile) {
      mkdirSync(path.dirname(options.dbFile), { recursive: true });
      args.push('--db-filename', options.dbFile);
    }
    if (options.namespace && options.namespace !== 'default')
      args.push('--namespace', options.namespace);
    const child = spawn(options.cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<never>((_, reject) => {
      child.once('error', (e) => reject(new Error(`cannot run ${options.cli}: ${e.message}`)));
      child.once('exit', (code) =>
        reject(new Error(`the Temporal dev server exited (${code}): ${output.trim()}`)),
      );
    });
    exited.catch(() => undefined);
    const address = `127.0.0.1:${port}`;
    try {
      await Promise.race([waitForFrontend(address, options.namespace ?? 'default'), exited]);
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
    const uiUrl = uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`;
    options.log?.(`Temporal dev server on ${address}${uiUrl ? `, UI at ${uiUrl}` : ''}`);
    return new DevServer(address, uiUrl, child);
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}

/** Waits until the frontend answers and the namespace exists (the dev server creates it just after it listens). */
async function waitForFrontend(
  address: string,
  namespace: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (e) {
      lastError = (e as Error).message;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(
    `the Temporal dev server on ${address} was not ready within ${timeoutMs} ms: ${lastError}`,
  );
}
