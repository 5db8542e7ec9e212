import Anthropic, { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { sdkLogging } from '../runtime/sdkLogging.js';
import type { Logger } from '../runtime/logger.js';

/** What the Anthropic navigator is configured with. */
export interface AnthropicConnection {
  apiKey: string;
  /** Another server speaking Anthropic's protocol, e.g. `http://127.0.0.1:4020` (no `/v1`). */
  baseURL?: string;
  /** Retries of a rate-limited, overloaded, failed (5xx) or dropped request, with the SDK's backoff. */
  maxRetries?: number;
  /** Per attempt. */
  timeoutMs?: number;
  log?: Logger;
}

/**
 * One SDK client per navigator. The key is given, so the SDK looks for no
 * other credentials (environment, profiles); its own log lines mask the
 * key's header, and its request dumps (debug) are left out.
 */
export function createAnthropicClient(connection: AnthropicConnection): Anthropic {
  return new Anthropic({
    apiKey: connection.apiKey,
    ...(connection.baseURL ? { baseURL: connection.baseURL } : {}),
    maxRetries: connection.maxRetries ?? 2,
    timeout: connection.timeoutMs ?? 60_000,
    ...sdkLogging(connection.log, 'anthropic'),
  });
}

export interface AnthropicFailure {
  /** The status and Anthropic's own words, e.g. `401 authentication_error: invalid x-api-key`. */
  message: string;
  /** True for what may pass: a rate limit, an overload or another 5xx, a timeout, a lost connection. */
  retryable: boolean;
}

function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Names why a request failed, from Anthropic's error body when there is
 * one. The key is scrubbed from the text in case a server echoes it whole.
 */
export function describeAnthropicFailure(error: unknown, apiKey: string): AnthropicFailure {
  const scrub = (text: string) => (apiKey ? text.split(apiKey).join('***') : text);
  if (error instanceof APIUserAbortError) return { message: 'request aborted', retryable: false };
  // Timeouts are connection errors too (APIConnectionTimeoutError).
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { message: scrub(`${error.message}${cause}`), retryable: true };
  }
  if (error instanceof APIError) {
    const status = error.status;
    const text = error.apiMessage ?? error.message.replace(/^\d{3} /, '');
    return {
      message: scrub([status, error.type].filter(Boolean).join(' ') + `: ${text}`),
      retryable: status === undefined || retryableStatus(status),
    };
  }
  // Anything else (the SDK refusing its own options, a body it cannot read) will not pass by itself.
  const message = error instanceof Error ? error.message : String(error);
  return { message: scrub(message), retryable: false };
}
