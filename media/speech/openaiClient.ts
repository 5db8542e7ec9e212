import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { sdkLogging } from '../../runtime/sdkLogging.js';
import type { Logger } from '../../runtime/logger.js';

/** What every OpenAI provider (transcription, speech, the navigator) is configured with. */
export interface OpenAIConnection {
  apiKey: string;
  /** Another server speaking OpenAI's protocol, e.g. `http://127.0.0.1:4010/v1`. */
  baseURL?: string;
  /** Retries of a rate-limited, failed (5xx) or dropped request, with the SDK's backoff. */
  maxRetries?: number;
  /** Per attempt. */
  timeoutMs?: number;
  log?: Logger;
}

/**
 * One SDK client per provider. The SDK's own log lines carry no key (it
 * masks authorization headers); its request dumps (debug) are left out
 * because they hold whole uploads.
 */
export function createOpenAIClient(connection: OpenAIConnection): OpenAI {
  return new OpenAI({
    apiKey: connection.apiKey,
    ...(connection.baseURL ? { baseURL: connection.baseURL } : {}),
    maxRetries: connection.maxRetries ?? 2,
    timeout: connection.timeoutMs ?? 60_000,
    ...sdkLogging(connection.log, 'openai'),
  });
}

export interface OpenAIFailure {
  /** The status and OpenAI's own words for it, e.g. `401 invalid_api_key: Incorrect API key provided`. */
  message: string;
  /** False when sending the same request again cannot succeed (a rejected key, a bad request). */
  retryable: boolean;
  /** The caller closed the request itself: not a failure to report. */
  aborted: boolean;
}

/** Statuses the SDK retries, and so statuses worth trying again later. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Names why a request failed, from OpenAI's error body when there is one.
 * The key is scrubbed from the text in case a server echoes it whole.
 */
export function describeOpenAIFailure(error: unknown, apiKey: string): OpenAIFailure {
  const scrub = (text: string) => (apiKey ? text.split(apiKey).join('***') : text);
  if (error instanceof APIUserAbortError) {
    return { message: 'request aborted', retryable: false, aborted: true };
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { message: scrub(`${error.message}${cause}`), retryable: true, aborted: false };
  }
  if (error instanceof APIError) {
    const code = typeof error.code === 'string' ? error.code : error.type;
    const status = error.status;
    const text = error.message.replace(/^\d{3} /, '');
    return {
      message: scrub([status, code].filter(Boolean).join(' ') + `: ${text}`),
      retryable: status === undefined || retryableStatus(status),
      aborted: false,
    };
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return { message: 'request aborted', retryable: false, aborted: true };
  }
  // A stream cut after its headers arrived surfaces as a plain error from fetch.
  const message = error instanceof Error ? error.message : String(error);
  return { message: scrub(message), retryable: true, aborted: false };
}
