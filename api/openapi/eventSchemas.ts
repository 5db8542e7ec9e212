import { z } from 'zod';
import { callEventSchemas } from '../../events/callEvents.js';
import type { CallEventView } from '../routes/callEvents.js';
import { componentSchemasOf } from './fromZod.js';
import { dateTime, objectSchema, schemaRef } from './parts.js';
import type { JsonSchema } from './types.js';

/**
 * A call's events as the API shows them. Each type's data is written from
 * the schema events are read with (at today's version), so it cannot drift
 * from what the routes send.
 */

/** call.menu_heard → CallMenuHeardData */
const dataSchemaName = (type: string): string =>
  `${type
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')}Data`;

const TYPES = Object.keys(callEventSchemas);

function eventDataSchemas(): Record<string, JsonSchema> {
  const named = z.registry<{ id: string; description: string }>();
  for (const [type, schema] of Object.entries(callEventSchemas))
    named.add(schema, { id: dataSchemaName(type), description: `The data of a ${type} event.` });
  return componentSchemasOf(named, 'output');
}

const callEventView: JsonSchema = {
  ...objectSchema<CallEventView>(
    {
      call_id: { type: 'string' },
      revision: {
        type: 'integer',
        minimum: 0,
        description: "Its place in the call's stream, from 0.",
      },
      position: {
        type: 'string',
        pattern: '^\\d+:\\d+$',
        description: "Its place among all calls' events.",
      },
      type: { type: 'string', examples: TYPES },
      occurred_at: dateTime('When it happened on the call.'),
      data: {
        description:
          'What the event says, in the shape its type has today; an event of a type this API does not know is shown as stored.',
      },
    },
    { description: 'One thing a call discovered or did.' },
  ),
  // Each known type fixes the shape of data; any other leaves it open, as the route does.
  allOf: TYPES.map((type) => ({
    if: { properties: { type: { const: type } }, required: ['type'] },
    then: { properties: { data: schemaRef(dataSchemaName(type)) } },
  })),
};

export function eventSchemas(): Record<string, JsonSchema> {
  return { CallEventView: callEventView, ...eventDataSchemas() };
}
