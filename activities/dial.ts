import { callIdOfLine } from '../workflows/lineIds.js';
import type { ActivityDeps } from './deps.js';
import { recordEvents } from './recordEvents.js';
import type { CallActivities, DialOutcome } from './types.js';

export function dialActivity(deps: ActivityDeps): CallActivities['dial'] {
  return async ({ callId, to, answerTimeoutS }) => {
    const leg = await deps.legs.dial({
      callId,
      to,
      ...(deps.callerId ? { from: deps.callerId } : {}),
    });
    const state = await leg.waitForAnswer(answerTimeoutS * 1000);
    let outcome: DialOutcome;
    if (
      state === 'answered' ||
      state === 'busy' ||
      state === 'no-answer' ||
      state === 'disconnected'
    )
      outcome = state;
    else if (state === 'ringing') {
      await leg.hangup();
      outcome = 'no-answer';
    } else outcome = 'disconnected';
    deps.log.info({ callId, to, outcome }, 'dialled');
    if (outcome !== 'answered') deps.legs.release(callId);
    const call = await deps.calls.get(callIdOfLine(callId));
    await recordEvents(deps, callId, [
      {
        key: 'started',
        type: 'call.started',
        data: {
          phoneNumber: call?.phone_number ?? to,
          company: call?.company ?? '',
          intent: call?.intent ?? '',
          flow:
            call?.flow_id && call.flow_version !== null
              ? { id: call.flow_id, version: call.flow_version }
              : null,
          dialOutcome: outcome,
        },
      },
    ]);
    return { outcome };
  };
}
