/**
 * The event store port: append-only streams with optimistic concurrency, a
 * global order across streams, and catch-up subscriptions. PostgreSQL is
 * the default; KurrentDB is the alternative. Both pass one contract suite.
 */

/** What an append expects of the stream: anything, no stream yet, some stream, or this last revision (0-based). */
export type ExpectedState = 'any' | 'no_stream' | 'stream_exists' | bigint;

/**
 * A place in the global order, opaque to callers. Each store has its own
 * format: never compare checkpoints of two stores, or make one up.
 */
export type Checkpoint = string;

/**
 * Orders two checkpoints of one store. Both stores write a checkpoint as
 * two numbers ("commit:prepare", "transaction:position") compared in turn.
 */
export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  const [a1, a2] = a.split(':').map(BigInt);
  const [b1, b2] = b.split(':').map(BigInt);
  if (a1! !== b1!) return a1! < b1! ? -1 : 1;
  return a2! === b2! ? 0 : a2! < b2! ? -1 : 1;
}

export interface NewEvent {
  /** A UUID; the same event appended again at the same revision is stored once. */
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
}

export interface StoredEvent extends NewEvent {
  stream: string;
  /** Position in its stream, from 0, without gaps. */
  revision: bigint;
  /** Position in the global order. */
  checkpoint: Checkpoint;
  recordedAt: Date;
}

export interface AppendResult {
  /** The stream's last revision after the append. */
  nextRevision: bigint;
}

export interface ReadAllOptions {
  /** Exclusive: events after this place. From the start when absent. */
  after?: Checkpoint;
  max: number;
  /** Only streams whose names begin so (e.g. "call-"). */
  streamPrefix?: string;
}

export interface SubscribeOptions {
  after?: Checkpoint;
  streamPrefix?: string;
  signal: AbortSignal;
  /** Called once, when the events stored when the subscription began have all been handed over. */
  onCaughtUp?: () => void;
}

export interface EventStore {
  append(stream: string, events: NewEvent[], expected: ExpectedState): Promise<AppendResult>;
  /** A stream's events in order; nothing for a stream that does not exist. */
  readStream(
    stream: string,
    options?: { fromRevision?: bigint; max?: number },
  ): Promise<StoredEvent[]>;
  /** Events of every stream in the global order. */
  readAll(options: ReadAllOptions): Promise<StoredEvent[]>;
  /**
   * The place of the last event a read of all streams can see now, or
   * undefined while there is none: a subscription after it gets only what
   * is stored from now on.
   */
  headCheckpoint(): Promise<Checkpoint | undefined>;
  /**
   * Hands over every event after `after`, in the global order, then each
   * new one as it is stored, until the signal aborts. The handler's
   * promise is awaited before the next event: a slow handler slows the
   * subscription, it never skips. Resolves when aborted; rejects if the
   * handler throws.
   */
  subscribe(
    options: SubscribeOptions,
    handler: (event: StoredEvent) => Promise<void> | void,
  ): Promise<void>;
  close(): Promise<void>;
}

export class WrongExpectedVersion extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedState,
    readonly actual: 'no_stream' | bigint,
  ) {
    super(`stream ${stream} was expected at ${String(expected)} but is at ${String(actual)}`);
    this.name = 'WrongExpectedVersion';
  }
}

/** Whether `expected` admits a stream whose last revision is `actual`. */
export function admits(expected: ExpectedState, actual: 'no_stream' | bigint): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 'no_stream';
  if (expected === 'stream_exists') return actual !== 'no_stream';
  return actual === expected;
}

/** An append of no events writes nothing: it only checks the expectation, as a real append would. */
export function appendNothing(
  stream: string,
  expected: ExpectedState,
  current: 'no_stream' | bigint,
): AppendResult {
  if (!admits(expected, current)) throw new WrongExpectedVersion(stream, expected, current);
  return { nextRevision: current === 'no_stream' ? -1n : current };
}
