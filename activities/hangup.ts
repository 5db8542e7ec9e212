import type { ActivityDeps } from './deps.js';
import type { CallActivities } from './types.js';

export function hangupActivity(deps: ActivityDeps): CallActivities['hangup'] {
  return async ({ callId }) => {
    const leg = await deps.legs.get(callId).catch(() => undefined);
    if (leg && leg.state !== 'ended') await leg.hangup();
    deps.legs.release(callId);
    deps.log.info({ callId }, 'hung up');
  };
}
