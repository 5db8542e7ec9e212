import { randomUUID } from 'node:crypto';
import { appendOnce } from '../../events/appendOnce.js';
import { waitFor } from '../support/waitFor.js';
import {
  WrongExpectedVersion,
  type EventStore,
  type NewEvent,
  type StoredEvent,
} from '../../events/eventStore.js';

/**
 * What every event store must do, whatever it is built on. Each run uses
 * streams of its own prefix, so it shares a server with other runs.
 */
export function eventStoreContract(
  open: () => Promise<EventStore>,
  close: () => Promise<void>,
): void {
  let store: EventStore;
  const prefix = `ct${randomUUID().slice(0, 8)}-`;
  let n = 0;
  const stream = () => `${prefix}${++n}`;
  const event = (type = 'test.happened', data: unknown = { n: Math.random() }): NewEvent => ({
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: { by: 'contract' },
  });

  beforeAll(async () => {
    store = await open();
  });
  afterAll(close);

  const mine = async (after?: string): Promise<StoredEvent[]> => {
    const all: StoredEvent[] = [];
    let from = after;
    for (;;) {
      const page = await store.readAll({
        max: 500,
        streamPrefix: prefix,
        ...(from ? { after: from } : {}),
      });
      all.push(...page);
      if (page.length < 500) return all;
      from = page.at(-1)!.checkpoint;
    }
  };

  it('appends to a new stream with no_stream and refuses a second no_stream', async () => {
    const s = stream();
    const first = event();
    await expect(store.append(s, [first, event()], 'no_stream')).resolves.toEqual({
      nextRevision: 1n,
    });
    const refusal = await store.append(s, [event()], 'no_stream').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(WrongExpectedVersion);
    expect((refusal as WrongExpectedVersion).actual).toBe(1n);
    const read = await store.readStream(s);
    expect(read.map((e) => e.revision)).toEqual([0n, 1n]);
    expect(read[0]).toMatchObject({
      id: first.id,
      type: 'test.happened',
      schemaVersion: 1,
      data: first.data,
      metadata: { by: 'contract' },
      stream: s,
    });
  });

  it('checks a stale revision, stream_exists on a missing stream, and lets any through', async () => {
    const s = stream();
    await expect(store.append(s, [event()], 'stream_exists')).rejects.toBeInstanceOf(
      WrongExpectedVersion,
    );
    await store.append(s, [event()], 'any');
    await store.append(s, [event()], 0n);
    await expect(store.append(s, [event()], 0n)).rejects.toMatchObject({
      actual: 1n,
      expected: 0n,
    });
    await expect(store.append(s, [event()], 'stream_exists')).resolves.toEqual({
      nextRevision: 2n,
    });
    await expect(store.append(s, [event()], 'any')).resolves.toEqual({ nextRevision: 3n });
  });

  it('takes the same events again at the same revision as a resend: stored once', async () => {
    const s = stream();
    const batch = [event(), event()];
    const first = await store.append(s, batch, 'no_stream');
    const again = await store.append(s, batch, 'no_stream');
    expect(again).toEqual(first);
    await store.append(s, [event()], 1n);
    await expect(store.append(s, batch, 'no_stream')).resolves.toEqual({ nextRevision: 1n });
    expect(await store.readStream(s)).toHaveLength(3);
  });

  it('lets one of many concurrent appends at one revision win; appendOnce lands every event once', async () => {
    const s = stream();
    await store.append(s, [event()], 'no_stream');
    const racers = await Promise.allSettled(
      Array.from({ length: 6 }, () => store.append(s, [event()], 0n)),
    );
    expect(racers.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of racers.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersion);
    const batches = Array.from({ length: 6 }, () => [event(), event()]);
    // Each batch is sent twice at once, as a retried activity might.
    await Promise.all([...batches, ...batches].map((b) => appendOnce(store, s, b)));
    const ids = (await store.readStream(s)).map((e) => e.id);
    expect(ids).toHaveLength(2 + 12);
    expect(new Set(ids).size).toBe(ids.length);
    for (const b of batches) expect(ids.indexOf(b[1]!.id)).toBe(ids.indexOf(b[0]!.id) + 1);
  });

  it('reads a missing stream as empty, and a stream from a revision', async () => {
    expect(await store.readStream(`${prefix}never`)).toEqual([]);
    const s = stream();
    await store.append(s, [event(), event(), event()], 'no_stream');
    expect(
      (await store.readStream(s, { fromRevision: 1n, max: 1 })).map((e) => e.revision),
    ).toEqual([1n]);
  });

  it('reads all streams in one order, each event once, after a place exclusively', async () => {
    const streams = Array.from({ length: 8 }, stream);
    await Promise.all(
      streams.map(async (s) => {
        for (let i = 0; i < 5; i++) await appendOnce(store, s, [event()]);
      }),
    );
    const all = await mine();
    const ours = all.filter((e) => streams.includes(e.stream));
    expect(ours).toHaveLength(40);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    for (const s of streams) {
      const revisions = ours.filter((e) => e.stream === s).map((e) => e.revision);
      expect(revisions).toEqual([0n, 1n, 2n, 3n, 4n]);
    }
    const middle = all[Math.floor(all.length / 2)]!;
    const after = await mine(middle.checkpoint);
    expect(after.map((e) => e.id)).toEqual(all.slice(all.indexOf(middle) + 1).map((e) => e.id));
  });

  it('subscribes: catches up, goes live without a gap or a repeat, and resumes from a checkpoint', async () => {
    const s = stream();
    await store.append(s, [event(), event()], 'no_stream');
    const seen: StoredEvent[] = [];
    const controller = new AbortController();
    let caughtUp!: () => void;
    const isCaughtUp = new Promise<void>((r) => (caughtUp = r));
    const done = store.subscribe(
      { streamPrefix: prefix, signal: controller.signal, onCaughtUp: caughtUp },
      async (e) => {
        seen.push(e);
        // Appends made while the subscriber is still working through the backlog.
        if (seen.length === 1) await appendOnce(store, s, [event()]);
      },
    );
    await isCaughtUp;
    const live = Array.from({ length: 5 }, () => event());
    for (const e of live) await appendOnce(store, s, [e]);
    await waitFor(() => seen.some((e) => e.id === live.at(-1)!.id));
    controller.abort();
    await done;
    const expected = await mine();
    expect(seen.map((e) => e.id)).toEqual(expected.map((e) => e.id));

    const checkpoint = seen[2]!.checkpoint;
    const resumed: StoredEvent[] = [];
    const again = new AbortController();
    let back!: () => void;
    const backUp = new Promise<void>((r) => (back = r));
    const run = store.subscribe(
      { after: checkpoint, streamPrefix: prefix, signal: again.signal, onCaughtUp: back },
      (e) => {
        resumed.push(e);
      },
    );
    await backUp;
    again.abort();
    await run;
    expect(resumed.map((e) => e.id)).toEqual(expected.slice(3).map((e) => e.id));
  });

  it('names the head of the log: a subscription after it gets only what is stored later', async () => {
    const s = stream();
    await store.append(s, [event(), event()], 'no_stream');
    const head = await store.headCheckpoint();
    expect(head).toBeDefined();
    // Nothing is readable after the head (other runs may append meanwhile, but not to our streams).
    const afterHead = (await store.readAll({ after: head!, max: 1000 })).filter((e) =>
      e.stream.startsWith(prefix),
    );
    expect(afterHead).toEqual([]);
    const later = event();
    await appendOnce(store, s, [later]);
    const seen: StoredEvent[] = [];
    const controller = new AbortController();
    const run = store.subscribe(
      { after: head!, streamPrefix: prefix, signal: controller.signal },
      (e) => {
        seen.push(e);
      },
    );
    await waitFor(() => seen.length > 0);
    controller.abort();
    await run;
    expect(seen.map((e) => e.id)).toEqual([later.id]);
  });

  it('ends a subscription whose handler throws with that error', async () => {
    const s = stream();
    await store.append(s, [event()], 'no_stream');
    const controller = new AbortController();
    await expect(
      store.subscribe({ streamPrefix: prefix, signal: controller.signal }, () => {
        throw new Error('handler broke');
      }),
    ).rejects.toThrow('handler broke');
  });
}
