import { Validator } from '@seriousme/openapi-schema-validator';
import { apiRouters, type AppDeps } from '../../api/app.js';
import { openApiDocument } from '../../api/openapi/document.js';
import { HTTP_METHODS, type OpenApiDocument, type Parameter } from '../../api/openapi/types.js';

const document: OpenApiDocument = openApiDocument();

/** "GET /api/calls/{id}": one route, as the document writes its paths. */
type Route = string;

function routesOfRouters(): Set<Route> {
  // Building a router only registers its routes; the handlers, which alone use these
  // dependencies, never run here, so empty stand-ins are enough and no database is needed.
  const routers = apiRouters({} as AppDeps);
  const routes = new Set<Route>();
  for (const router of routers)
    for (const layer of router.stack) {
      if (typeof layer.path !== 'string')
        throw new Error(`a route is a regular expression: ${String(layer.path)}`);
      const path = layer.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      for (const method of layer.methods)
        if (method !== 'HEAD') routes.add(`${method.toUpperCase()} ${path}`);
    }
  return routes;
}

function routesOfDocument(): Set<Route> {
  const routes = new Set<Route>();
  for (const [path, item] of Object.entries(document.paths))
    for (const method of HTTP_METHODS)
      if (item[method]) routes.add(`${method.toUpperCase()} ${path}`);
  return routes;
}

const missingFrom = (routes: Set<Route>, from: Set<Route>): Route[] =>
  [...routes].filter((route) => !from.has(route)).sort();

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    // A copy, since the validator keeps what it is given.
    const result = await validator.validate(structuredClone(document));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every route the routers register, and no other', () => {
    const registered = routesOfRouters();
    const documented = routesOfDocument();
    expect(registered.size).toBeGreaterThan(0);
    expect({
      registeredButNotDocumented: missingFrom(registered, documented),
      documentedButNotRegistered: missingFrom(documented, registered),
    }).toEqual({ registeredButNotDocumented: [], documentedButNotRegistered: [] });
  });

  it("declares each path template's parameters, and only those, as required path parameters", () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).sort();
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const declared: Parameter[] = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
        const inPath = declared.filter((p) => p.in === 'path');
        const names = inPath.map((p) => p.name).sort();
        const where = `${method.toUpperCase()} ${path}`;
        for (const name of inTemplate)
          if (!names.includes(name)) problems.push(`${where}: {${name}} is not declared`);
        for (const name of names)
          if (!inTemplate.includes(name)) problems.push(`${where}: ${name} is not in the path`);
        for (const p of inPath)
          if (!p.required) problems.push(`${where}: path parameter ${p.name} is not required`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every operation its own id', () => {
    const ids = Object.values(document.paths).flatMap((item) =>
      HTTP_METHODS.flatMap((method) => (item[method] ? [item[method].operationId] : [])),
    );
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(repeated).toEqual([]);
  });

  it('leaves open only the health checks and the dashboard', () => {
    const open = Object.entries(document.paths)
      .flatMap(([path, item]) =>
        HTTP_METHODS.flatMap((method) =>
          item[method]?.security?.length === 0 ? [`${method.toUpperCase()} ${path}`] : [],
        ),
      )
      .sort();
    expect(open).toEqual(
      [
        'GET /health',
        'GET /ready',
        'GET /',
        'GET /dashboard',
        'GET /dashboard/{asset}',
        'POST /dashboard/session',
        'DELETE /dashboard/session',
      ].sort(),
    );
    expect(document.security.length).toBeGreaterThan(0);
  });
});
