import { errors } from '../errors.js';
import { jsonResponse } from '../parts.js';
import type { Paths } from '../types.js';

/** The document describing itself. */
export function documentationPaths(): Paths {
  return {
    '/api/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        tags: ['documentation'],
        responses: {
          '200': jsonResponse('The OpenAPI 3.1 document of the API.', { type: 'object' }),
          ...errors(401),
        },
      },
    },
  };
}
