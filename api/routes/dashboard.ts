import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { projectRoot } from '../../config/paths.js';
import { parseWith } from '../../validation/issues.js';
import { SESSION_COOKIE, type ApiKeys } from '../apiKeyAuth.js';
import { HttpError } from '../httpErrors.js';

const DASHBOARD_DIR = path.join(projectRoot, 'dashboard');

/** The page and its assets: nothing in them is a call's data, so they load without a key. */
const ASSETS: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

/** What the page itself may load and run: its own files and the API, nothing from elsewhere. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'";

const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;

const sessionSchema = z.strictObject({ key: z.string().min(1).max(500) });

/** The page, its assets and the sign-in that gives the browser its key as a cookie: open to all. */
export function isDashboardLogin(ctx: Context): boolean {
  return ctx.path === '/' || ctx.path === '/dashboard' || ctx.path.startsWith('/dashboard/');
}

export function dashboardRoutes(keys: ApiKeys): Router {
  const router = new Router();

  router.get('/', (ctx) => ctx.redirect('/dashboard'));

  router.get('/dashboard', (ctx) => serve(ctx, 'index.html'));
  router.get('/dashboard/:asset', async (ctx) => {
    const asset = ctx.params.asset!;
    if (!Object.hasOwn(ASSETS, asset)) throw new HttpError(404, `the dashboard has no ${asset}`);
    await serve(ctx, asset);
  });

  // The page posts the key a person typed; the browser keeps it as a cookie only this site's requests carry.
  router.post('/dashboard/session', (ctx) => {
    const { key } = parseWith(sessionSchema, ctx.request.body, 'sign-in');
    if (!keys.accepts(key)) throw new HttpError(401, 'the API key given is not valid');
    ctx.cookies.set(SESSION_COOKIE, key, {
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.secure,
      maxAge: SESSION_MAX_AGE_MS,
      path: '/',
      overwrite: true,
    });
    ctx.status = 204;
  });

  router.delete('/dashboard/session', (ctx) => {
    ctx.cookies.set(SESSION_COOKIE, null, { path: '/', overwrite: true });
    ctx.status = 204;
  });

  return router;
}

async function serve(ctx: Context, asset: string): Promise<void> {
  ctx.type = ASSETS[asset]!;
  ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Cache-Control', 'no-cache');
  ctx.body = await readFile(path.join(DASHBOARD_DIR, asset));
}
