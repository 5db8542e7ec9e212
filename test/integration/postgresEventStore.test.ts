import { randomUUID } from 'node:crypto';
import { migrateUp } from '../../store/migrate.js';
import { PostgresEventStore } from '../../events/postgresEventStore.js';
import type { StoredEvent } from '../../events/eventStore.js';
import { createPool, type Pool } from '../../store/pool.js';
import { eventStoreContract } from '../contract/eventStoreContract.js';
import { waitFor } from '../support/waitFor.js';
import { describeWith, required, testServices } from '../support/services.js';

describeWith(['postgres'], 'PostgreSQL event store', () => {
  let pool: Pool;
  let store: PostgresEventStore;
  const databaseUrl = () => required(testServices().databaseUrl, 'PostgreSQL');

  describe('contract', () => {
    eventStoreContract(
      async () => {
        await migrateUp(databaseUrl());
        pool = createPool(databaseUrl());
        store = new PostgresEventStore(pool, databaseUrl());
        return store;
      },
      async () => {
        await store.close();
        await pool.end();
      },
    );
  });

  describe('events committed out of order', () => {
    let local: Pool;
    let events: PostgresEventStore;
    const prefix = `late${randomUUID().slice(0, 8)}-`;
    beforeAll(async () => {
      await migrateUp(databaseUrl());
      local = createPool(databaseUrl());
      events = new PostgresEventStore(local, databaseUrl());
    });
    afterAll(async () => {
      await events.close();
      await local.end();
    });

    /** Inserts one event in a transaction left open: the caller commits or rolls back. */
    const openInsert = async (stream: string, takeXidFirst = false) => {
      const client = await local.connect();
      await client.query('BEGIN');
      if (takeXidFirst) await client.query('SELECT pg_current_xact_id()');
      const id = randomUUID();
      const insert = () =>
        client.query(
          `INSERT INTO events (stream_id, stream_position, event_id, event_type, schema_version, data)
           VALUES ($1, 0, $2, 'test.late', 1, '{}')`,
          [stream, id],
        );
      return {
        id,
        insert,
        commit: async () => {
          await client.query('COMMIT');
          client.release();
        },
        rollback: async () => {
          await client.query('ROLLBACK');
          client.release();
        },
      };
    };

    const subscribeAll = (seen: StoredEvent[], signal: AbortSignal) =>
      events.subscribe({ streamPrefix: prefix, signal }, (e) => {
        seen.push(e);
      });

    it.each([
      ['the earlier transaction inserts first', false],
      ['the later one took its transaction id first', true],
    ])('never skips an event that commits after a later one (%s)', async (_, laterFirst) => {
      const a = `${prefix}${randomUUID()}`;
      const b = `${prefix}${randomUUID()}`;
      const later = laterFirst ? await openInsert(b, true) : undefined;
      const early = await openInsert(a);
      const seen: StoredEvent[] = [];
      const controller = new AbortController();
      let run: Promise<void> | undefined;
      const ours = () => seen.filter((e) => e.stream === a || e.stream === b);
      try {
        await early.insert();
        const other = later ?? (await openInsert(b));
        await other.insert();
        await other.commit();
        run = subscribeAll(seen, controller.signal);
        await new Promise((r) => setTimeout(r, 1200));
        // A is still open. B may be handed over only when it sorts before A (its transaction began first):
        // handing B over otherwise would move the reader past A for good.
        expect(ours().map((e) => e.stream)).toEqual(laterFirst ? [b] : []);
        await early.commit();
        await waitFor(() => ours().length === 2);
        await new Promise((r) => setTimeout(r, 600));
        expect(new Set(ours().map((e) => e.id))).toEqual(new Set([early.id, other.id]));
        expect(ours()).toHaveLength(2);
      } finally {
        await early.commit().catch(() => undefined);
        controller.abort();
        await run;
      }
    });

    it('hands over a later event once the open transaction rolls back', async () => {
      const a = `${prefix}${randomUUID()}`;
      const b = `${prefix}${randomUUID()}`;
      const early = await openInsert(a);
      await early.insert();
      const other = await openInsert(b);
      await other.insert();
      await other.commit();
      const seen: StoredEvent[] = [];
      const controller = new AbortController();
      const run = subscribeAll(seen, controller.signal);
      await early.rollback();
      await waitFor(() => seen.some((e) => e.stream === b));
      controller.abort();
      await run;
      expect(seen.filter((e) => e.stream === a)).toEqual([]);
    });

    it('keeps delivering when its LISTEN connection is killed', async () => {
      const s = `${prefix}${randomUUID()}`;
      const seen: StoredEvent[] = [];
      const controller = new AbortController();
      let caughtUp!: () => void;
      const ready = new Promise<void>((r) => (caughtUp = r));
      const run = events.subscribe(
        { streamPrefix: s, signal: controller.signal, onCaughtUp: caughtUp },
        (e) => {
          seen.push(e);
        },
      );
      await ready;
      await local.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE query = 'LISTEN holdslayer_events' AND pid <> pg_backend_pid()`,
      );
      await events.append(
        s,
        [{ id: randomUUID(), type: 't', schemaVersion: 1, data: {}, metadata: {} }],
        'no_stream',
      );
      await waitFor(() => seen.length === 1);
      controller.abort();
      await run;
      expect(seen[0]!.stream).toBe(s);
    });
  });
});
