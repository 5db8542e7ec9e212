import type { ActivityDeps } from './deps.js';
import { recordEvents } from './recordEvents.js';
import type { CallActivities } from './types.js';

export function loadDeadEndsActivity(deps: ActivityDeps): CallActivities['loadDeadEnds'] {
  return ({ phoneNumber }) => deps.deadEnds.forNumber(phoneNumber);
}

/** The learner folds the event into the number's dead ends; the call's own next dial knows it already. */
export function recordDeadEndActivity(deps: ActivityDeps): CallActivities['recordDeadEnd'] {
  return async ({ callId, phoneNumber, deadEnd, dial }) => {
    deps.log.info({ callId, dial, deadEnd }, 'a way through the menus led nowhere');
    await recordEvents(deps, callId, [
      {
        key: 'dead-end',
        type: 'call.dead_end',
        data: { phoneNumber, ...deadEnd, dial },
      },
    ]);
  };
}
