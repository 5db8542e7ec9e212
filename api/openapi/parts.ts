import type { Header, JsonSchema, MediaType, Parameter, RequestBody, Response } from './types.js';

/** A schema of components.schemas, by name. */
export const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export const jsonContent = (schema: JsonSchema): Record<string, MediaType> => ({
  'application/json': { schema },
});

export const jsonResponse = (description: string, schema: JsonSchema): Response => ({
  description,
  content: jsonContent(schema),
});

export const jsonBody = (
  description: string,
  schema: JsonSchema,
  required = true,
): RequestBody => ({
  description,
  required,
  content: jsonContent(schema),
});

export const pathParameter = (
  name: string,
  description: string,
  schema: JsonSchema = { type: 'string', minLength: 1 },
): Parameter => ({ name, in: 'path', required: true, description, schema });

/** Where a created resource is read from. */
export const locationHeader = (what: string): Record<string, Header> => ({
  Location: { description: `The path of ${what}.`, schema: { type: 'string' }, required: true },
});

/**
 * An object whose every key is listed in the TypeScript type it documents:
 * adding, renaming or removing a field there fails the type check here
 * until this description follows. Keys in `optional` may be absent.
 */
export function objectSchema<T>(
  properties: { [K in keyof T & string]-?: JsonSchema },
  options: { description?: string; optional?: ReadonlyArray<keyof T & string> } = {},
): JsonSchema {
  const optional = new Set<string>(options.optional ?? []);
  return {
    type: 'object',
    ...(options.description ? { description: options.description } : {}),
    properties,
    required: Object.keys(properties).filter((key) => !optional.has(key)),
  };
}

export const nullable = (schema: JsonSchema): JsonSchema => ({
  anyOf: [schema, { type: 'null' }],
});

export const dateTime = (description: string): JsonSchema => ({
  type: 'string',
  format: 'date-time',
  description,
});
