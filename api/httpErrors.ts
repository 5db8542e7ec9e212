import type { Middleware } from 'koa';
import type { Logger } from '../runtime/logger.js';
import { ValidationError, type ValidationIssue } from '../validation/issues.js';

/** An error with the HTTP status it should answer with. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: ValidationIssue[] = [],
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, `${what} not found`);

/** Every error becomes a JSON body `{error, details}`; only unexpected ones are logged as such. */
export function errorHandler(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new HttpError(404, `no route for ${ctx.method} ${ctx.path}`);
      }
    } catch (e) {
      if (e instanceof ValidationError) {
        ctx.status = 400;
        ctx.body = { error: e.message, details: e.issues };
      } else if (e instanceof HttpError) {
        ctx.status = e.status;
        ctx.body = { error: e.message, details: e.details };
      } else if (isBodyError(e)) {
        ctx.status = e.status;
        ctx.body = { error: `the request body could not be read: ${e.message}`, details: [] };
      } else {
        log.error({ err: e, path: ctx.path }, 'request failed');
        ctx.status = 500;
        ctx.body = { error: 'internal error', details: [] };
      }
    }
  };
}

function isBodyError(e: unknown): e is { status: number; message: string } {
  return (
    typeof e === 'object' &&
    e !== null &&
    'status' in e &&
    typeof e.status === 'number' &&
    e.status >= 400 &&
    e.status < 500
  );
}
