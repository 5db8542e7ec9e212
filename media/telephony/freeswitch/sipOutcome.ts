import type { LineState } from '../callLeg.js';
import { isSipError } from './drachtioBoundary.js';

/** How an attempt to reach a number ended, in the port's terms, with the SIP words for it. */
export interface DialOutcome {
  state: Exclude<LineState, 'ringing' | 'ended'>;
  cause: string;
}

const BUSY = new Set([486, 600, 603]);
/** Nobody picked up: the far end timed out, is unavailable, or the attempt was cancelled at the ring timeout. */
const NO_ANSWER = new Set([408, 480, 487]);

/**
 * What a failed INVITE means for the call. A busy line and no answer are
 * the company's; everything else (a number that does not exist, the trunk
 * refusing our credentials, a server error) leaves the number unreachable,
 * and the cause keeps the SIP status so a person can tell which.
 */
export function dialOutcomeOf(error: unknown): DialOutcome {
  if (!isSipError(error))
    return {
      state: 'disconnected',
      cause: `no SIP answer: ${error instanceof Error ? error.message : String(error)}`,
    };
  const cause = `sip ${error.status}${error.reason ? ` ${error.reason}` : ''}`;
  if (BUSY.has(error.status)) return { state: 'busy', cause };
  if (NO_ANSWER.has(error.status)) return { state: 'no-answer', cause };
  return { state: 'disconnected', cause };
}
