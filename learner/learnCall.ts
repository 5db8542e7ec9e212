import { reachedPerson, type CallTrace } from './callTrace.js';
import { learnedKey } from '../flows/learnedKey.js';
import type { FlowState, LearnedFlows } from './learnedFlows.js';
import { mergeCall, type FlowChange } from './mergeFlow.js';

export interface Learned {
  flow: FlowState;
  change: FlowChange;
}

/**
 * Teaches a flow what one finished call found. A call that followed a
 * flow teaches that flow (its menus may have changed); a call that
 * explored teaches the learned flow for its number and errand, making it
 * on the first success. Calls that reached nobody teach nothing.
 */
export async function learnFromCall(
  flows: LearnedFlows,
  trace: CallTrace,
): Promise<Learned | undefined> {
  if (!reachedPerson(trace)) return undefined;
  const followed = trace.flow ? await flows.byId(trace.flow.id) : undefined;
  const key = learnedKey(trace.phoneNumber, trace.intent);
  const target = followed ?? (await flows.byKey(key));
  const merged = mergeCall(target, trace, followed !== undefined);
  if (!merged) return undefined;
  const flow = target
    ? await flows.addVersion(target, merged.steps)
    : await flows.create(key, trace, merged.steps);
  return { flow, change: merged.change };
}
