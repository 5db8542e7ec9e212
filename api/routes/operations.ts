import Router from '@koa/router';
import type { ApiMetrics } from '../../metrics/apiMetrics.js';

/** One thing the API needs to serve requests, and how to ask it whether it answers. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

const CHECK_DEADLINE_MS = 2000;

async function within(check: ReadinessCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer in ${CHECK_DEADLINE_MS} ms`)),
      CHECK_DEADLINE_MS,
    );
  });
  try {
    await Promise.race([check.check(), late]);
    return 'ok';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Health says the process is up (for a liveness probe: restart it if not);
 * readiness says everything it needs answers (for a load balancer: send it
 * requests only then); metrics are for Prometheus, behind the API key.
 */
export function operationRoutes(deps: {
  readiness: ReadinessCheck[];
  metrics: ApiMetrics;
}): Router {
  const router = new Router();

  router.get('/health', (ctx) => {
    ctx.body = { ok: true };
  });

  router.get('/ready', async (ctx) => {
    const results = await Promise.all(deps.readiness.map(within));
    const checks = Object.fromEntries(deps.readiness.map((c, i) => [c.name, results[i]!]));
    const ready = results.every((r) => r === 'ok');
    ctx.status = ready ? 200 : 503;
    ctx.body = { ready, checks };
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });

  return router;
}
