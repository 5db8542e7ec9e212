import Router from '@koa/router';
import { openApiDocument } from '../openapi/document.js';

/** The API's own description, for people and for client generators. */
export function openApiRoutes(): Router {
  const router = new Router();
  const document = openApiDocument();
  router.get('/api/openapi.json', (ctx) => {
    ctx.body = document;
  });
  return router;
}
