import { errorBodySchema, validationIssueSchema } from './errors.js';
import { eventSchemas } from './eventSchemas.js';
import { callEventPaths } from './paths/callEvents.js';
import { callFlowPaths } from './paths/callFlows.js';
import { callPaths } from './paths/calls.js';
import { dashboardPaths } from './paths/dashboard.js';
import { documentationPaths } from './paths/documentation.js';
import { operationPaths } from './paths/operations.js';
import { requestSchemas } from './requestSchemas.js';
import { responseSchemas } from './responseSchemas.js';
import { anyApiKey, securitySchemes } from './security.js';
import { HTTP_METHODS, type Header, type OpenApiDocument, type Paths } from './types.js';

const REQUEST_ID: Header = {
  description:
    "The request's id: the client's own X-Request-Id when it sent a usable one (1-100 letters, digits, '.', '_' or '-'), else a new UUID.",
  schema: { type: 'string' },
  required: true,
};

/** The request id goes out on every response, so the document says so once, here. */
function withRequestId(paths: Paths): Paths {
  for (const item of Object.values(paths))
    for (const method of HTTP_METHODS)
      for (const response of Object.values(item[method]?.responses ?? {}))
        response.headers = {
          'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
          ...response.headers,
        };
  return paths;
}

/** Parts written apart, joined: a name given twice would silently drop one, so it fails instead. */
function joined<T>(...parts: Array<Record<string, T>>): Record<string, T> {
  const all: Record<string, T> = {};
  for (const part of parts)
    for (const [name, value] of Object.entries(part)) {
      if (Object.hasOwn(all, name)) throw new Error(`the OpenAPI document names ${name} twice`);
      all[name] = value;
    }
  return all;
}

/** The OpenAPI 3.1 document of the REST API. */
export function openApiDocument(): OpenApiDocument {
  // Schemas are module constants: each document gets its own copies, so a change to one reaches no other.
  return structuredClone({
    openapi: '3.1.0',
    info: {
      title: 'Hold Slayer API',
      version: '0.1.0',
      description: [
        'Calls companies for you: walks their phone menus, waits on hold, and bridges the first live human to your phone.',
        'Every request but the health checks and the dashboard (its page and sign-in) needs an API key.',
        'Bodies are JSON: a body of another type is refused with 415, one over the configured limit with 413, malformed JSON with 400.',
        'Every error has the ErrorBody shape; an unknown path is a 404 and a method a path does not take a 405, in that shape too.',
      ].join(' '),
    },
    tags: [
      { name: 'operations', description: 'Health, readiness and metrics.' },
      { name: 'calls', description: 'Calls placed, listed, read and steered while they run.' },
      {
        name: 'call events',
        description: 'What calls discovered and did, as lists and live streams.',
      },
      {
        name: 'call flows',
        description: "Paths through companies' phone menus: written, checked, learned, versioned.",
      },
      { name: 'documentation', description: 'This document.' },
      { name: 'dashboard', description: 'The web page, and its sign-in.' },
    ],
    security: anyApiKey,
    paths: withRequestId(
      joined(
        operationPaths(),
        callPaths(),
        callEventPaths(),
        callFlowPaths(),
        documentationPaths(),
        dashboardPaths(),
      ),
    ),
    components: {
      schemas: joined(
        { ErrorBody: errorBodySchema, ValidationIssue: validationIssueSchema },
        requestSchemas(),
        responseSchemas(),
        eventSchemas(),
      ),
      securitySchemes,
      headers: { 'X-Request-Id': REQUEST_ID },
    },
  } satisfies OpenApiDocument);
}
