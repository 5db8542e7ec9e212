import Router from '@koa/router';
import { flowDefinitionSchema } from '../../flows/model.js';
import type { FlowRepository } from '../../store/flowRepository.js';
import { parseWith } from '../../validation/issues.js';
import { notFound } from '../httpErrors.js';
import { flowListQuerySchema, flowVersionQuerySchema } from '../schemas.js';

export function callFlowRoutes(flows: FlowRepository): Router {
  const router = new Router({ prefix: '/api/call-flows' });

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
