import { SESSION_COOKIE } from '../../apiKeyAuth.js';
import { errors } from '../errors.js';
import { jsonBody, pathParameter, schemaRef } from '../parts.js';
import { open } from '../security.js';
import type { Header, MediaType, Paths } from '../types.js';

const TAG = 'dashboard';

/** The page's files; the route keeps the list to itself, so it is repeated here. */
const ASSET_TYPES = {
  'index.html': 'text/html',
  'dashboard.js': 'text/javascript',
  'dashboard.css': 'text/css',
} as const;

const page: MediaType = { schema: { type: 'string' } };

const setCookie = (what: string): Record<string, Header> => ({
  'Set-Cookie': {
    description: `${what} the \`${SESSION_COOKIE}\` cookie.`,
    schema: { type: 'string' },
    required: true,
  },
});

/** The dashboard: a page that loads without a key, and the sign-in that keeps the key as a cookie. */
export function dashboardPaths(): Paths {
  return {
    '/': {
      get: {
        operationId: 'dashboardRedirect',
        summary: 'To the dashboard',
        tags: [TAG],
        security: open,
        responses: {
          '302': {
            description: 'Found: the dashboard is at /dashboard.',
            headers: {
              Location: { description: '/dashboard', schema: { type: 'string' }, required: true },
            },
          },
        },
      },
    },
    '/dashboard': {
      get: {
        operationId: 'dashboardPage',
        summary: 'The dashboard page',
        description:
          "Nothing in the page is a call's data, so it loads without a key; the calls it shows are read with the key its sign-in keeps.",
        tags: [TAG],
        security: open,
        responses: {
          '200': { description: 'The page.', content: { 'text/html': page } },
        },
      },
    },
    '/dashboard/{asset}': {
      parameters: [
        pathParameter('asset', "One of the page's files.", {
          type: 'string',
          enum: Object.keys(ASSET_TYPES),
        }),
      ],
      get: {
        operationId: 'dashboardAsset',
        summary: "One of the page's files",
        tags: [TAG],
        security: open,
        responses: {
          '200': {
            description: 'The file.',
            content: Object.fromEntries(Object.values(ASSET_TYPES).map((type) => [type, page])),
          },
          ...errors([404, 'The dashboard has no such file (code `not_found`).']),
        },
      },
    },
    '/dashboard/session': {
      post: {
        operationId: 'signIn',
        summary: 'Sign the dashboard in',
        description:
          "Checks the key and, if the API accepts it, has the browser keep it as an HttpOnly, SameSite=Strict cookie that this site's requests carry.",
        tags: [TAG],
        security: open,
        requestBody: jsonBody('The key.', schemaRef('SignInRequest')),
        responses: {
          '204': { description: 'Signed in.', headers: setCookie('Sets') },
          ...errors(
            400,
            [401, 'The API does not accept this key (code `unauthorized`).'],
            413,
            415,
          ),
        },
      },
      delete: {
        operationId: 'signOut',
        summary: 'Sign the dashboard out',
        tags: [TAG],
        security: open,
        responses: {
          '204': { description: 'Signed out.', headers: setCookie('Clears') },
        },
      },
    },
  };
}
