import pg from 'pg';
import type { Logger } from 'pino';
import { CALL_STREAM_PREFIX, InvalidCallEvent, readCallEvent } from '../events/callEvents.js';
import type { Checkpoint, EventStore, StoredEvent } from '../events/eventStore.js';
import { inTransaction, type Pool, type PoolClient } from '../store/pool.js';
import { emptyTrace, foldCallEvent, type CallTrace } from './callTrace.js';
import { learnFromCall } from './learnCall.js';
import { LearnedFlows } from './learnedFlows.js';
import { learnedKey } from '../flows/learnedKey.js';
import { keepDeadEnd } from '../store/deadEndRepository.js';

export const LEARNER_PROJECTION = 'learner';
const DEFAULT_BATCH = 2000;
const POLL_MS = 250;
const STANDBY_RETRY_MS = 2000;

export interface LearnerOptions {
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  name?: string;
  batchSize?: number;
  /** Runs inside each batch's transaction, before it commits (tests crash here). */
  beforeCommit?: (events: StoredEvent[]) => Promise<void>;
}

/**
 * The learner: folds every call's events, in the store's order, into call
 * flows. Each batch is one transaction that updates the flows, the calls
 * still in progress and the checkpoint together: after a crash it starts
 * again from the last committed batch, and applies no event twice.
 */
export class LearnerProjection {
  private readonly name: string;
  private readonly batchSize: number;

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    private readonly options: LearnerOptions,
  ) {
    this.name = options.name ?? LEARNER_PROJECTION;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH;
  }

  /** Folds everything stored so far; resolves with how many events it folded. */
  async catchUp(): Promise<number> {
    let folded = 0;
    for (;;) {
      const after = await this.checkpoint();
      const events = await this.store.readAll({
        max: this.batchSize,
        streamPrefix: CALL_STREAM_PREFIX,
        ...(after !== undefined ? { after } : {}),
      });
      if (events.length === 0) return folded;
      if (await this.apply(after, events)) folded += events.length;
    }
  }

  /**
   * Keeps folding as events arrive, until aborted. Of several workers, one
   * learns (it holds a session lock); the others stand by and take over
   * when it goes.
   */
  async run(databaseUrl: string, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const lock = new pg.Client({ connectionString: databaseUrl });
      lock.on('error', () => undefined);
      try {
        await lock.connect();
        const got = await lock.query<{ locked: boolean }>(
          `SELECT pg_try_advisory_lock(hashtext($1)) AS locked`,
          [`holdslayer:projection:${this.name}`],
        );
        if (!got.rows[0]?.locked) {
          await sleep(STANDBY_RETRY_MS, signal);
          continue;
        }
        while (!signal.aborted) {
          const folded = await this.catchUp();
          if (folded === 0) await sleep(POLL_MS, signal);
        }
      } catch (e) {
        this.options.log.error({ err: (e as Error).message }, 'learner stopped; starting again');
        await sleep(STANDBY_RETRY_MS, signal);
      } finally {
        await lock.end().catch(() => undefined);
      }
    }
  }

  async checkpoint(): Promise<Checkpoint | undefined> {
    const result = await this.pool.query<{ position: string }>(
      `SELECT position FROM projection_checkpoints WHERE name = $1`,
      [this.name],
    );
    const position = result.rows[0]?.position;
    return position ? position : undefined;
  }

  /** Folds one batch; false when another learner moved the checkpoint first (nothing is applied). */
  private apply(after: Checkpoint | undefined, events: StoredEvent[]): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO projection_checkpoints (name, position) VALUES ($1, '') ON CONFLICT (name) DO NOTHING`,
        [this.name],
      );
      const held = await client.query<{ position: string }>(
        `SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE`,
        [this.name],
      );
      // Committing this transaction then changes nothing: the checkpoint row already existed.
      if ((held.rows[0]?.position || undefined) !== after) return false;
      await this.fold(client, events);
      await client.query(
        `UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE name = $1`,
        [this.name, events.at(-1)!.checkpoint],
      );
      await this.options.beforeCommit?.(events);
      return true;
    });
  }

  private async fold(client: PoolClient, events: StoredEvent[]): Promise<void> {
    const streams = [...new Set(events.map((e) => e.stream))];
    const stored = await client.query<{ call_id: string; trace: CallTrace }>(
      `SELECT call_id, trace FROM learner_traces WHERE call_id = ANY($1::text[])`,
      [streams],
    );
    const traces = new Map(stored.rows.map((r) => [r.call_id, r.trace]));
    const ended: Array<{ stream: string; trace: CallTrace }> = [];
    for (const event of events) {
      let parsed;
      try {
        parsed = readCallEvent(event);
      } catch (e) {
        if (!(e instanceof InvalidCallEvent)) throw e;
        // Kept in the store for a later learner that knows it; this one cannot fold it.
        this.options.log.warn({ stream: event.stream, err: e.message }, 'skipped an event');
        continue;
      }
      const trace = traces.get(event.stream) ?? emptyTrace();
      traces.set(event.stream, foldCallEvent(trace, parsed));
      if (parsed.type === 'call.dead_end')
        // A call's stream is named by its id.
        await keepDeadEnd(client, { ...parsed.data, callId: event.stream });
      if (parsed.type === 'call.ended') ended.push({ stream: event.stream, trace });
    }
    // A call's events all come before its end: fold the batch first, then learn, in the order calls ended.
    const flows = new LearnedFlows(client);
    await flows.prefetch(
      ended.map(({ trace }) => learnedKey(trace.phoneNumber, trace.intent)),
      ended.flatMap(({ trace }) => (trace.flow ? [trace.flow.id] : [])),
    );
    for (const { stream, trace } of ended) {
      const learned = await learnFromCall(flows, trace).catch((e: Error) => {
        // A path no valid flow can express is reported, not retried forever.
        this.options.log.warn({ stream, err: e.message }, 'learned nothing from a call');
        return undefined;
      });
      if (learned)
        this.options.log.info(
          {
            callId: stream,
            flowId: learned.flow.id,
            version: learned.flow.version,
            change: learned.change,
          },
          'learned from a call',
        );
    }
    const finished = new Set(ended.map((e) => e.stream));
    const open = [...traces].filter(([id]) => !finished.has(id));
    // One JSON document for all open traces: far cheaper to send than an array of them.
    if (open.length > 0)
      await client.query(
        `INSERT INTO learner_traces (call_id, trace)
         SELECT key, value FROM jsonb_each($1::jsonb)
         ON CONFLICT (call_id) DO UPDATE SET trace = EXCLUDED.trace`,
        [JSON.stringify(Object.fromEntries(open))],
      );
    if (finished.size > 0)
      await client.query(`DELETE FROM learner_traces WHERE call_id = ANY($1::text[])`, [
        [...finished],
      ]);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
