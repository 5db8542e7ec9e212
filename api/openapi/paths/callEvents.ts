import { errors } from '../errors.js';
import { jsonResponse, pathParameter, schemaRef } from '../parts.js';
import type { JsonSchema, Parameter, Paths, Response } from '../types.js';

const TAG = 'call events';

const callId = pathParameter('id', 'The call id.');

/** Where a reconnecting client left off, in the form the stream's ids take. */
function resumeFrom(form: string, schema: JsonSchema): Parameter[] {
  return [
    {
      name: 'Last-Event-ID',
      in: 'header',
      required: false,
      description: `The id of the last event seen (${form}): the stream starts after it. EventSource sends it when it reconnects.`,
      schema,
    },
    {
      name: 'last_event_id',
      in: 'query',
      required: false,
      description:
        'The same, for a first connection, where EventSource cannot set headers; the header wins when both are sent.',
      schema,
    },
  ];
}

const revision: JsonSchema = {
  type: 'string',
  pattern: '^[0-9]+$',
  description: "A revision of the call's stream, e.g. 4.",
};
const position: JsonSchema = {
  type: 'string',
  pattern: '^\\d+:\\d+$',
  description: "A place among all calls' events, e.g. 1234:56.",
};

function eventStream(idIs: string, start: string, ending: string): Response {
  return {
    description: [
      `Server-Sent Events, one message per event: \`id\` is ${idIs}, \`event\` its type, \`data\` a CallEventView as JSON.`,
      `${start} Each event is sent once, in order.`,
      `Comments keep the connection open while nothing happens. ${ending}`,
    ].join(' '),
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example:
          'retry: 3000\n\nid: 0\nevent: call.started\ndata: {"call_id":"call-6f1c","revision":0,"position":"1234:56","type":"call.started","occurred_at":"2026-01-01T12:00:00.000Z","data":{}}\n\n',
      },
    },
  };
}

const badLastEventId = (form: string): [400, string] => [
  400,
  `Last-Event-ID (or last_event_id) is not ${form} (code \`invalid_request\`).`,
];

/** What calls discovered and did: as a list, and live. */
export function callEventPaths(): Paths {
  return {
    '/api/calls/{id}/events': {
      parameters: [callId],
      get: {
        operationId: 'listCallEvents',
        summary: "A call's events",
        description: 'Oldest first, up to 10,000.',
        tags: [TAG],
        responses: {
          '200': jsonResponse("The call's events.", {
            type: 'array',
            items: schemaRef('CallEventView'),
          }),
          ...errors(401, [404, 'No call has this id (code `not_found`).']),
        },
      },
    },
    '/api/calls/{id}/events/stream': {
      parameters: [callId],
      get: {
        operationId: 'streamCallEvents',
        summary: "A call's events, live",
        tags: [TAG],
        parameters: resumeFrom("a revision of this call's stream", revision),
        responses: {
          '200': eventStream(
            "the event's revision",
            'The events already stored come first (those after Last-Event-ID, when given), then each new one as it is stored.',
            'The stream ends after the call.ended event.',
          ),
          '204': {
            description:
              'The call has ended and it has no events after Last-Event-ID (or none at all): do not reconnect (EventSource stops on 204).',
          },
          ...errors(badLastEventId('a revision'), 401, [
            404,
            'No call has this id (code `not_found`).',
          ]),
        },
      },
    },
    '/api/events/stream': {
      get: {
        operationId: 'streamAllEvents',
        summary: "Every call's events, live",
        tags: [TAG],
        parameters: resumeFrom("a position among all calls' events", position),
        responses: {
          '200': eventStream(
            "the event's position",
            'Without Last-Event-ID, the events stored from now on; with it, first those stored after it.',
            'The stream does not end by itself.',
          ),
          ...errors(badLastEventId('a position such as 1234:56'), 401),
        },
      },
    },
  };
}
