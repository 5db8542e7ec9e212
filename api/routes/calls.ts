import Router from '@koa/router';
import type { CallService } from '../callService.js';
import { parseWith } from '../../validation/issues.js';
import { cancelCallSchema, startCallSchema } from '../schemas.js';

export function callRoutes(calls: CallService): Router {
  const router = new Router({ prefix: '/api/calls' });

  router.post('/', async (ctx) => {
    const body = parseWith(startCallSchema, ctx.request.body, 'call request');
    const started = await calls.start(body);
    ctx.status = 201;
    ctx.set('Location', `/api/calls/${started.id}`);
    ctx.body = { id: started.id, flow: started.flow, status_url: `/api/calls/${started.id}` };
  });

  router.get('/:id', async (ctx) => {
    ctx.body = await calls.status(ctx.params.id!);
  });

  router.post('/:id/cancel', async (ctx) => {
    const body = parseWith(cancelCallSchema, ctx.request.body ?? {}, 'cancel request');
    await calls.cancel(ctx.params.id!, body.reason);
    ctx.status = 202;
    ctx.body = { id: ctx.params.id, requested: 'cancel' };
  });

  router.post('/:id/connect', async (ctx) => {
    await calls.connectNow(ctx.params.id!);
    ctx.status = 202;
    ctx.body = { id: ctx.params.id, requested: 'connect' };
  });

  return router;
}
