import pg from 'pg';
import type { Pool } from '../store/pool.js';
import {
  WrongExpectedVersion,
  admits,
  appendNothing,
  type AppendResult,
  type Checkpoint,
  type EventStore,
  type ExpectedState,
  type NewEvent,
  type ReadAllOptions,
  type StoredEvent,
  type SubscribeOptions,
} from './eventStore.js';

/** The channel appends notify on: only a hint to read now, never the source of events. */
const CHANNEL = 'holdslayer_events';
const POLL_MS = 500;
const PAGE = 1000;
const MAX_APPEND_TRIES = 5;

interface EventRow {
  xid: string;
  global_position: string;
  stream_id: string;
  stream_position: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

// The text form is named apart from the column: ORDER BY takes an output name first, and would sort the text.
const COLUMNS = `transaction_id::text AS xid, global_position, stream_id, stream_position, event_id,
  event_type, schema_version, data, metadata, recorded_at`;

/**
 * The event store in PostgreSQL. The global order is (writing
 * transaction id, position), and readers see only events whose
 * transaction is older than every one still running, so an event that
 * commits after a later one is still read, in its place, never skipped.
 */
export class PostgresEventStore implements EventStore {
  private readonly listeners = new Set<pg.Client>();

  constructor(
    private readonly pool: Pool,
    private readonly databaseUrl: string,
  ) {}

  async append(stream: string, events: NewEvent[], expected: ExpectedState): Promise<AppendResult> {
    if (events.length === 0) {
      return appendNothing(stream, expected, await this.lastRevision(stream));
    }
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.tryAppend(stream, events, expected);
      if (outcome !== 'raced') return outcome;
      // Another writer took the next revision first; for `any` that only means try again.
      if (attempt >= MAX_APPEND_TRIES) {
        throw new WrongExpectedVersion(stream, expected, await this.lastRevision(stream));
      }
    }
  }

  private async tryAppend(
    stream: string,
    events: NewEvent[],
    expected: ExpectedState,
  ): Promise<AppendResult | 'raced'> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const current = await this.lastRevision(stream, client);
      if (!admits(expected, current)) {
        await client.query('ROLLBACK');
        return await this.resentOrRefused(stream, events, expected, current);
      }
      const first = current === 'no_stream' ? 0n : current + 1n;
      const inserted = await client.query<{ stream_position: string }>(
        `INSERT INTO events (stream_id, stream_position, event_id, event_type, schema_version, data, metadata)
         SELECT $1, $2::bigint + e.ord - 1, e.id, e.type, e.ver, e.data, e.meta
           FROM unnest($3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])
                WITH ORDINALITY AS e(id, type, ver, data, meta, ord)
          ORDER BY e.ord
         RETURNING stream_position`,
        [
          stream,
          first.toString(),
          events.map((e) => e.id),
          events.map((e) => e.type),
          events.map((e) => e.schemaVersion),
          events.map((e) => JSON.stringify(e.data)),
          events.map((e) => JSON.stringify(e.metadata)),
        ],
      );
      await client.query(`SELECT pg_notify($1, '')`, [CHANNEL]);
      await client.query('COMMIT');
      return { nextRevision: BigInt(inserted.rows.at(-1)!.stream_position) };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (!isUniqueViolation(e)) throw e;
      const now = await this.lastRevision(stream);
      return await this.resentOrRefused(stream, events, expected, now, true);
    } finally {
      client.release();
    }
  }

  /**
   * After a refused or raced append: the same events already stored right
   * where this append would have put them is a resend, and succeeds
   * without writing; otherwise the expectation was wrong ('raced' when
   * `any` may simply try again).
   */
  private async resentOrRefused(
    stream: string,
    events: NewEvent[],
    expected: ExpectedState,
    current: 'no_stream' | bigint,
    raced = false,
  ): Promise<AppendResult | 'raced'> {
    const found = await this.pool.query<{ event_id: string; stream_position: string }>(
      `SELECT event_id, stream_position FROM events
        WHERE stream_id = $1 AND event_id = ANY($2::uuid[]) ORDER BY stream_position`,
      [stream, events.map((e) => e.id)],
    );
    const start =
      expected === 'no_stream' ? 0n : typeof expected === 'bigint' ? expected + 1n : undefined;
    const resent =
      found.rows.length === events.length &&
      found.rows.every(
        (row, i) =>
          row.event_id === events[i]!.id.toLowerCase() &&
          (start === undefined
            ? BigInt(row.stream_position) === BigInt(found.rows[0]!.stream_position) + BigInt(i)
            : BigInt(row.stream_position) === start + BigInt(i)),
      );
    if (resent) return { nextRevision: BigInt(found.rows.at(-1)!.stream_position) };
    if (raced && expected === 'any' && found.rows.length === 0) return 'raced';
    throw new WrongExpectedVersion(stream, expected, current);
  }

  private async lastRevision(
    stream: string,
    client: Pick<pg.ClientBase, 'query'> = this.pool,
  ): Promise<'no_stream' | bigint> {
    const result = await client.query<{ stream_position: string }>(
      `SELECT stream_position FROM events WHERE stream_id = $1 ORDER BY stream_position DESC LIMIT 1`,
      [stream],
    );
    const row = result.rows[0];
    return row ? BigInt(row.stream_position) : 'no_stream';
  }

  async readStream(
    stream: string,
    options: { fromRevision?: bigint; max?: number } = {},
  ): Promise<StoredEvent[]> {
    const result = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM events
        WHERE stream_id = $1 AND stream_position >= $2
        ORDER BY stream_position LIMIT $3`,
      [stream, (options.fromRevision ?? 0n).toString(), options.max ?? null],
    );
    return result.rows.map(toStored);
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    const [xid, position] = parseCheckpoint(options.after);
    const result = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM events
        WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          AND ($4::text IS NULL OR starts_with(stream_id, $4))
        ORDER BY transaction_id, global_position
        LIMIT $3`,
      [xid, position, options.max, options.streamPrefix ?? null],
    );
    return result.rows.map(toStored);
  }

  async headCheckpoint(): Promise<Checkpoint | undefined> {
    // The same visibility rule as readAll: nothing a later read could put before it.
    const result = await this.pool.query<{ xid: string; global_position: string }>(
      `SELECT transaction_id::text AS xid, global_position FROM events
        WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id DESC, global_position DESC
        LIMIT 1`,
    );
    const row = result.rows[0];
    return row && `${row.xid}:${row.global_position}`;
  }

  async subscribe(
    options: SubscribeOptions,
    handler: (event: StoredEvent) => Promise<void> | void,
  ): Promise<void> {
    const { signal } = options;
    let after = options.after;
    let caughtUp = false;
    const wake = new Wakeup(signal);
    const listener = this.listen(wake, signal);
    try {
      while (!signal.aborted) {
        const page = await this.readAll({
          max: PAGE,
          ...(after !== undefined ? { after } : {}),
          ...(options.streamPrefix !== undefined ? { streamPrefix: options.streamPrefix } : {}),
        });
        for (const event of page) {
          if (signal.aborted) return;
          await handler(event);
          after = event.checkpoint;
        }
        if (page.length === PAGE) continue;
        if (!caughtUp) {
          caughtUp = true;
          options.onCaughtUp?.();
        }
        await wake.next(POLL_MS);
      }
    } finally {
      await listener.stop();
    }
  }

  /**
   * LISTENs on a connection of its own (a pooled one would lose it), and
   * reconnects when it drops. Missing a notification costs at most a poll.
   */
  private listen(wake: Wakeup, signal: AbortSignal): { stop(): Promise<void> } {
    let client: pg.Client | undefined;
    let stopped = false;
    const connect = async (): Promise<void> => {
      while (!stopped && !signal.aborted) {
        const next = new pg.Client({ connectionString: this.databaseUrl });
        next.on('notification', () => wake.now());
        next.on('error', () => undefined);
        next.on('end', () => {
          this.listeners.delete(next);
          if (client === next) client = undefined;
          if (!stopped && !signal.aborted) setTimeout(() => void connect(), POLL_MS);
        });
        try {
          await next.connect();
          await next.query(`LISTEN ${CHANNEL}`);
          if (stopped || signal.aborted) {
            await next.end().catch(() => undefined);
            return;
          }
          client = next;
          this.listeners.add(next);
          wake.now();
          return;
        } catch {
          await next.end().catch(() => undefined);
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
      }
    };
    void connect();
    return {
      stop: async () => {
        stopped = true;
        const c = client;
        client = undefined;
        if (c) {
          this.listeners.delete(c);
          await c.end().catch(() => undefined);
        }
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners].map((c) => c.end().catch(() => undefined)));
    this.listeners.clear();
  }
}

/** A wait that ends early on a notification or an abort. */
class Wakeup {
  private pending = false;
  private resolve: (() => void) | undefined;

  constructor(signal: AbortSignal) {
    signal.addEventListener('abort', () => this.now(), { once: true });
  }

  now(): void {
    this.pending = true;
    this.resolve?.();
  }

  async next(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.resolve = undefined;
    this.pending = false;
  }
}

function toStored(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    type: row.event_type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    stream: row.stream_id,
    revision: BigInt(row.stream_position),
    checkpoint: `${row.xid}:${row.global_position}`,
    recordedAt: row.recorded_at,
  };
}

function parseCheckpoint(checkpoint: Checkpoint | undefined): [string, string] {
  if (checkpoint === undefined) return ['0', '0'];
  const match = /^(\d+):(\d+)$/.exec(checkpoint);
  if (!match) throw new Error(`"${checkpoint}" is not a PostgreSQL event store checkpoint`);
  return [match[1]!, match[2]!];
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && e.code === '23505';
}
