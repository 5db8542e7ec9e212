import {
  BACKWARDS,
  END,
  KurrentDBClient,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type EventData,
  type Filter,
  type JSONType,
  type Position,
  type ReadStreamOptions,
  type RecordedEvent,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import {
  WrongExpectedVersion,
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

/**
 * KurrentDB has no field for a schema version, so it travels in the
 * metadata under this key (keys starting with `$` are the server's).
 */
const SCHEMA_VERSION = 'schemaVersion';

/**
 * The event store in KurrentDB. Its log position is the global order, so
 * a checkpoint is the event's `commit:prepare` position. Idempotency is the
 * server's: the same event ids appended again at the same expected
 * revision (or `no_stream`) are acknowledged, with the first append's
 * revision, without being written twice; for `any` and `stream_exists` it
 * holds only while the server's cache of recent ids still has them.
 */
export class KurrentEventStore implements EventStore {
  private constructor(private readonly client: KurrentDBClient) {}

  static connect(connectionString: string): KurrentEventStore {
    return new KurrentEventStore(KurrentDBClient.connectionString(connectionString));
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedState): Promise<AppendResult> {
    if (events.length === 0) {
      // The client reports an empty append to a missing stream as revision 0.
      return appendNothing(stream, expected, await this.lastRevision(stream));
    }
    const proposed = events.map(toEventData);
    try {
      // The port's expected states are KurrentDB's, value for value.
      const result = await this.client.appendToStream(stream, proposed, { streamState: expected });
      // Only with `throwOnAppendFailure=false`, which also garbles the revision it reports.
      if (!result.success) {
        throw new WrongExpectedVersion(stream, expected, await this.lastRevision(stream));
      }
      return { nextRevision: result.nextExpectedRevision };
    } catch (e) {
      if (e instanceof WrongExpectedVersionError) {
        throw new WrongExpectedVersion(stream, expected, e.actualState);
      }
      throw e;
    }
  }

  async readStream(
    stream: string,
    options: { fromRevision?: bigint; max?: number } = {},
  ): Promise<StoredEvent[]> {
    if (options.max !== undefined && options.max <= 0) return [];
    const events: StoredEvent[] = [];
    for (const record of await this.records(stream, {
      fromRevision: options.fromRevision ?? START,
      ...(options.max !== undefined ? { maxCount: options.max } : {}),
    })) {
      if (!record.position) {
        throw new Error(
          `KurrentDB gave event ${record.id} no position: the server is older than 22.6`,
        );
      }
      events.push(toStored(record, record.position));
    }
    return events;
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    const { max } = options;
    const filter = filterFor(options.streamPrefix);
    const events: StoredEvent[] = [];
    // Reads include the event at their start while `after` excludes it: read one more and drop it.
    let from = options.after === undefined ? undefined : parseCheckpoint(options.after);
    while (events.length < max) {
      const maxCount = max - events.length + (from ? 1 : 0);
      let read = 0;
      let last: Position | undefined;
      for await (const resolved of this.client.readAll({
        fromPosition: from ?? START,
        maxCount,
        filter,
      })) {
        read++;
        const position = resolved.event?.position;
        if (!position || (from && samePosition(position, from))) continue;
        last = position;
        const record = userRecord(resolved);
        if (record) events.push(toStored(record, position));
      }
      // A short page is the end of the log; a full one may have lost events to the system filter.
      if (read < maxCount || !last) break;
      from = last;
    }
    return events.slice(0, max);
  }

  async headCheckpoint(): Promise<Checkpoint | undefined> {
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      filter: filterFor(undefined),
    })) {
      const position = resolved.event?.position;
      if (position) return `${position.commit}:${position.prepare}`;
    }
    return undefined;
  }

  /**
   * A catch-up subscription to `$all`, which starts after `after`
   * (subscriptions, unlike reads, exclude their start position).
   */
  async subscribe(
    options: SubscribeOptions,
    handler: (event: StoredEvent) => Promise<void> | void,
  ): Promise<void> {
    const { signal } = options;
    if (signal.aborted) return;
    const subscription = this.client.subscribeToAll({
      fromPosition: options.after === undefined ? START : parseCheckpoint(options.after),
      filter: filterFor(options.streamPrefix),
    });
    // Errors reach the loop through the iterator; this only keeps one that
    // arrives after the loop has left from crashing the process.
    subscription.on('error', () => undefined);

    let taken = 0;
    let done = 0;
    let caughtUpAt: number | undefined;
    let reported = false;
    const reportCaughtUp = (): void => {
      if (reported || caughtUpAt === undefined || done < caughtUpAt) return;
      reported = true;
      options.onCaughtUp?.();
    };
    // The server is caught up once it has sent the stored events, but some
    // may still wait in the stream's buffer: report it after those too.
    // (Servers older than 23.10 never say so.)
    subscription.once('caughtUp', () => {
      caughtUpAt = taken + subscription.readableLength;
      try {
        reportCaughtUp();
      } catch (e) {
        subscription.destroy(e instanceof Error ? e : new Error(String(e)));
      }
    });

    const stop = (): void => {
      subscription.destroy();
    };
    signal.addEventListener('abort', stop, { once: true });
    try {
      for await (const resolved of untilAborted(subscription, signal)) {
        taken++;
        const record = userRecord(resolved);
        if (record?.position) await handler(toStored(record, record.position));
        done++;
        reportCaughtUp();
      }
    } finally {
      signal.removeEventListener('abort', stop);
      await subscription.unsubscribe().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** A stream's records; none for a stream that does not exist. */
  private async records(stream: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
    const records: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, options)) {
        const record = userRecord(resolved);
        if (record) records.push(record);
      }
    } catch (e) {
      // The client reports a missing stream while iterating, not when the read starts.
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
    return records;
  }

  private async lastRevision(stream: string): Promise<'no_stream' | bigint> {
    const [last] = await this.records(stream, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    return last ? last.revision : 'no_stream';
  }
}

/** A subscription's events until the signal aborts; ending or failing before that is an error. */
async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  try {
    for await (const item of source) {
      if (signal.aborted) return;
      yield item;
    }
  } catch (e) {
    // Stopping destroys the stream, which its iterator reports as a premature close.
    if (signal.aborted) return;
    throw e;
  }
  if (!signal.aborted) throw new Error('the KurrentDB subscription ended before it was stopped');
}

function toEventData(event: NewEvent): EventData {
  if (Object.hasOwn(event.metadata, SCHEMA_VERSION)) {
    throw new Error(
      `event ${event.id}: metadata key "${SCHEMA_VERSION}" is reserved for the schema version`,
    );
  }
  return jsonEvent({
    id: event.id,
    type: event.type,
    // The client serialises any JSON value, though its type names only objects, arrays, strings.
    data: event.data as JSONType,
    metadata: { ...event.metadata, [SCHEMA_VERSION]: event.schemaVersion },
  });
}

/** The recorded event, unless it is KurrentDB's own (a `$` type or stream). */
function userRecord(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const record = resolved.event;
  if (!record || record.type.startsWith('$') || record.streamId.startsWith('$')) return undefined;
  return record;
}

function toStored(record: RecordedEvent, position: Position): StoredEvent {
  const { [SCHEMA_VERSION]: schemaVersion, ...metadata } = metadataOf(record);
  if (!record.isJson || typeof schemaVersion !== 'number') {
    throw new Error(
      `event ${record.id} in ${record.streamId} was not written by this store: ` +
        `it is not JSON or has no "${SCHEMA_VERSION}" in its metadata`,
    );
  }
  return {
    id: record.id,
    type: record.type,
    schemaVersion,
    data: record.data,
    metadata,
    stream: record.streamId,
    revision: record.revision,
    checkpoint: `${position.commit}:${position.prepare}`,
    recordedAt: record.created,
  };
}

function metadataOf(record: RecordedEvent): Record<string, unknown> {
  const { metadata } = record;
  if (
    typeof metadata !== 'object' ||
    metadata === null ||
    Array.isArray(metadata) ||
    metadata instanceof Uint8Array
  ) {
    return {};
  }
  return metadata;
}

function filterFor(streamPrefix: string | undefined): Filter {
  return streamPrefix === undefined
    ? excludeSystemEvents()
    : streamNameFilter({ prefixes: [streamPrefix] });
}

function parseCheckpoint(checkpoint: Checkpoint): Position {
  const match = /^(\d+):(\d+)$/.exec(checkpoint);
  if (!match) throw new Error(`"${checkpoint}" is not a KurrentDB event store checkpoint`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}

function samePosition(a: Position, b: Position): boolean {
  return a.commit === b.commit && a.prepare === b.prepare;
}
