import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { HttpError } from './httpErrors.js';

/** The dashboard's cookie: the key a person typed in, kept by the browser for this site only. */
export const SESSION_COOKIE = 'holdslayer_key';

/** Keys compared by their digests, in constant time, so a response's timing tells nothing of a key. */
export class ApiKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw new Error('the API needs at least one key');
    this.digests = keys.map(digest);
  }

  accepts(candidate: string | undefined): boolean {
    if (!candidate) return false;
    const d = digest(candidate);
    // Every key is compared, found or not, for the same reason.
    return this.digests.reduce((ok, known) => timingSafeEqual(known, d) || ok, false);
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** The key a request carries: a bearer token, an X-API-Key header, or the dashboard's cookie. */
export function keyOf(ctx: Context): string | undefined {
  const authorization = ctx.get('Authorization');
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer) return bearer[1];
  const header = ctx.get('X-API-Key');
  if (header) return header;
  return ctx.cookies.get(SESSION_COOKIE) ?? undefined;
}

/**
 * Every request but the health checks needs a key. A browser without one
 * asking for a page is shown how to give one (see the dashboard's routes);
 * everything else gets a 401 in the API's error shape.
 */
export function requireApiKey(keys: ApiKeys, isOpen: (ctx: Context) => boolean): Middleware {
  return async (ctx, next) => {
    if (isOpen(ctx) || keys.accepts(keyOf(ctx))) return next();
    ctx.set('WWW-Authenticate', 'Bearer realm="holdslayer"');
    const given = Boolean(ctx.get('Authorization') || ctx.get('X-API-Key'));
    throw new HttpError(
      401,
      given
        ? 'the API key given is not valid'
        : 'an API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>"',
      [],
      'unauthorized',
    );
  };
}
