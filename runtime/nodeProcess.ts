import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot } from '../config/paths.js';

/**
 * Starts one of the project's entry points (bin/NAME) as its own Node
 * process: the compiled JavaScript under dist/ when the caller runs from
 * there, else the TypeScript source through tsx.
 */
export function spawnEntry(name: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const fromDist = import.meta.url.includes('/dist/');
  const compiled = path.join(projectRoot, 'dist', 'bin', `${name}.js`);
  if (fromDist && existsSync(compiled)) {
    return spawn(process.execPath, [compiled, ...args], options);
  }
  const source = path.join(projectRoot, 'bin', `${name}.ts`);
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return spawn(process.execPath, ['--import', tsx, source, ...args], options);
}

/**
 * Waits for the child's first stdout line that parses as JSON with `ready`
 * set, which every long-running entry point prints once it serves.
 */
export function waitForReady<T extends { ready: true }>(
  child: ChildProcess,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(
      () => fail(new Error(`${what} did not report ready within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      reject(e);
    };
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          const parsed = JSON.parse(line) as T;
          if (parsed.ready === true) {
            clearTimeout(timer);
            child.stdout?.off('data', onData);
            resolve(parsed);
            return;
          }
        } catch {
          // Not the ready line.
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-4000);
    });
    child.once('exit', (code) =>
      fail(new Error(`${what} exited (${code}) before it was ready: ${stderr.trim()}`)),
    );
  });
}

/** Stops a child: `signal` (SIGTERM), then SIGKILL if it lingers. */
export async function stopChild(
  child: ChildProcess,
  graceMs = 10_000,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
