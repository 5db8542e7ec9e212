import { WrongExpectedVersion, type EventStore, type NewEvent } from './eventStore.js';

const MAX_TRIES = 8;

/**
 * Appends events that may have been appended before (a retried activity):
 * those already in the stream are left out, the rest go in at the
 * stream's current revision. A writer that got in first makes it read
 * again and retry, so every event lands exactly once, on any store.
 */
export async function appendOnce(
  store: EventStore,
  stream: string,
  events: NewEvent[],
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const existing = await store.readStream(stream);
    const stored = new Set(existing.map((e) => e.id.toLowerCase()));
    const fresh = events.filter((e) => !stored.has(e.id.toLowerCase()));
    if (fresh.length === 0) return;
    const last = existing.at(-1);
    try {
      await store.append(stream, fresh, last ? last.revision : 'no_stream');
      return;
    } catch (e) {
      if (!(e instanceof WrongExpectedVersion) || attempt >= MAX_TRIES) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}
