import Router from '@koa/router';
import type { EventStore } from '../../events/eventStore.js';
import { flowDefinitionSchema } from '../../flows/model.js';
import { NothingToLearn, relearn, relearnScope } from '../../learner/relearn.js';
import type { Pool } from '../../store/pool.js';
import type { FlowRepository } from '../../store/flowRepository.js';
import { parseWith } from '../../validation/issues.js';
import { HttpError, notFound } from '../httpErrors.js';
import { flowListQuerySchema, flowVersionQuerySchema, learnSchema } from '../schemas.js';

export interface CallFlowRouteDeps {
  flows: FlowRepository;
  /** For learning again from stored calls. */
  events: EventStore;
  pool: Pool;
}

export function callFlowRoutes({ flows, events, pool }: CallFlowRouteDeps): Router {
  const router = new Router({ prefix: '/api/call-flows' });

  // Replays stored calls through the current learner: new versions, or with dry_run the difference only.
  router.post('/learn', async (ctx) => {
    const body = parseWith(learnSchema, ctx.request.body, 'learn request');
    const scope = relearnScope({ callId: body.call_id, phoneNumber: body.phone_number });
    try {
      const flowsLearned = await relearn(events, pool, scope, { dryRun: body.dry_run });
      ctx.body = { dry_run: body.dry_run, flows: flowsLearned };
    } catch (e) {
      if (e instanceof NothingToLearn) throw new HttpError(422, e.message);
      throw e;
    }
  });

  router.get('/', async (ctx) => {
    const query = parseWith(flowListQuerySchema, ctx.query, 'flow list query');
    ctx.body = await flows.list({
      ...(query.company ? { company: query.company } : {}),
      ...(query.tag ? { tag: query.tag } : {}),
      ...(query.phone_number ? { phoneNumber: query.phone_number } : {}),
    });
  });

  router.post('/', async (ctx) => {
    const definition = parseWith(flowDefinitionSchema, ctx.request.body, 'call flow');
    const flow = await flows.create(definition, 'api');
    ctx.status = 201;
    ctx.set('Location', `/api/call-flows/${flow.id}`);
    ctx.body = flow;
  });

  router.get('/:id', async (ctx) => {
    const { version } = parseWith(flowVersionQuerySchema, ctx.query, 'flow query');
    const flow = await flows.get(ctx.params.id!, version);
    if (!flow)
      throw notFound(
        version ? `call flow ${ctx.params.id} version ${version}` : `call flow ${ctx.params.id}`,
      );
    ctx.body = flow;
  });

  return router;
}
