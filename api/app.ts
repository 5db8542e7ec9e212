import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from '../runtime/logger.js';
import type { EventStore } from '../events/eventStore.js';
import type { EventFeed } from '../events/eventFeed.js';
import type { ApiMetrics } from '../metrics/apiMetrics.js';
import type { RefusedNumberRules } from '../safety/refusedNumbers.js';
import type { FlowRepository } from '../store/flowRepository.js';
import type { Pool } from '../store/pool.js';
import { requireApiKey, type ApiKeys } from './apiKeyAuth.js';
import type { CallService } from './callService.js';
import { HttpError, errorHandler } from './httpErrors.js';
import { requestLog } from './requestLog.js';
import { callEventRoutes } from './routes/callEvents.js';
import { callFlowRoutes } from './routes/callFlows.js';
import { callRoutes } from './routes/calls.js';
import { dashboardRoutes, isDashboardLogin } from './routes/dashboard.js';
import { openApiRoutes } from './routes/openApi.js';
import { operationRoutes, type ReadinessCheck } from './routes/operations.js';

export interface AppDeps {
  calls: CallService;
  flows: FlowRepository;
  events: EventStore;
  /** Events as they are stored, for live streams. */
  feed: EventFeed;
  pool: Pool;
  log: Logger;
  keys: ApiKeys;
  metrics: ApiMetrics;
  refused: RefusedNumberRules;
  bodyLimitKb: number;
  /** What must answer before the API calls itself ready. */
  readiness: ReadinessCheck[];
}

/** Paths anyone may reach: the health checks, and the dashboard's sign-in page. */
const isOpen = (ctx: Koa.Context) =>
  ctx.path === '/health' || ctx.path === '/ready' || isDashboardLogin(ctx);

/** A body the API would not read is refused as such, not taken for an empty one. */
const requireJsonBody: Koa.Middleware = async (ctx, next) => {
  if (ctx.request.length > 0 || ctx.get('Transfer-Encoding')) {
    if (!ctx.is('application/json'))
      throw new HttpError(
        415,
        `the body must be JSON (Content-Type: application/json), not ${ctx.get('Content-Type') || 'untyped'}`,
      );
  }
  await next();
};

/** Every route the API has, in the order a request tries them; its document is checked against this list. */
export function apiRouters(deps: AppDeps): Router[] {
  return [
    operationRoutes(deps),
    callRoutes(deps.calls),
    callEventRoutes(deps),
    callFlowRoutes(deps),
    openApiRoutes(),
    dashboardRoutes(deps.keys),
  ];
}

/** The REST API, its live event streams, its document and the dashboard: JSON in and out. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.on('error', (err: unknown, ctx?: Koa.Context) => {
    // A client leaving a live event stream ends its response early: that is how such a stream ends.
    if ((err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE' && ctx?.state.streaming)
      return;
    deps.log.error({ err, path: ctx?.path }, 'response failed');
  });
  // The id and the log line come first, so that even a refused request is logged with its id.
  app.use(requestLog(deps.log, deps.metrics));
  app.use(errorHandler(deps.log));
  app.use(requireApiKey(deps.keys, isOpen));
  app.use(requireJsonBody);
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: `${deps.bodyLimitKb}kb`,
      onError: (error, ctx) => {
        const status = (error as { status?: number }).status;
        if (status === 413)
          ctx.throw(413, `the body is larger than the API's limit of ${deps.bodyLimitKb} KiB`);
        ctx.throw(400, `body is not valid JSON: ${error.message}`);
      },
    }),
  );
  for (const router of apiRouters(deps)) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
