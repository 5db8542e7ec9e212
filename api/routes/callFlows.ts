import Router from '@koa/router';
import type { EventStore } from '../../events/eventStore.js';
import { flowDefinitionSchema } from '../../flows/model.js';
import { NothingToLearn, relearn, relearnScope } from '../../learner/relearn.js';
import type { RefusedNumberRules } from '../../safety/refusedNumbers.js';
import type { Pool } from '../../store/pool.js';
import type { FlowRepository } from '../../store/flowRepository.js';
import { issuesOf, parseWith } from '../../validation/issues.js';
import { HttpError, notFound } from '../httpErrors.js';
import { refuseNumbers, refusedNumberIssues } from '../numberRefusals.js';
import {
  flowListQuerySchema,
  flowVersionParamSchema,
  flowVersionQuerySchema,
  learnSchema,
} from '../schemas.js';

export interface CallFlowRouteDeps {
  flows: FlowRepository;
  /** For learning again from stored calls. */
  events: EventStore;
  pool: Pool;
  /** A flow for a number never dialled would never run: refused when written. */
  refused: RefusedNumberRules;
}

export function callFlowRoutes({ flows, events, pool, refused }: CallFlowRouteDeps): Router {
  const router = new Router({ prefix: '/api/call-flows' });

  /** A flow as written in a request: refused numbers first, then the whole schema. */
  const definitionIn = (body: unknown) => {
    refuseNumbers(body, ['phone_number'], refused);
    return parseWith(flowDefinitionSchema, body, 'call flow');
  };

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

  // Checks a flow as a whole, as creating it would, and stores nothing: a bad flow is an answer here, not an error.
  router.post('/validate', (ctx) => {
    const refusals = refusedNumberIssues(ctx.request.body, ['phone_number'], refused);
    const result = flowDefinitionSchema.safeParse(ctx.request.body);
    const issues = [...refusals, ...(result.success ? [] : issuesOf(result.error))];
    ctx.body = { valid: issues.length === 0, issues };
  });

  router.get('/', async (ctx) => {
    const query = parseWith(flowListQuerySchema, ctx.query, 'flow list query');
    ctx.type = 'application/json';
    ctx.body = await flows.listAsJson({
      ...(query.company ? { company: query.company } : {}),
      ...(query.tag ? { tag: query.tag } : {}),
      ...(query.phone_number ? { phoneNumber: query.phone_number } : {}),
    });
  });

  router.post('/', async (ctx) => {
    const flow = await flows.create(definitionIn(ctx.request.body), 'api');
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

  // A flow's steps never change in place: the whole flow, sent again, becomes its next version.
  router.put('/:id', async (ctx) => {
    const flow = await flows.addVersion(ctx.params.id!, definitionIn(ctx.request.body), 'api');
    if (!flow) throw notFound(`call flow ${ctx.params.id}`);
    ctx.body = flow;
  });

  router.delete('/:id', async (ctx) => {
    if (!(await flows.delete(ctx.params.id!))) throw notFound(`call flow ${ctx.params.id}`);
    ctx.status = 204;
  });

  router.get('/:id/versions', async (ctx) => {
    const versions = await flows.versions(ctx.params.id!);
    if (!versions) throw notFound(`call flow ${ctx.params.id}`);
    ctx.body = versions;
  });

  router.get('/:id/versions/:version', async (ctx) => {
    const version = parseWith(flowVersionParamSchema, ctx.params.version, 'flow version');
    const flow = await flows.get(ctx.params.id!, version);
    if (!flow) throw notFound(`call flow ${ctx.params.id} version ${version}`);
    ctx.body = flow;
  });

  return router;
}
