import type { Context, Middleware } from 'koa';
import type { Logger } from '../runtime/logger.js';
import { ValidationError, type ValidationIssue } from '../validation/issues.js';

/** The one shape every error response has. */
export interface ErrorBody {
  /** What went wrong, for a person. */
  error: string;
  /** What went wrong, for a program: stable across releases. */
  code: string;
  /** Each bad field, by path, when the request named some. */
  details: ValidationIssue[];
  request_id: string;
}

/** The code an error has when nothing more precise is said. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  500: 'internal',
  501: 'not_implemented',
  503: 'unavailable',
};

export function codeFor(status: number): string {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'invalid_request');
}

/** An error with the HTTP status it should answer with. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: ValidationIssue[] = [],
    readonly code: string = codeFor(status),
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, `${what} not found`);

function send(
  ctx: Context,
  status: number,
  error: string,
  code: string,
  details: ValidationIssue[],
) {
  ctx.status = status;
  const body: ErrorBody = { error, code, details, request_id: String(ctx.state.requestId ?? '') };
  ctx.body = body;
}

/**
 * Every error becomes an ErrorBody, including the ones Koa and the router
 * answer with no body (an unknown route, a method a route lacks); only
 * unexpected ones are logged as failures.
 */
export function errorHandler(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null) {
        send(ctx, 404, `no route for ${ctx.method} ${ctx.path}`, 'not_found', []);
      } else if (ctx.status === 405 && ctx.body == null) {
        const allowed = ctx.response.get('Allow');
        send(
          ctx,
          405,
          `${ctx.path} does not take ${ctx.method}; it takes ${allowed}`,
          'method_not_allowed',
          [],
        );
      } else if (ctx.status === 501 && ctx.body == null) {
        send(ctx, 501, `the API does not take the method ${ctx.method}`, 'not_implemented', []);
      }
    } catch (e) {
      if (e instanceof ValidationError) send(ctx, 400, e.message, 'invalid_request', e.issues);
      else if (e instanceof HttpError) send(ctx, e.status, e.message, e.code, e.details);
      else if (isClientError(e)) {
        // Koa's body parser and ctx.throw: too large, not JSON, wrong charset...
        send(ctx, e.status, `the request could not be read: ${e.message}`, codeFor(e.status), []);
      } else {
        log.error({ err: e, path: ctx.path, requestId: ctx.state.requestId }, 'request failed');
        send(ctx, 500, 'internal error', 'internal', []);
      }
    }
  };
}

function isClientError(e: unknown): e is { status: number; message: string } {
  return (
    typeof e === 'object' &&
    e !== null &&
    'status' in e &&
    typeof e.status === 'number' &&
    e.status >= 400 &&
    e.status < 500
  );
}
