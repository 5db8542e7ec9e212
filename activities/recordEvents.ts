import { Context } from '@temporalio/activity';
import { appendOnce } from '../events/appendOnce.js';
import {
  CALL_EVENT_VERSIONS,
  callStream,
  checkedData,
  type CallEventData,
  type CallEventType,
} from '../events/callEvents.js';
import { activityEventId } from '../events/eventIds.js';
import type { NewEvent } from '../events/eventStore.js';
import { callIdOfLine } from '../workflows/lineIds.js';
import type { ActivityDeps } from './deps.js';

/** One discovery to record: its role in the activity (unique within it) and what it says. */
export type Discovery = {
  [T in CallEventType]: { key: string; type: T; data: CallEventData<T> };
}[CallEventType];

const STORE_RETRIES = 3;

/**
 * Appends what an activity found to its call's stream, after the fact it
 * records has happened. The ids come from the workflow run and the
 * activity, so a retry appends nothing twice. A store that stays down is
 * logged, not thrown: failing here would make Temporal retry the activity
 * and press the keys, or dial, a second time.
 */
export async function recordEvents(
  deps: Pick<ActivityDeps, 'events' | 'log'>,
  callId: string,
  discoveries: Discovery[],
): Promise<void> {
  if (discoveries.length === 0) return;
  const info = Context.current().info;
  const run = info.workflowExecution;
  // Every call activity runs inside its call's workflow; a stray one has no call to record on.
  if (!run) throw new Error("call events are recorded from a call workflow's activities only");
  const { workflowId, runId } = run;
  const occurredAt = new Date().toISOString();
  const events: NewEvent[] = discoveries.map((d) => ({
    id: activityEventId(workflowId, runId, info.activityId, d.key),
    type: d.type,
    schemaVersion: CALL_EVENT_VERSIONS[d.type],
    data: checkedData(d.type, d.data as never),
    metadata: { workflowId, runId, activityId: info.activityId, occurredAt },
  }));
  for (let attempt = 1; ; attempt++) {
    try {
      await appendOnce(deps.events, callStream(callIdOfLine(callId)), events);
      return;
    } catch (e) {
      if (attempt >= STORE_RETRIES) {
        deps.log.error(
          { callId, types: events.map((ev) => ev.type), err: (e as Error).message },
          'could not record call events',
        );
        return;
      }
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}
