import { ApplicationFailure } from '@temporalio/activity';
import { callIdOfLine } from '../workflows/lineIds.js';
import type { ActivityDeps } from './deps.js';
import { recordEvents } from './recordEvents.js';
import { FLOW_NOT_FOUND, type CallActivities } from './types.js';

/** Reads the pinned flow version, so its steps enter the history and later edits never change a running call. */
export function loadFlowStepsActivity(deps: ActivityDeps): CallActivities['loadFlowSteps'] {
  return async ({ flowId, version }) => {
    const flow = await deps.flows.get(flowId, version);
    if (!flow)
      throw ApplicationFailure.nonRetryable(
        `call flow ${flowId} has no version ${version}`,
        FLOW_NOT_FOUND,
      );
    return flow.steps;
  };
}

/** Stores how the call ended, counts it on its flow version, and erases its secrets. */
export function recordOutcomeActivity(deps: ActivityDeps): CallActivities['recordOutcome'] {
  return async ({ callId, outcome, reason, decisions, holdSeconds }) => {
    const counts = decisions ?? { rules: 0, model: 0 };
    await deps.calls.recordOutcome(
      callIdOfLine(callId),
      outcome,
      reason,
      counts,
      holdSeconds ?? null,
    );
    await recordEvents(deps, callId, [
      {
        key: 'ended',
        type: 'call.ended',
        data: { outcome, reason, decisions: counts, holdSeconds: holdSeconds ?? null },
      },
    ]);
    deps.legs.release(callId);
    deps.log.info({ callId, outcome, reason }, 'call ended');
  };
}

/** Keeps the line's recordings a hold heard, so its next call knows them from the first word. */
export function rememberRecordingsActivity(
  deps: ActivityDeps,
): CallActivities['rememberRecordings'] {
  return async ({ phoneNumber, heard }) => {
    await deps.recordings.remember(phoneNumber, heard);
  };
}
