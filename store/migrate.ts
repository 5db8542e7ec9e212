import path from 'node:path';
import { runner } from 'node-pg-migrate';
import { projectRoot } from '../config/paths.js';

export const MIGRATIONS_DIR = path.join(projectRoot, 'store', 'migrations');

/** Brings the schema up to date with node-pg-migrate; safe to run from every process as it starts (under an advisory lock). */
export async function migrateUp(
  databaseUrl: string,
  log: (msg: string) => void = () => undefined,
): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    // Processes starting together (API and workers) queue for the lock instead of failing.
    advisoryLockMode: 'wait',
    log,
    logger: { debug: () => undefined, info: log, warn: log, error: log },
  });
  return applied.map((m) => m.name);
}
