import type { EventFeed } from './eventFeed.js';
import { readAllPages } from './readAllPages.js';
import {
  compareCheckpoints,
  type Checkpoint,
  type EventStore,
  type StoredEvent,
} from './eventStore.js';

const PAGE = 500;

/** Where a reader left off: a place in the global order, or a revision of one stream. */
export type ReadFrom =
  | { kind: 'all'; streamPrefix: string; after?: Checkpoint }
  | { kind: 'stream'; stream: string; afterRevision?: bigint };

/**
 * Hands `send` every event after the reader's place, then each new one, in
 * order and once each, until the signal aborts. The live feed is joined
 * before history is read and what it brings meanwhile is held back; after
 * the history, only what lies beyond the last event sent goes out. The
 * feed may run behind the store or ahead of it, so it is the place, not
 * the arrival, that decides.
 */
export async function catchUpThenLive(
  store: EventStore,
  feed: EventFeed,
  from: ReadFrom,
  send: (event: StoredEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const place = placeKeeper(from);
  let held: StoredEvent[] | undefined = [];
  const deliver = (event: StoredEvent) => {
    if (place.isNew(event)) {
      place.passed(event);
      send(event);
    }
  };
  const stopListening = feed.listen((event) => {
    if (!place.wanted(event)) return;
    if (held) held.push(event);
    else deliver(event);
  });
  signal.addEventListener('abort', stopListening, { once: true });
  try {
    for await (const event of history(store, from)) {
      if (signal.aborted) return;
      deliver(event);
    }
    const backlog = held;
    held = undefined;
    for (const event of backlog) deliver(event);
  } catch (e) {
    stopListening();
    throw e;
  }
}

interface PlaceKeeper {
  wanted(event: StoredEvent): boolean;
  isNew(event: StoredEvent): boolean;
  passed(event: StoredEvent): void;
}

function placeKeeper(from: ReadFrom): PlaceKeeper {
  if (from.kind === 'stream') {
    let last = from.afterRevision ?? -1n;
    return {
      wanted: (e) => e.stream === from.stream,
      isNew: (e) => e.revision > last,
      passed: (e) => (last = e.revision),
    };
  }
  let last = from.after;
  return {
    wanted: (e) => e.stream.startsWith(from.streamPrefix),
    isNew: (e) => last === undefined || compareCheckpoints(e.checkpoint, last) > 0,
    passed: (e) => (last = e.checkpoint),
  };
}

async function* history(store: EventStore, from: ReadFrom): AsyncGenerator<StoredEvent> {
  if (from.kind === 'stream') {
    let next = from.afterRevision === undefined ? 0n : from.afterRevision + 1n;
    for (;;) {
      const page = await store.readStream(from.stream, { fromRevision: next, max: PAGE });
      yield* page;
      if (page.length < PAGE) return;
      next = page.at(-1)!.revision + 1n;
    }
  }
  // A reader with no place reads no history: it asked only for what is stored from now on.
  if (from.after === undefined) return;
  yield* readAllPages(store, {
    after: from.after,
    streamPrefix: from.streamPrefix,
    pageSize: PAGE,
  });
}
