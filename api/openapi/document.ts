/** The OpenAPI 3.1 document of the REST API. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Hold Slayer API', version: '0.1.0' },
    paths: {},
  };
}
