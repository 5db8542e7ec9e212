import {
  flowListQuerySchema,
  flowVersionParamSchema,
  flowVersionQuerySchema,
} from '../../schemas.js';
import { errors } from '../errors.js';
import { jsonSchemaOf } from '../fromZod.js';
import { jsonBody, jsonResponse, locationHeader, pathParameter, schemaRef } from '../parts.js';
import { queryParameters } from '../requestSchemas.js';
import type { JsonSchema, Paths } from '../types.js';

const TAG = 'call flows';

const flowId = pathParameter('id', 'The flow id.');

const noSuchFlow: [404, string] = [
  404,
  'No flow has this id, or it was deleted (code `not_found`).',
];
const badFlow: [400, string] = [
  400,
  'The flow does not fit its schema (code `invalid_request`); `details` names each problem.',
];
const refusedNumber: [422, string] = [
  422,
  'The flow is for an emergency or premium-rate number, which is never dialled (code `refused_number`).',
];

const flowBody = jsonBody('The whole flow.', schemaRef('FlowDefinition'));
const flowList: JsonSchema = { type: 'array', items: schemaRef('CallFlow') };

/** Call flows: written, checked, learned again from stored calls, versioned, deleted. */
export function callFlowPaths(): Paths {
  return {
    '/api/call-flows': {
      get: {
        operationId: 'listFlows',
        summary: 'List flows',
        description: 'Each at its latest version, most recently changed first.',
        tags: [TAG],
        parameters: queryParameters(flowListQuerySchema, {
          company: 'Only flows for this company (case-insensitive).',
          tag: 'Only flows with this tag.',
          phone_number: 'Only flows for this number.',
        }),
        responses: {
          '200': jsonResponse('The flows.', flowList),
          ...errors(
            [400, 'A query key is unknown, or a value does not fit (code `invalid_request`).'],
            401,
          ),
        },
      },
      post: {
        operationId: 'createFlow',
        summary: 'Store a flow',
        description:
          "Stored as version 1. A call that names no flow follows the one learned for its number and errand, else the number's latest flow stored through the API.",
        tags: [TAG],
        requestBody: flowBody,
        responses: {
          '201': {
            ...jsonResponse('The flow, stored.', schemaRef('CallFlow')),
            headers: locationHeader('the flow'),
          },
          ...errors(badFlow, 401, 413, 415, refusedNumber),
        },
      },
    },
    '/api/call-flows/validate': {
      post: {
        operationId: 'validateFlow',
        summary: 'Check a flow without storing it',
        description:
          'Checks the flow as a whole, as storing it would; a flow that does not fit is an answer here, not an error.',
        tags: [TAG],
        requestBody: jsonBody('The flow to check.', schemaRef('FlowDefinition')),
        responses: {
          '200': jsonResponse('Whether it is valid, and every issue.', schemaRef('FlowValidation')),
          ...errors([400, 'The body is not valid JSON (code `invalid_request`).'], 401, 413, 415),
        },
      },
    },
    '/api/call-flows/learn': {
      post: {
        operationId: 'learnFlows',
        summary: 'Learn flows again from stored calls',
        description:
          "Replays the chosen calls' events through the current learner, from scratch: each number and errand's learned flow is rebuilt and stored as a new version when it differs. Nothing is dialled.",
        tags: [TAG],
        requestBody: jsonBody('Which calls.', schemaRef('LearnRequest')),
        responses: {
          '200': jsonResponse('What changed, or in a dry run would.', schemaRef('LearnResult')),
          ...errors(400, 401, 413, 415, [
            422,
            'There is nothing to learn: no such calls are stored, or none reached a person (code `unprocessable`).',
          ]),
        },
      },
    },
    '/api/call-flows/{id}': {
      parameters: [flowId],
      get: {
        operationId: 'getFlow',
        summary: 'Read a flow',
        tags: [TAG],
        parameters: queryParameters(flowVersionQuerySchema, {
          version: 'The version to read; the latest when absent.',
        }),
        responses: {
          '200': jsonResponse('The flow.', schemaRef('CallFlow')),
          ...errors(
            [
              400,
              'A query key is unknown, or the version is not a whole number from 1 (code `invalid_request`).',
            ],
            401,
            [404, 'No flow has this id or this version, or it was deleted (code `not_found`).'],
          ),
        },
      },
      put: {
        operationId: 'updateFlow',
        summary: 'Store a new version of a flow',
        description:
          "A flow's steps never change in place: the whole flow, sent again, becomes its next version. Calls already placed keep the version they pinned.",
        tags: [TAG],
        requestBody: flowBody,
        responses: {
          '200': jsonResponse('The flow at its new version.', schemaRef('CallFlow')),
          ...errors(badFlow, 401, noSuchFlow, 413, 415, refusedNumber),
        },
      },
      delete: {
        operationId: 'deleteFlow',
        summary: 'Take a flow out of use',
        description:
          'New calls no longer follow it and it is no longer listed; its versions stay for the calls that followed them. A learned flow deleted is learned afresh by the next call.',
        tags: [TAG],
        responses: {
          '204': { description: 'The flow is deleted.' },
          ...errors(401, noSuchFlow),
        },
      },
    },
    '/api/call-flows/{id}/versions': {
      parameters: [flowId],
      get: {
        operationId: 'listFlowVersions',
        summary: "A flow's versions",
        description: 'Newest first.',
        tags: [TAG],
        responses: {
          '200': jsonResponse('The versions.', {
            type: 'array',
            items: schemaRef('FlowVersionSummary'),
          }),
          ...errors(401, noSuchFlow),
        },
      },
    },
    '/api/call-flows/{id}/versions/{version}': {
      parameters: [
        flowId,
        pathParameter(
          'version',
          'The version, from 1.',
          jsonSchemaOf(flowVersionParamSchema, 'input'),
        ),
      ],
      get: {
        operationId: 'getFlowVersion',
        summary: 'Read one version of a flow',
        tags: [TAG],
        responses: {
          '200': jsonResponse('The flow at that version.', schemaRef('CallFlow')),
          ...errors(
            [400, 'The version is not a whole number from 1 (code `invalid_request`).'],
            401,
            [404, 'No flow has this id or this version, or it was deleted (code `not_found`).'],
          ),
        },
      },
    },
  };
}
