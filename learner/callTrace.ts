import type { CallEvent } from '../events/callEvents.js';
import { SAME_MENU, menuSimilarity } from '../navigator/menuSimilarity.js';

/** What the call did at a menu: keys (a secret as its reference), words, or nothing but listen on. */
export type PathAction = { kind: 'dtmf'; dtmf: string } | { kind: 'say'; text: string };

/** One stop on the way through the menus: the prompts heard since the last action, and the action. */
export interface PathEntry {
  /** Prompts heard in order (a greeting, then the menu); the last one is the menu acted on. */
  heard: string[];
  heardMs: number;
  action: PathAction;
}

/**
 * One call as the learner folds it, event by event: who was called for
 * what, and the path through the menus so far. Plain JSON, kept between
 * batches while the call is in progress.
 */
export interface CallTrace {
  phoneNumber: string;
  company: string;
  intent: string;
  flow: { id: string; version: number } | null;
  path: PathEntry[];
  /** Prompts heard that no action has followed yet. */
  pending: { heard: string[]; heardMs: number };
  /** Prompts heard, and no action taken, just before the hold began. */
  beforeHold?: { heard: string[]; heardMs: number };
  /** The flow knew another menu at some point of this call. */
  drifted: boolean;
  held: boolean;
  recordings: { fingerprints: string[]; openings: string[] };
  human: boolean;
  bridged: boolean;
  outcome: string | null;
}

export function emptyTrace(): CallTrace {
  return {
    phoneNumber: '',
    company: '',
    intent: '',
    flow: null,
    path: [],
    pending: { heard: [], heardMs: 0 },
    drifted: false,
    held: false,
    recordings: { fingerprints: [], openings: [] },
    human: false,
    bridged: false,
    outcome: null,
  };
}

/** Folds one event into the trace (in place: the trace is the learner's working copy). */
export function foldCallEvent(trace: CallTrace, event: CallEvent): CallTrace {
  // Once someone answered, keys and words are for them, not for a menu.
  const inMenus = !trace.human && !trace.held;
  switch (event.type) {
    case 'call.started':
      // A call dials again after a dead end: its way through the menus starts again too.
      trace.path = [];
      trace.pending = { heard: [], heardMs: 0 };
      delete trace.beforeHold;
      trace.phoneNumber = event.data.phoneNumber;
      trace.company = event.data.company;
      trace.intent = event.data.intent;
      trace.flow = event.data.flow;
      break;
    case 'call.menu_heard':
      if (!inMenus) break;
      trace.pending.heard.push(event.data.transcript);
      trace.pending.heardMs += event.data.heardMs;
      if (event.data.drifted) trace.drifted = true;
      break;
    case 'call.digits_sent':
      if (inMenus) act(trace, { kind: 'dtmf', dtmf: event.data.dtmf });
      break;
    case 'call.speech_sent':
      if (inMenus && event.data.text !== null) act(trace, { kind: 'say', text: event.data.text });
      break;
    case 'call.hold_started':
      // Prompts waited out on the way to the queue (a menu that times out to an operator):
      // the next call hears them out before it holds, so the person after them is a new voice.
      if (inMenus && trace.pending.heard.length > 0) trace.beforeHold = trace.pending;
      trace.pending = { heard: [], heardMs: 0 };
      trace.held = true;
      break;
    case 'call.announcement_heard':
      addOnce(
        event.data.kind === 'fingerprint'
          ? trace.recordings.fingerprints
          : trace.recordings.openings,
        event.data.value,
      );
      break;
    case 'call.human_detected':
      trace.human = true;
      break;
    case 'call.transferred':
      trace.bridged = event.data.bridged;
      break;
    case 'call.ended':
      trace.outcome = event.data.outcome;
      break;
  }
  return trace;
}

/**
 * Takes an action at the menu last heard. A menu heard again (an invalid
 * choice, a "go back", a repeat) means what was done since it was first
 * heard led nowhere: that part of the path is cut, and the call's last
 * choice there is what counts.
 */
function act(trace: CallTrace, action: PathAction): void {
  const { heard, heardMs } = trace.pending;
  const menu = heard.at(-1) ?? '';
  if (menu !== '') {
    const again = trace.path.findIndex(
      (entry) => entry.heard.length > 0 && menuSimilarity(entry.heard.at(-1)!, menu) >= SAME_MENU,
    );
    if (again >= 0) trace.path.length = again;
  }
  trace.path.push({ heard: [...heard], heardMs, action });
  trace.pending = { heard: [], heardMs: 0 };
}

function addOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** Whether the call found its way to a person and brought the user in: only such a call teaches a path. */
export function reachedPerson(trace: CallTrace): boolean {
  // A call the user took over early ("connect now") found no way to a person: its path stops short.
  return trace.outcome === 'connected' && trace.bridged && trace.human && trace.phoneNumber !== '';
}
