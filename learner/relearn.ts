import {
  CALL_STREAM_PREFIX,
  InvalidCallEvent,
  callStream,
  readCallEvent,
} from '../events/callEvents.js';
import type { EventStore, StoredEvent } from '../events/eventStore.js';
import { readAllPages } from '../events/readAllPages.js';
import type { FlowStep } from '../flows/model.js';
import { inTransaction, type Pool } from '../store/pool.js';
import { emptyTrace, foldCallEvent, reachedPerson, type CallTrace } from './callTrace.js';
import { diffSteps, sameSteps } from './flowDiff.js';
import { learnedKey } from '../flows/learnedKey.js';
import { LearnedFlows } from './learnedFlows.js';
import { mergeCall } from './mergeFlow.js';

/** Which stored calls to learn from again: one call, every call to a number, or every call. */
export type RelearnScope = { callId: string } | { phoneNumber: string } | { all: true };

/** What re-learning did (or, in a dry run, would do) to one number's flow for one errand. */
export interface RelearnedFlow {
  phone_number: string;
  company: string;
  intent: string;
  flow_id: string | null;
  /** The flow's latest version before; null when there was no learned flow yet. */
  from_version: number | null;
  /** The version written; null in a dry run or when nothing changed. */
  to_version: number | null;
  /** Calls folded into it. */
  calls: number;
  changed: boolean;
  diff: string[];
  steps: FlowStep[];
}

/** The scope a request names: one call, else one number, else every call (requests are checked to name exactly one). */
export function relearnScope(request: {
  callId?: string | undefined;
  phoneNumber?: string | undefined;
}): RelearnScope {
  if (request.callId !== undefined) return { callId: request.callId };
  if (request.phoneNumber !== undefined) return { phoneNumber: request.phoneNumber };
  return { all: true };
}

export class NothingToLearn extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingToLearn';
  }
}

const PAGE = 5000;

/**
 * Folds stored calls again with the current learner, from scratch: each
 * number-and-errand's learned flow is rebuilt from the chosen calls alone,
 * in the order they ended, and written as a new version when it differs
 * (a dry run shows the difference and writes nothing). Nothing is dialled:
 * the calls are replayed from their events.
 */
export async function relearn(
  store: EventStore,
  pool: Pool,
  scope: RelearnScope,
  options: { dryRun: boolean },
): Promise<RelearnedFlow[]> {
  const traces = await tracesIn(store, pool, scope);
  const taught = traces.filter(reachedPerson);
  if (taught.length === 0) throw new NothingToLearn(nothingToLearn(scope, traces.length));
  const groups = new Map<string, CallTrace[]>();
  for (const trace of taught) {
    const key = learnedKey(trace.phoneNumber, trace.intent);
    groups.set(key, [...(groups.get(key) ?? []), trace]);
  }
  return inTransaction(pool, async (client) => {
    const flows = new LearnedFlows(client);
    const results: RelearnedFlow[] = [];
    for (const [key, calls] of groups) {
      const current = await flows.byKey(key);
      let steps: FlowStep[] | undefined;
      for (const trace of calls) {
        const followed = current !== undefined && trace.flow?.id === current.id;
        const merged = mergeCall(steps && { steps, learned: true }, trace, followed);
        if (merged) steps = merged.steps;
      }
      const last = calls.at(-1)!;
      const learned = steps!;
      const changed = !sameSteps(learned, current?.steps);
      let written: number | null = null;
      let flowId = current?.id ?? null;
      if (changed && !options.dryRun) {
        const flow = current
          ? await flows.addVersion(current, learned)
          : await flows.create(key, last, learned);
        written = flow.version;
        flowId = flow.id;
      }
      results.push({
        phone_number: last.phoneNumber,
        company: last.company,
        intent: last.intent,
        flow_id: flowId,
        from_version: current?.version ?? null,
        to_version: written,
        calls: calls.length,
        changed,
        diff: changed ? diffSteps(current?.steps, learned) : [],
        steps: learned,
      });
    }
    return results;
  });
}

function nothingToLearn(scope: RelearnScope, stored: number): string {
  if ('callId' in scope)
    return stored === 0
      ? `no events are stored for call ${scope.callId}`
      : `call ${scope.callId} never reached a person, so it has no path to learn`;
  const calls = 'phoneNumber' in scope ? `calls to ${scope.phoneNumber}` : 'calls';
  return stored === 0
    ? `no ${calls} are stored`
    : `none of the ${stored} stored ${calls} reached a person, so there is no path to learn`;
}

/** The chosen calls folded from their streams, in the order they ended. */
async function tracesIn(store: EventStore, pool: Pool, scope: RelearnScope): Promise<CallTrace[]> {
  if ('all' in scope) return allTraces(store);
  const ids =
    'callId' in scope
      ? [scope.callId]
      : (
          await pool.query<{ id: string }>(
            `SELECT id FROM calls WHERE phone_number = $1 ORDER BY created_at, id`,
            [scope.phoneNumber],
          )
        ).rows.map((r) => r.id);
  const traces: CallTrace[] = [];
  for (const id of ids) {
    const events = await store.readStream(callStream(id));
    if (events.length > 0) traces.push(fold(emptyTrace(), events));
  }
  return traces;
}

async function allTraces(store: EventStore): Promise<CallTrace[]> {
  const open = new Map<string, CallTrace>();
  const ended: CallTrace[] = [];
  for await (const event of readAllPages(store, {
    streamPrefix: CALL_STREAM_PREFIX,
    pageSize: PAGE,
  })) {
    const trace = fold(open.get(event.stream) ?? emptyTrace(), [event]);
    open.set(event.stream, trace);
    if (event.type === 'call.ended') {
      ended.push(trace);
      open.delete(event.stream);
    }
  }
  return ended;
}

function fold(trace: CallTrace, events: StoredEvent[]): CallTrace {
  for (const event of events) {
    try {
      foldCallEvent(trace, readCallEvent(event));
    } catch (e) {
      if (!(e instanceof InvalidCallEvent)) throw e;
    }
  }
  return trace;
}
