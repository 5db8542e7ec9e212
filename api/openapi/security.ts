import { SESSION_COOKIE } from '../apiKeyAuth.js';
import type { SecurityRequirement, SecurityScheme } from './types.js';

/** The three ways a request carries the API key; any one will do. */
export const securitySchemes: Record<string, SecurityScheme> = {
  bearerKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'The API key as a bearer token: `Authorization: Bearer <key>`.',
  },
  headerKey: {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'The API key in its own header.',
  },
  dashboardSession: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description:
      'The cookie the dashboard keeps after signing in (POST /dashboard/session): HttpOnly, SameSite=Strict.',
  },
};

/** Alternatives, not a conjunction: one requirement per scheme. */
export const anyApiKey: SecurityRequirement[] = Object.keys(securitySchemes).map((name) => ({
  [name]: [],
}));

/** What an operation anyone may call says instead. */
export const open: SecurityRequirement[] = [];
