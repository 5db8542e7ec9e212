import type { Logger } from '../runtime/logger.js';
import type { Checkpoint, EventStore, StoredEvent } from './eventStore.js';

const RESTART_DELAY_MS = 1000;

export type FeedListener = (event: StoredEvent) => void;

/**
 * One subscription to the event store, shared by everyone in this process
 * who watches events as they are stored (live event streams, metrics), so
 * a hundred open dashboards cost one reader, not a hundred. It starts at
 * the head of the log: history is read by whoever needs it. If the store
 * fails, it starts again where it stopped.
 */
export class EventFeed {
  private readonly listeners = new Set<FeedListener>();
  private readonly controller = new AbortController();
  private position: Checkpoint | undefined;
  private running: Promise<void> = Promise.resolve();

  private constructor(
    private readonly store: EventStore,
    private readonly streamPrefix: string,
    private readonly log: Logger,
  ) {}

  static async start(store: EventStore, streamPrefix: string, log: Logger): Promise<EventFeed> {
    const feed = new EventFeed(store, streamPrefix, log);
    feed.position = await store.headCheckpoint();
    feed.running = feed.run();
    return feed;
  }

  /** Calls `listener` with each event stored from now on; returns how to stop. */
  listen(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    const { signal } = this.controller;
    while (!signal.aborted) {
      try {
        await this.store.subscribe(
          {
            signal,
            streamPrefix: this.streamPrefix,
            ...(this.position !== undefined ? { after: this.position } : {}),
          },
          (event) => {
            this.position = event.checkpoint;
            for (const listener of this.listeners) listener(event);
          },
        );
      } catch (e) {
        if (signal.aborted) return;
        this.log.warn({ err: e }, 'the live event feed failed; starting again');
        await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS).unref());
      }
    }
  }
}
