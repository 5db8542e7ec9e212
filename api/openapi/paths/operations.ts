import { Registry } from 'prom-client';
import { errors } from '../errors.js';
import { jsonResponse, schemaRef } from '../parts.js';
import { open } from '../security.js';
import type { Paths } from '../types.js';

const TAG = 'operations';

/** Probes for the process and what it needs, and its metrics. */
export function operationPaths(): Paths {
  return {
    '/health': {
      get: {
        operationId: 'health',
        summary: 'Whether the process is up',
        description: 'For a liveness probe: restart the process if this does not answer.',
        tags: [TAG],
        security: open,
        responses: { '200': jsonResponse('The process is up.', schemaRef('Health')) },
      },
    },
    '/ready': {
      get: {
        operationId: 'ready',
        summary: 'Whether everything the API needs answers',
        description:
          'For a load balancer: send requests only while this answers 200. Each check has two seconds to answer.',
        tags: [TAG],
        security: open,
        responses: {
          '200': jsonResponse('Every check answered.', schemaRef('Readiness')),
          '503': jsonResponse(
            'Some check did not answer; `checks` says which and why. (The readiness body, not an ErrorBody.)',
            schemaRef('Readiness'),
          ),
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        summary: 'Metrics for Prometheus',
        tags: [TAG],
        responses: {
          '200': {
            description: "The API's metrics in Prometheus' text format.",
            content: { [Registry.PROMETHEUS_CONTENT_TYPE]: { schema: { type: 'string' } } },
          },
          ...errors(401),
        },
      },
    },
  };
}
