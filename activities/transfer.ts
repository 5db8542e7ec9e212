import { TransferFailedError } from '../media/telephony/callLeg.js';
import type { ActivityDeps } from './deps.js';
import { assertLineUp } from './lineEnded.js';
import { recordEvents } from './recordEvents.js';
import type { CallActivities } from './types.js';

/** Rings the user's phone and bridges it to the call; once bridged, the call is theirs. */
export function transferActivity(deps: ActivityDeps): CallActivities['transfer'] {
  const bridge = bridgeUser(deps);
  return async (input) => {
    const result = await bridge(input);
    await recordEvents(deps, input.callId, [
      { key: 'transferred', type: 'call.transferred', data: result },
    ]);
    return result;
  };
}

function bridgeUser(deps: ActivityDeps): CallActivities['transfer'] {
  return async ({ callId, device }) => {
    const leg = await deps.legs.get(callId);
    // A retry after a crash may find the bridge already made.
    if (leg.bridged) return { bridged: true, reason: null };
    assertLineUp(leg);
    try {
      await leg.bridge(device);
    } catch (e) {
      if (e instanceof TransferFailedError) {
        deps.log.warn({ callId, device, reason: e.message }, 'transfer failed');
        return { bridged: false, reason: e.message };
      }
      throw e;
    }
    // The leg stays attached: the agent may still be hearing our greeting. The call's end lets go of it.
    deps.log.info({ callId, device }, 'bridged the user in');
    return { bridged: true, reason: null };
  };
}
