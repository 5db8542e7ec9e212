import { PassThrough } from 'node:stream';
import type { Context } from 'koa';

/** Comments sent while nothing happens, so proxies and browsers keep the connection open. */
const HEARTBEAT_MS = 15_000;
/** How long a browser waits before it reconnects, telling us the last id it saw. */
const RETRY_MS = 3_000;

export interface ServerSentEvents {
  send(message: { id: string; event: string; data: unknown }): void;
  /** Aborts when the client goes away (or the server closes the stream). */
  signal: AbortSignal;
  close(): void;
}

/**
 * Turns the response into a text/event-stream. The body is a stream that
 * outlives the handler: Koa writes it out as it is fed, and closing it ends
 * the response.
 */
export function openEventStream(ctx: Context): ServerSentEvents {
  const controller = new AbortController();
  const body = new PassThrough();
  ctx.state.streaming = true;
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    // Nginx would otherwise hold events back to fill its buffer.
    'X-Accel-Buffering': 'no',
  });
  ctx.status = 200;
  ctx.body = body;
  body.write(`retry: ${RETRY_MS}\n\n`);
  const heartbeat = setInterval(() => body.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const close = () => {
    if (controller.signal.aborted) return;
    clearInterval(heartbeat);
    controller.abort();
    body.end();
  };
  ctx.req.once('close', close);
  body.once('error', close);
  return {
    signal: controller.signal,
    close,
    send({ id, event, data }) {
      if (controller.signal.aborted) return;
      // JSON has no raw newlines, so one data line carries the whole message.
      body.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
  };
}
