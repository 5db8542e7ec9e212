import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import type { Logger } from '../runtime/logger.js';
import type { EventStore } from '../events/eventStore.js';
import type { FlowRepository } from '../store/flowRepository.js';
import type { Pool } from '../store/pool.js';
import type { CallService } from './callService.js';
import { errorHandler } from './httpErrors.js';
import { callFlowRoutes } from './routes/callFlows.js';
import { callRoutes } from './routes/calls.js';

export interface AppDeps {
  calls: CallService;
  flows: FlowRepository;
  events: EventStore;
  pool: Pool;
  log: Logger;
}

/** The REST API: calls and call flows, JSON in and out. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.use(errorHandler(deps.log));
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: '256kb',
      onError: (error, ctx) => ctx.throw(400, `body is not valid JSON: ${error.message}`),
    }),
  );
  for (const router of [callRoutes(deps.calls), callFlowRoutes(deps)]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  app.use(async (ctx, next) => {
    if (ctx.path === '/health') ctx.body = { ok: true };
    else await next();
  });
  return app;
}
