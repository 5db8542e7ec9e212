import { Connection } from '@temporalio/client';
import { migrateUp } from '../store/migrate.js';
import { ensureSearchAttributes } from '../temporal/searchAttributes.js';

/**
 * Readies shared services for Hold Slayer: the database schema migrated, the
 * call search attributes registered. Both are idempotent, so every process
 * that starts may run it.
 */
export async function prepareServices(
  services: { temporalAddress: string; namespace: string; databaseUrl: string },
  log: (msg: string) => void,
): Promise<void> {
  const connection = await Connection.connect({ address: services.temporalAddress });
  try {
    const added = await ensureSearchAttributes(connection, services.namespace);
    if (added.length > 0) log(`registered search attributes ${added.join(', ')}`);
  } finally {
    await connection.close();
  }
  const applied = await migrateUp(services.databaseUrl);
  if (applied.length > 0) log(`applied migrations ${applied.join(', ')}`);
}
