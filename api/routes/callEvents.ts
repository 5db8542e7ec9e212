import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { catchUpThenLive, type ReadFrom } from '../../events/catchUpThenLive.js';
import {
  CALL_STREAM_PREFIX,
  InvalidCallEvent,
  callStream,
  readCallEvent,
} from '../../events/callEvents.js';
import type { EventFeed } from '../../events/eventFeed.js';
import type { EventStore, StoredEvent } from '../../events/eventStore.js';
import type { Logger } from '../../runtime/logger.js';
import type { CallService } from '../callService.js';
import { parseWith } from '../../validation/issues.js';
import { openEventStream } from '../serverSentEvents.js';

export interface CallEventRouteDeps {
  calls: CallService;
  events: EventStore;
  feed: EventFeed;
  log: Logger;
}

/** A call's event as the API shows it: what the call discovered, in its own words. */
export interface CallEventView {
  call_id: string;
  /** Its place in the call's stream, from 0. */
  revision: number;
  /** Its place among all calls' events. */
  position: string;
  type: string;
  occurred_at: string;
  data: unknown;
}

function viewOf(event: StoredEvent): CallEventView {
  const occurred = event.metadata.occurredAt;
  return {
    call_id: event.stream,
    revision: Number(event.revision),
    position: event.checkpoint,
    type: event.type,
    occurred_at: typeof occurred === 'string' ? occurred : event.recordedAt.toISOString(),
    data: dataOf(event),
  };
}

/** Read at today's version, so a client sees one shape whatever wrote it; an event no schema reads is shown as stored. */
function dataOf(event: StoredEvent): unknown {
  try {
    return readCallEvent(event).data;
  } catch (e) {
    if (e instanceof InvalidCallEvent) return event.data;
    throw e;
  }
}

/** What a client that reconnects says it saw last: a revision of one call's stream. */
const revisionId = z.coerce
  .number({ error: 'Last-Event-ID of a call stream is the revision last seen, e.g. 4' })
  .int()
  .min(0);
/** ...or a place among all calls' events ("transaction:position"). */
const positionId = z
  .string()
  .regex(
    /^\d+:\d+$/,
    "Last-Event-ID of the all-calls stream is a position such as 1234:56, as sent in an event's id",
  );

function lastEventId(ctx: Context): string | undefined {
  const header = ctx.get('Last-Event-ID');
  if (header) return header;
  // EventSource cannot set headers on its first connection: a page resumes through the query instead.
  const query = ctx.query.last_event_id;
  return typeof query === 'string' && query !== '' ? query : undefined;
}

export function callEventRoutes({ calls, events, feed, log }: CallEventRouteDeps): Router {
  const router = new Router();

  /** Streams events from `from` until the client leaves; `endAfter` ends it once an event says the call is over. */
  async function stream(ctx: Context, from: ReadFrom, endAfter?: (e: StoredEvent) => boolean) {
    const sse = openEventStream(ctx);
    const send = (event: StoredEvent) => {
      const view = viewOf(event);
      sse.send({
        id: from.kind === 'stream' ? String(view.revision) : view.position,
        event: view.type,
        data: view,
      });
      if (endAfter?.(event)) sse.close();
    };
    catchUpThenLive(events, feed, from, send, sse.signal).catch((e: unknown) => {
      log.warn({ err: e, path: ctx.path }, 'a live event stream failed');
      sse.close();
    });
  }

  router.get('/api/calls/:id/events', async (ctx) => {
    const id = ctx.params.id!;
    await calls.record(id);
    const stored = await events.readStream(callStream(id), { fromRevision: 0n, max: 10_000 });
    ctx.body = stored.map(viewOf);
  });

  router.get('/api/calls/:id/events/stream', async (ctx) => {
    const id = ctx.params.id!;
    const record = await calls.record(id);
    const last = lastEventId(ctx);
    const afterRevision =
      last === undefined ? undefined : BigInt(parseWith(revisionId, last, 'Last-Event-ID'));
    const from: ReadFrom = {
      kind: 'stream',
      stream: callStream(id),
      ...(afterRevision !== undefined ? { afterRevision } : {}),
    };
    if (record.status === 'ended') {
      // An ended call's stream has an end: a client that has seen it all is told not to come back (204 stops EventSource).
      const rest = await events.readStream(from.stream, {
        fromRevision: afterRevision === undefined ? 0n : afterRevision + 1n,
        max: 1,
      });
      if (rest.length === 0) {
        ctx.status = 204;
        return;
      }
    }
    await stream(ctx, from, (e) => e.type === 'call.ended');
  });

  router.get('/api/events/stream', async (ctx) => {
    const last = lastEventId(ctx);
    // A reader with no place starts at the head of the log as it is now: what was stored before is history it did not ask for.
    const after =
      last === undefined
        ? await events.headCheckpoint()
        : parseWith(positionId, last, 'Last-Event-ID');
    await stream(ctx, {
      kind: 'all',
      streamPrefix: CALL_STREAM_PREFIX,
      ...(after ? { after } : {}),
    });
  });

  return router;
}
