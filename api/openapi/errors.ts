import type { ErrorBody } from '../httpErrors.js';
import type { ValidationIssue } from '../../validation/issues.js';
import { jsonContent, objectSchema, schemaRef } from './parts.js';
import type { Response } from './types.js';

export const validationIssueSchema = objectSchema<ValidationIssue>(
  {
    path: {
      type: 'string',
      description:
        'The offending key as a person would write it, e.g. steps[2].next_step; empty for the whole input.',
    },
    message: { type: 'string' },
  },
  { description: 'One problem found in the input.' },
);

export const errorBodySchema = objectSchema<ErrorBody>(
  {
    error: { type: 'string', description: 'What went wrong, for a person.' },
    code: {
      type: 'string',
      description: 'What went wrong, for a program: stable across releases.',
      examples: [
        'invalid_request',
        'unauthorized',
        'not_found',
        'method_not_allowed',
        'conflict',
        'not_on_the_line',
        'payload_too_large',
        'unsupported_media_type',
        'refused_number',
        'unprocessable',
        'internal',
      ],
    },
    details: {
      type: 'array',
      items: schemaRef('ValidationIssue'),
      description: 'Each bad field, by path, when the request named some; else empty.',
    },
    request_id: {
      type: 'string',
      description:
        'The id of the request, also sent as X-Request-Id: quote it when reporting a problem.',
    },
  },
  { description: 'The one shape of every error response.' },
);

/** The client errors the API answers with, each with the ErrorBody shape. */
export type ErrorStatus = 400 | 401 | 404 | 409 | 413 | 415 | 422;

/** What each status means wherever it is not said more precisely. */
const USUAL: Record<ErrorStatus, string> = {
  400: 'The request does not fit its schema (code `invalid_request`); `details` names each bad field.',
  401: 'No API key, or one the API does not accept (code `unauthorized`).',
  404: 'Not found (code `not_found`).',
  409: 'The request conflicts with the state of what it names (code `conflict`).',
  413: "The body is larger than the API's limit (code `payload_too_large`).",
  415: 'The body is not JSON (code `unsupported_media_type`): send Content-Type: application/json.',
  422: 'The request is understood but cannot be carried out (code `unprocessable`).',
};

const errorContent = jsonContent(schemaRef('ErrorBody'));

/** The key middleware's refusal says how to give a key; a refused sign-in does not. */
function errorResponse(description: string, challenge: boolean): Response {
  if (!challenge) return { description, content: errorContent };
  return {
    description,
    headers: {
      'WWW-Authenticate': {
        description: 'How to give a key: `Bearer realm="holdslayer"`.',
        schema: { type: 'string' },
        required: true,
      },
    },
    content: errorContent,
  };
}

/** Error responses by status: a status alone takes its usual description, a pair says what it means here. */
export function errors(
  ...entries: Array<ErrorStatus | [ErrorStatus, string]>
): Record<string, Response> {
  return Object.fromEntries(
    entries.map((entry) => {
      if (typeof entry === 'number')
        return [String(entry), errorResponse(USUAL[entry], entry === 401)];
      const [status, description] = entry;
      return [String(status), errorResponse(description, false)];
    }),
  );
}
