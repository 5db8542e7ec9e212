import { ApplicationFailure } from '@temporalio/activity';
import type { TranscriberError } from '../media/speech/transcriber.js';

export const TRANSCRIBER_FAILED = 'TranscriberFailed';

/** A transcriber that has given up fails the activity: retried by Temporal unless retrying cannot help. */
export function transcriberFailure(error: TranscriberError): ApplicationFailure {
  const message = `speech to text failed: ${error.message}`;
  return error.retryable
    ? ApplicationFailure.retryable(message, TRANSCRIBER_FAILED)
    : ApplicationFailure.nonRetryable(message, TRANSCRIBER_FAILED);
}
