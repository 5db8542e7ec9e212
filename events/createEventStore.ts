import type { Pool } from '../store/pool.js';
import type { EventStore } from './eventStore.js';
import { KurrentEventStore } from './kurrentEventStore.js';
import { PostgresEventStore } from './postgresEventStore.js';

export interface EventStoreConfig {
  EVENT_STORE: 'postgres' | 'kurrentdb';
  KURRENTDB_URL?: string | undefined;
}

/** The event store the configuration names: PostgreSQL (the read models' database) by default. */
export function createEventStore(
  config: EventStoreConfig,
  pool: Pool,
  databaseUrl: string,
): EventStore {
  if (config.EVENT_STORE === 'kurrentdb') {
    if (!config.KURRENTDB_URL)
      throw new Error('EVENT_STORE is kurrentdb but KURRENTDB_URL is not set');
    return KurrentEventStore.connect(config.KURRENTDB_URL);
  }
  return new PostgresEventStore(pool, databaseUrl);
}
