import type { ActivityDeps } from './deps.js';
import type { CallActivities } from './types.js';

/** Asks the navigator what to do at a menu. Its context names secrets only, so the log may show it. */
export function decideActivity(deps: ActivityDeps): CallActivities['decide'] {
  return async ({ callId, context }) => {
    const decision = await deps.navigator.decide(context);
    deps.log.info(
      {
        callId,
        menu: context.transcript,
        action: decision.action,
        confidence: Number(decision.confidence.toFixed(2)),
        by: decision.decidedBy,
        reason: decision.reason,
      },
      'menu decision',
    );
    return decision;
  };
}
