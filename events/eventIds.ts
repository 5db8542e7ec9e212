import { v5 as uuidV5 } from 'uuid';

/** The namespace of Hold Slayer's name-based event ids (a fixed random UUID). */
const NAMESPACE = 'a3c1d6a2-5f0e-4b8e-9d7a-2e61c4b0f9d3';

/**
 * The id of one event an activity appends: a name-based UUID of the
 * workflow run, the activity and the event's role in it. A retried
 * activity derives the same id, so its append is recognised as a resend;
 * a reset run (a new run id) acts again and records again.
 */
export function activityEventId(
  workflowId: string,
  runId: string,
  activityId: string,
  key: string,
): string {
  return uuidV5(`${workflowId}/${runId}/${activityId}/${key}`, NAMESPACE);
}
