import { randomUUID } from 'node:crypto';
import { EventSource } from 'eventsource';
import { CALL_EVENT_VERSIONS, type CallEvent } from '../../events/callEvents.js';
import type { NewEvent } from '../../events/eventStore.js';
import { PostgresEventStore } from '../../events/postgresEventStore.js';
import { createPool, type Pool } from '../../store/pool.js';
import { ApiUnderTest } from '../support/apiUnderTest.js';
import { describeWith, required, testServices } from '../support/services.js';
import { waitFor } from '../support/waitFor.js';

interface EventView {
  call_id: string;
  revision: number;
  position: string;
  type: string;
  data: Record<string, unknown>;
}
interface CallPage {
  calls: Array<{
    id: string;
    phase: string;
    outcome: string | null;
    hold_seconds: number;
    flow: unknown;
  }>;
  next: string | null;
}

const started = (company: string): CallEvent => ({
  type: 'call.started',
  data: {
    phoneNumber: '+18005550100',
    company,
    intent: 'test',
    flow: null,
    dialOutcome: 'answered',
  },
});
const heard = (transcript: string): CallEvent => ({
  type: 'call.menu_heard',
  data: { transcript, endedBy: 'pause', heardMs: 1000, drifted: false },
});
const ended: CallEvent = {
  type: 'call.ended',
  data: { outcome: 'connected', reason: null, decisions: { rules: 1, model: 0 }, holdSeconds: 42 },
};

function stored(event: CallEvent, schemaVersion = CALL_EVENT_VERSIONS[event.type]): NewEvent {
  return { id: randomUUID(), type: event.type, schemaVersion, data: event.data, metadata: {} };
}

/** An EventSource with the API's key, collecting what it hears. */
function listen(api: ApiUnderTest, route: string, lastEventId?: string) {
  const received: Array<{ id: string; type: string; view: EventView }> = [];
  const source = new EventSource(`${api.url}${route}`, {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: {
          ...init.headers,
          authorization: `Bearer ${api.key}`,
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
      }),
  });
  const opened = new Promise<void>((resolve) => source.addEventListener('open', () => resolve()));
  for (const type of ['call.started', 'call.menu_heard', 'call.digits_sent', 'call.ended'])
    source.addEventListener(type, (e) =>
      received.push({ id: e.lastEventId, type, view: JSON.parse(e.data as string) as EventView }),
    );
  return { source, received, opened };
}

describeWith(
  ['postgres', 'temporal'],
  'API: calls listed, and their events, stored and live',
  () => {
    const api = new ApiUnderTest();
    const company = `Events Co ${randomUUID().slice(0, 6)}`;
    let pool: Pool;
    let store: PostgresEventStore;

    async function insertCall(
      status: 'started' | 'ended',
      outcome: string | null = null,
      holdSeconds: number | null = null,
    ) {
      const id = `call-${randomUUID()}`;
      await pool.query(
        `INSERT INTO calls (id, phone_number, company, intent, user_device, status, outcome, hold_seconds, ended_at)
       VALUES ($1, '+18005550100', $2, 'test', 'sim:x', $3, $4, $5, CASE WHEN $3 = 'ended' THEN now() END)`,
        [id, company, status, outcome, holdSeconds],
      );
      return id;
    }

    beforeAll(async () => {
      const url = required(testServices().databaseUrl, 'PostgreSQL');
      pool = createPool(url);
      store = new PostgresEventStore(pool, url);
      await api.start();
    });
    afterAll(async () => {
      await api.stop();
      await store.close();
      await pool.end();
    });

    describe('the call list', () => {
      const ids: string[] = [];
      beforeAll(async () => {
        // Oldest first: the list shows them newest first.
        ids.push(await insertCall('ended', 'connected', 125));
        ids.push(await insertCall('ended', 'busy', 0));
        ids.push(await insertCall('started'));
        ids.push(await insertCall('ended', 'connected', 30));
        ids.push(await insertCall('started'));
      });

      it('filters by company, status and outcome, and shows history with hold time', async () => {
        const all = await api.send<CallPage>(
          'GET',
          `/api/calls?company=${encodeURIComponent(company.toUpperCase())}`,
        );
        expect(all.body.calls.map((c) => c.id)).toEqual([...ids].reverse());
        const inProgress = await api.send<CallPage>(
          'GET',
          `/api/calls?status=started&company=${encodeURIComponent(company)}`,
        );
        expect(inProgress.body.calls.map((c) => c.id)).toEqual([ids[4], ids[2]]);
        expect(inProgress.body.calls.every((c) => c.outcome === null)).toBe(true);
        const connected = await api.send<CallPage>(
          'GET',
          `/api/calls?outcome=connected&company=${encodeURIComponent(company)}`,
        );
        expect(connected.body.calls.map((c) => [c.id, c.phase, c.hold_seconds])).toEqual([
          [ids[3], 'ended', 30],
          [ids[0], 'ended', 125],
        ]);
      });

      it('pages through the list, each call once', async () => {
        const seen: string[] = [];
        let after: string | null = null;
        let pages = 0;
        do {
          const page: { body: CallPage } = await api.send<CallPage>(
            'GET',
            `/api/calls?limit=2&company=${encodeURIComponent(company)}${after ? `&after=${after}` : ''}`,
          );
          seen.push(...page.body.calls.map((c) => c.id));
          after = page.body.next;
          pages += 1;
        } while (after && pages < 10);
        expect(pages).toBe(3);
        expect(seen).toEqual([...ids].reverse());
      });

      it('names what is wrong with a list query', async () => {
        const bad = await api.send('GET', '/api/calls?status=ringing&limit=0&colour=red');
        expect(bad.status).toBe(400);
        expect(bad.body.details.map((d) => d.path).sort()).toEqual(['', 'limit', 'status']);
      });
    });

    describe("a call's events", () => {
      it('lists them in order, read at the current version', async () => {
        const id = await insertCall('ended', 'connected', 42);
        const oldEnded = {
          ...ended,
          data: { outcome: 'connected', reason: null, decisions: { rules: 1, model: 0 } },
        };
        await store.append(
          id,
          [stored(started(company)), stored(heard('Press 1.')), stored(oldEnded as CallEvent, 1)],
          'no_stream',
        );
        const listed = await api.send<EventView[]>('GET', `/api/calls/${id}/events`);
        expect(listed.body.map((e) => [e.revision, e.type])).toEqual([
          [0, 'call.started'],
          [1, 'call.menu_heard'],
          [2, 'call.ended'],
        ]);
        // Stored at version 1, before hold time was recorded: shown with it unknown.
        expect(listed.body[2]!.data).toEqual({ ...oldEnded.data, holdSeconds: null });
        expect((await api.send('GET', '/api/calls/call-nobody/events')).status).toBe(404);
      });

      it("streams an ended call's events, ends, and tells a client that saw them all not to come back", async () => {
        const id = await insertCall('ended', 'connected', 42);
        await store.append(
          id,
          [stored(started(company)), stored(heard('Press 1.')), stored(ended)],
          'no_stream',
        );
        const { source, received } = listen(api, `/api/calls/${id}/events/stream`);
        // The stream ends after call.ended; EventSource comes back with Last-Event-ID 2, gets 204 and stops.
        await waitFor(
          () => source.readyState === EventSource.CLOSED,
          10_000,
          'the stream to close for good',
        );
        expect(received.map((r) => [r.id, r.type])).toEqual([
          ['0', 'call.started'],
          ['1', 'call.menu_heard'],
          ['2', 'call.ended'],
        ]);
        const direct = await api.send('GET', `/api/calls/${id}/events/stream`, undefined, {
          'last-event-id': '2',
        });
        expect(direct.status).toBe(204);
      });

      it("streams a call's events live, resuming after the last one a client saw", async () => {
        const id = await insertCall('started');
        await store.append(id, [stored(started(company)), stored(heard('Press 1.'))], 'no_stream');
        const resumed = listen(api, `/api/calls/${id}/events/stream`, '0');
        await waitFor(() => resumed.received.length === 1, 10_000, 'the history after revision 0');
        expect(resumed.received[0]!.type).toBe('call.menu_heard');
        await store.append(id, [stored({ type: 'call.digits_sent', data: { dtmf: '2' } })], 1n);
        await waitFor(() => resumed.received.length === 2, 10_000, 'the live event');
        expect(resumed.received[1]!.view).toMatchObject({ revision: 2, data: { dtmf: '2' } });
        await store.append(id, [stored(ended)], 2n);
        await waitFor(() => resumed.received.length === 3, 10_000, 'the end');
        await waitFor(
          () => resumed.source.readyState === EventSource.CLOSED,
          10_000,
          'the stream to close',
        );
        expect(resumed.received.map((r) => r.id)).toEqual(['1', '2', '3']);
      });

      it('refuses a Last-Event-ID that is no place in the stream', async () => {
        const id = await insertCall('started');
        const bad = await api.send('GET', `/api/calls/${id}/events/stream`, undefined, {
          'last-event-id': 'yesterday',
        });
        expect(bad.status).toBe(400);
        expect(bad.body.details[0]!.message).toMatch(/revision last seen/);
        const badAll = await api.send('GET', '/api/events/stream?last_event_id=7');
        expect(badAll.status).toBe(400);
        expect(badAll.body.details[0]!.message).toMatch(/position such as 1234:56/);
      });
    });

    describe('every call, live', () => {
      it('streams what is stored from now on, and resumes from the last position seen', async () => {
        const before = await insertCall('started');
        await store.append(before, [stored(started(company))], 'no_stream');
        const first = listen(api, '/api/events/stream');
        await first.opened;
        const a = await insertCall('started');
        const b = await insertCall('started');
        await store.append(a, [stored(started(company))], 'no_stream');
        await store.append(b, [stored(started(company)), stored(heard('Hello.'))], 'no_stream');
        const ours = (r: { view: EventView }) => [a, b, before].includes(r.view.call_id);
        await waitFor(() => first.received.filter(ours).length === 3, 10_000, 'three events');
        // What was stored before the stream opened is history it did not ask for (the head of the log is read when it opens).
        expect(first.received.filter(ours).map((r) => [r.view.call_id, r.type])).toEqual([
          [a, 'call.started'],
          [b, 'call.started'],
          [b, 'call.menu_heard'],
        ]);
        const lastSeen = first.received.filter(ours).at(-1)!.id;
        expect(lastSeen).toMatch(/^\d+:\d+$/);
        first.source.close();
        await store.append(a, [stored(heard('Press 2.')), stored(ended)], 0n);
        const again = listen(
          api,
          `/api/events/stream?last_event_id=${encodeURIComponent(lastSeen)}`,
        );
        await waitFor(
          () => again.received.filter(ours).length === 2,
          10_000,
          'the two stored while away',
        );
        await new Promise((r) => setTimeout(r, 300));
        expect(again.received.filter(ours).map((r) => [r.view.call_id, r.type])).toEqual([
          [a, 'call.menu_heard'],
          [a, 'call.ended'],
        ]);
        again.source.close();
      });
    });
  },
);
