import Router from '@koa/router';
import type { Context } from 'koa';
import { CALLED_NUMBERS, type CallService } from '../callService.js';
import type { ByHandResult } from '../../workflows/definitions.js';
import { parseWith } from '../../validation/issues.js';
import { refuseNumbers } from '../numberRefusals.js';
import {
  callListQuerySchema,
  cancelCallSchema,
  sayTextSchema,
  sendDigitsSchema,
  startCallSchema,
} from '../schemas.js';

export function callRoutes(calls: CallService): Router {
  const router = new Router({ prefix: '/api/calls' });

  router.post('/', async (ctx) => {
    refuseNumbers(ctx.request.body, CALLED_NUMBERS, calls.refusedNumbers);
    const body = parseWith(startCallSchema, ctx.request.body, 'call request');
    const started = await calls.start(body);
    ctx.status = 201;
    ctx.set('Location', `/api/calls/${started.id}`);
    ctx.body = { id: started.id, flow: started.flow, status_url: `/api/calls/${started.id}` };
  });

  // Calls in progress show their step and hold time; ended ones their outcome, hold time and flow version.
  router.get('/', async (ctx) => {
    const query = parseWith(callListQuerySchema, ctx.query, 'call list query');
    ctx.body = await calls.list({
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
      ...(query.company ? { company: query.company } : {}),
      ...(query.phone_number ? { phoneNumber: query.phone_number } : {}),
      ...(query.outcome ? { outcome: query.outcome } : {}),
      ...(query.flow_id ? { flowId: query.flow_id } : {}),
      ...(query.after ? { after: query.after } : {}),
    });
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

  router.post('/:id/digits', async (ctx) => {
    const { digits } = parseWith(sendDigitsSchema, ctx.request.body, 'digits request');
    answerByHand(ctx, await calls.sendDigits(ctx.params.id!, digits));
  });

  router.post('/:id/say', async (ctx) => {
    const { text } = parseWith(sayTextSchema, ctx.request.body, 'say request');
    answerByHand(ctx, await calls.say(ctx.params.id!, text));
  });

  return router;
}

/** 200 once the line has them (or with why not), 202 while the step under way still runs. */
function answerByHand(ctx: Context, result: ByHandResult | 'queued'): void {
  if (result === 'queued') {
    ctx.status = 202;
    ctx.body = {
      id: ctx.params.id,
      sent: null,
      reason: 'queued: they go out when the step under way ends',
    };
  } else {
    ctx.status = 200;
    ctx.body = { id: ctx.params.id, ...result };
  }
}
