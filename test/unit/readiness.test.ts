import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { operationRoutes, type ReadinessCheck } from '../../api/routes/operations.js';
import { ApiMetrics } from '../../metrics/apiMetrics.js';
import type { Pool } from '../../store/pool.js';

/** The readiness route on its own, with checks that answer, fail, or never answer. */
async function readiness(checks: ReadinessCheck[]) {
  const app = new Koa();
  // The metrics route is not called here: its pool is never asked for anything.
  const router = operationRoutes({ readiness: checks, metrics: new ApiMetrics({} as Pool) });
  app.use(router.routes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/ready`);
    return { status: response.status, body: (await response.json()) as unknown };
  } finally {
    server.close();
  }
}

describe('readiness', () => {
  it('is ready when every check answers', async () => {
    const answer = await readiness([
      { name: 'postgres', check: async () => undefined },
      { name: 'temporal', check: async () => undefined },
    ]);
    expect(answer).toEqual({
      status: 200,
      body: { ready: true, checks: { postgres: 'ok', temporal: 'ok' } },
    });
  });

  it('answers 503 naming what failed and what did not answer in time', async () => {
    const answer = await readiness([
      { name: 'postgres', check: async () => undefined },
      { name: 'temporal', check: () => Promise.reject(new Error('connection refused')) },
      { name: 'event_store', check: () => new Promise<void>(() => undefined) },
    ]);
    expect(answer).toEqual({
      status: 503,
      body: {
        ready: false,
        checks: {
          postgres: 'ok',
          temporal: 'connection refused',
          event_store: 'no answer in 2000 ms',
        },
      },
    });
  });
});
