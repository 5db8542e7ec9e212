import { callListQuerySchema } from '../../schemas.js';
import { errors } from '../errors.js';
import { jsonBody, jsonResponse, locationHeader, pathParameter, schemaRef } from '../parts.js';
import { queryParameters } from '../requestSchemas.js';
import type { Operation, Paths } from '../types.js';

const TAG = 'calls';

const callId = pathParameter('id', 'The call id, as POST /api/calls answered it.');

const noSuchCall: [404, string] = [404, 'No call has this id (code `not_found`).'];
const ended: [409, string] = [409, 'The call has already ended (code `conflict`).'];

/** Keys and words by hand share their answers: sent or not at once, or queued behind the step under way. */
function byHand(operation: Omit<Operation, 'responses' | 'tags'>): Operation {
  return {
    ...operation,
    tags: [TAG],
    responses: {
      '200': jsonResponse(
        'Sent on the line; or not, and why not (the line failed as they went out).',
        schemaRef('ByHandAnswer'),
      ),
      '202': jsonResponse(
        'The step under way did not end in time for an answer: they go out when it does.',
        schemaRef('ByHandQueued'),
      ),
      ...errors(
        [
          400,
          'The body does not fit its schema, or the call refused it as it stands: keys that are not DTMF, a secret not given with the call, nothing to say (code `invalid_request`).',
        ],
        401,
        noSuchCall,
        [
          409,
          'The call has already ended (code `conflict`); or it cannot take them now (code `not_on_the_line`): it is not navigating or holding, or is being cancelled or handed to the user.',
        ],
        413,
        415,
      ),
    },
  };
}

/** Calls: placed, listed, read, and steered while they run. */
export function callPaths(): Paths {
  return {
    '/api/calls': {
      post: {
        operationId: 'startCall',
        summary: 'Place a call',
        description:
          'Dials the company, walks its menu (following a flow, or exploring), waits on hold, and rings the user when a person answers.',
        tags: [TAG],
        requestBody: jsonBody('The call to place.', schemaRef('StartCallRequest')),
        responses: {
          '201': {
            ...jsonResponse('The call is placed.', schemaRef('CallStarted')),
            headers: locationHeader('the call'),
          },
          ...errors(
            [
              400,
              'The request does not fit its schema, names a flow that does not exist or is for another number, or leaves out a secret the flow keys in (code `invalid_request`); `details` names each.',
            ],
            401,
            413,
            415,
            [
              422,
              'A number to dial (phone_number or user_device) is an emergency or premium-rate number (code `refused_number`); `details` names it.',
            ],
          ),
        },
      },
      get: {
        operationId: 'listCalls',
        summary: 'List calls',
        description: 'Newest first, a page at a time, with optional filters.',
        tags: [TAG],
        parameters: queryParameters(callListQuerySchema, {
          status: 'Only calls in progress (started) or over (ended).',
          company: 'Only calls to this company, as the call named it.',
          phone_number: 'Only calls to this number.',
          outcome: 'Only calls that ended so, e.g. connected.',
          flow_id: 'Only calls that followed this flow.',
          after: 'The `next` of the previous page.',
          limit: 'How many calls a page holds.',
        }),
        responses: {
          '200': jsonResponse('A page of calls.', schemaRef('CallPage')),
          ...errors(
            [400, 'A query key is unknown, or a value does not fit (code `invalid_request`).'],
            401,
          ),
        },
      },
    },
    '/api/calls/{id}': {
      parameters: [callId],
      get: {
        operationId: 'getCall',
        summary: 'Read a call',
        tags: [TAG],
        responses: {
          '200': jsonResponse('The call.', schemaRef('CallView')),
          ...errors(401, noSuchCall),
        },
      },
    },
    '/api/calls/{id}/cancel': {
      parameters: [callId],
      post: {
        operationId: 'cancelCall',
        summary: 'Hang up and stop',
        tags: [TAG],
        requestBody: jsonBody('Why, optionally.', schemaRef('CancelCallRequest'), false),
        responses: {
          '202': jsonResponse('The call is told to stop.', schemaRef('CallRequested')),
          ...errors(400, 401, noSuchCall, ended, 413, 415),
        },
      },
    },
    '/api/calls/{id}/connect': {
      parameters: [callId],
      post: {
        operationId: 'connectCall',
        summary: 'Bring the user in now',
        description: 'Rings the user without waiting for a person to be detected on the line.',
        tags: [TAG],
        responses: {
          '202': jsonResponse('The call is told to bring the user in.', schemaRef('CallRequested')),
          ...errors(401, noSuchCall, ended),
        },
      },
    },
    '/api/calls/{id}/digits': {
      parameters: [callId],
      post: byHand({
        operationId: 'sendDigits',
        summary: 'Key in digits by hand',
        description: 'The keys go out between steps of the call.',
        requestBody: jsonBody('The keys.', schemaRef('SendDigitsRequest')),
      }),
    },
    '/api/calls/{id}/say': {
      parameters: [callId],
      post: byHand({
        operationId: 'sayText',
        summary: 'Say words to the far end by hand',
        description: 'The words are synthesized and go out between steps of the call.',
        requestBody: jsonBody('The words.', schemaRef('SayTextRequest')),
      }),
    },
  };
}
