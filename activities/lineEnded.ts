import { ApplicationFailure } from '@temporalio/activity';
import type { CallLeg } from '../media/telephony/callLeg.js';
import { LINE_ENDED } from './types.js';

/** The far end hung up: retrying cannot help, so the workflow is told at once. */
export function lineEnded(callId: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`call ${callId}: the line has ended`, LINE_ENDED);
}

export function assertLineUp(leg: CallLeg): void {
  if (leg.state === 'ended') throw lineEnded(leg.callId);
}
