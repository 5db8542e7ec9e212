import { z } from 'zod';
import type { JsonSchema } from './types.js';

/**
 * zod schemas written as JSON Schema 2020-12, the dialect of OpenAPI 3.1.
 * A schema zod cannot write throws, so that nothing the API checks is left
 * out of its document unnoticed.
 */

type Io = 'input' | 'output';

const options = (io: Io) => ({ target: 'draft-2020-12', io, unrepresentable: 'throw' }) as const;

/** A schema as its own JSON Schema document would have it, less what would be wrong inside OpenAPI's. */
function embedded(schema: JsonSchema): JsonSchema {
  // Every schema here shares the document's dialect, and a fragment is not a valid $id.
  const rest = { ...schema };
  delete rest.$schema;
  delete rest.$id;
  return rest;
}

/** One schema, with anything it reuses inlined. */
export function jsonSchemaOf(schema: z.ZodType, io: Io): JsonSchema {
  return embedded(z.toJSONSchema(schema, options(io)));
}

/** Every schema of a registry, by its id, each referring to the others in components.schemas. */
export function componentSchemasOf(
  registry: z.core.$ZodRegistry<{ id: string }>,
  io: Io,
): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, {
    ...options(io),
    // The registry's own entries carry the descriptions, as well as the ids.
    metadata: registry,
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [name, embedded(schema)]),
  );
}
