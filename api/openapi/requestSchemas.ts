import { z } from 'zod';
import {
  conditionSchema,
  e164Schema,
  flowDefinitionSchema,
  stepSchema,
} from '../../flows/model.js';
import { deviceSchema } from '../../media/telephony/sim/protocol.js';
import {
  cancelCallSchema,
  learnSchema,
  sayTextSchema,
  sendDigitsSchema,
  startCallSchema,
} from '../schemas.js';
import { componentSchemasOf, jsonSchemaOf } from './fromZod.js';
import type { JsonSchema, Parameter } from './types.js';

/**
 * What requests may carry, written from the zod schemas that validate them,
 * so that the document cannot drift from what the API accepts. Refinements
 * (a step's type deciding its fields, a flow's steps forming a graph...)
 * have no JSON Schema form: the descriptions say them in words.
 */

/** Request bodies and what they share, named: each refers to the others by $ref into components.schemas. */
function namedRequests(): z.core.$ZodRegistry<{ id: string; description: string }> {
  const named = z.registry<{ id: string; description: string }>();
  named.add(e164Schema, { id: 'PhoneNumber', description: 'An E.164 number, e.g. +18005550100.' });
  named.add(deviceSchema, {
    id: 'Device',
    description:
      "The user's own phone, rung when a person answers: an E.164 number, a SIP URI (sip:user@host) or a simulated phone (sim:name).",
  });
  named.add(conditionSchema, {
    id: 'FlowCondition',
    description:
      'A branch of a LISTEN step: `pattern` is a case-insensitive regular expression matched against what the step heard.',
  });
  named.add(stepSchema, {
    id: 'FlowStepInput',
    description: [
      'One step of a flow, as written. Also checked: a DTMF step needs `dtmf`, which only DTMF and LISTEN steps take;',
      'a SPEAK step needs `metadata.text` or `metadata.audio` (a WAV file name); only a LISTEN step has `conditions`',
      'or `metadata.expect`; only a HOLD step has `metadata.recordings`. `timeout` defaults by type.',
    ].join(' '),
  });
  named.add(flowDefinitionSchema, {
    id: 'FlowDefinition',
    description:
      "A call flow as written: a path through one company's phone menu, run from its first step. Also checked: step ids are unique; every next_step names a step of the flow; every step is reached; no loop lacks a LISTEN or HOLD step; each timeout is within its type's bounds; a TRANSFER step has no next_step.",
  });
  named.add(startCallSchema, {
    id: 'StartCallRequest',
    description: [
      "A call to place. With `flow` absent the call follows the flow learned for its number and errand, else the number's latest flow stored through the API;",
      'with `flow: null`, none (the call explores the menus).',
      'Secrets are DTMF keys, keyed in when a step asks for {secret:NAME}: kept encrypted, never logged.',
    ].join(' '),
  });
  named.add(cancelCallSchema, {
    id: 'CancelCallRequest',
    description: 'Why the call is cancelled.',
  });
  named.add(sendDigitsSchema, {
    id: 'SendDigitsRequest',
    description:
      'Keys in DTMF notation: 0-9, *, #, A-D, "w" for a half-second pause, {secret:NAME} for a secret given with the call.',
  });
  named.add(sayTextSchema, {
    id: 'SayTextRequest',
    description: 'Words to say to the far end, synthesized.',
  });
  named.add(learnSchema, {
    id: 'LearnRequest',
    description:
      'Which stored calls to learn from again: exactly one of `call_id`, `phone_number` or `all: true`. With `dry_run`, nothing is written.',
  });
  return named;
}

/** The dashboard's sign-in, by hand: its route keeps its schema to itself (z.strictObject, key 1-500 characters). */
const signInRequest: JsonSchema = {
  type: 'object',
  description: 'The API key a person typed into the dashboard.',
  properties: { key: { type: 'string', minLength: 1, maxLength: 500 } },
  required: ['key'],
  additionalProperties: false,
};

export function requestSchemas(): Record<string, JsonSchema> {
  const written = componentSchemasOf(namedRequests(), 'input');
  // The learn request's "exactly one of" is a refinement zod cannot write; JSON Schema can.
  written.LearnRequest = {
    ...written.LearnRequest,
    oneOf: [{ required: ['call_id'] }, { required: ['phone_number'] }, { required: ['all'] }],
  };
  written.SignInRequest = signInRequest;
  return written;
}

/**
 * The query parameters a strict query schema takes, one per key. Every key
 * must be described, so a key added to the schema fails the type check
 * until the document says what it does.
 */
export function queryParameters<S extends z.ZodObject>(
  schema: S,
  descriptions: { [K in keyof z.input<S> & string]-?: string },
): Parameter[] {
  const written = jsonSchemaOf(schema, 'input');
  const required = new Set(written.required ?? []);
  return Object.entries(written.properties ?? {}).map(([name, property]) => {
    if (typeof property === 'boolean') throw new Error(`query key ${name} has no schema`);
    const description = (descriptions as Record<string, string>)[name];
    if (description === undefined) throw new Error(`query key ${name} is not described`);
    return { name, in: 'query', required: required.has(name), description, schema: property };
  });
}
