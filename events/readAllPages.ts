import type { Checkpoint, EventStore, StoredEvent } from './eventStore.js';

/**
 * Every event after `after` (from the start when absent) that a read of all
 * streams sees now, in the global order, a page of `pageSize` at a time.
 */
export async function* readAllPages(
  store: EventStore,
  options: { after?: Checkpoint | undefined; streamPrefix?: string; pageSize: number },
): AsyncGenerator<StoredEvent> {
  let after = options.after;
  for (;;) {
    const page = await store.readAll({
      max: options.pageSize,
      ...(options.streamPrefix !== undefined ? { streamPrefix: options.streamPrefix } : {}),
      ...(after !== undefined ? { after } : {}),
    });
    yield* page;
    if (page.length < options.pageSize) return;
    after = page.at(-1)!.checkpoint;
  }
}
