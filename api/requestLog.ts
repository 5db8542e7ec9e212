import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { ApiMetrics } from '../metrics/apiMetrics.js';
import type { Logger } from '../runtime/logger.js';

/** A request id a client may choose, so its own logs and ours meet; anything else is replaced. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * One structured log line per request (never its body: it may carry
 * secrets), a request id echoed in X-Request-Id and in every error body,
 * and the request's time in the metrics, by route pattern rather than path
 * so that ids do not explode the label set.
 */
export function requestLog(log: Logger, metrics: ApiMetrics): Middleware {
  return async (ctx, next) => {
    const given = ctx.get('X-Request-Id');
    const requestId = CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const began = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - began) / 1e9;
      const route = typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : 'unmatched';
      // A live event stream "ends" when its client leaves: its time says nothing of the API's speed.
      if (!ctx.state.streaming)
        metrics.requestSeconds.observe(
          { method: ctx.method, route, status: String(ctx.status) },
          seconds,
        );
      const line = {
        requestId,
        method: ctx.method,
        path: ctx.path,
        route,
        status: ctx.status,
        ms: Math.round(seconds * 1000),
      };
      if (ctx.path.startsWith('/health')) log.debug(line, 'request');
      else if (ctx.status >= 500) log.error(line, 'request');
      else log.info(line, 'request');
    }
  };
}
