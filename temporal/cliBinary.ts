import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Temporal CLI release built when none is found; its go.mod has no replace directive, so `go install` works. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** Where a built CLI is kept between runs, outside any checkout. */
export function cliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME ?? path.join(env.HOME ?? os.homedir(), '.cache');
  return path.join(base, 'holdslayer', 'bin');
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/**
 * Finds the `temporal` CLI: TEMPORAL_CLI, then PATH, then the cache folder;
 * where none is found and Go is installed, builds it into the cache once.
 */
export async function findTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
  log: (msg: string) => void = () => undefined,
): Promise<string> {
  if (env.TEMPORAL_CLI) {
    if (!executable(env.TEMPORAL_CLI))
      throw new Error(`TEMPORAL_CLI=${env.TEMPORAL_CLI} is not an executable file`);
    return env.TEMPORAL_CLI;
  }
  const found = onPath('temporal', env);
  if (found) return found;
  const cacheDir = cliCacheDir(env);
  const cached = path.join(cacheDir, 'temporal');
  if (executable(cached)) return cached;

  const go =
    onPath('go', env) ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    throw new Error(
      'No Temporal CLI found (TEMPORAL_CLI, PATH, or ' +
        cached +
        '), and no Go toolchain to build one. Install it from https://github.com/temporalio/cli/releases, or set TEMPORAL_ADDRESS to a running Temporal server.',
    );
  }
  mkdirSync(cacheDir, { recursive: true });
  log(
    `building the Temporal CLI (${TEMPORAL_CLI_MODULE}) into ${cacheDir}; this happens once and takes a few minutes`,
  );
  try {
    await run(go, ['install', TEMPORAL_CLI_MODULE], {
      env: { ...env, GOBIN: cacheDir },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 30 * 60_000,
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(
      `building the Temporal CLI failed: ${(err.stderr ?? err.message).trim().slice(-2000)}`,
      { cause: e },
    );
  }
  if (!executable(cached)) throw new Error(`go install finished but ${cached} is missing`);
  return cached;
}
