import { TIMEOUT_BOUNDS_S } from '../flows/flowGraph.js';
import type { FlowStep } from '../flows/model.js';
import { wordsOf } from '../flows/promptMatch.js';
import { SAME_MENU, menuSimilarity } from '../navigator/menuSimilarity.js';
import { branchFor, knownRecordingsOf } from '../workflows/stepInterpreter.js';
import type { CallTrace, PathAction, PathEntry } from './callTrace.js';
import { listenTimeoutFor, stepsForPath } from './learnedSteps.js';

/** How far one call moves a learned timing toward what it observed. */
const TIMING_WEIGHT = 0.3;
/** A timing change smaller than this is not worth a new version. */
const TIMING_STEP_S = 5;
const MAX_RECORDINGS = 12;

export type FlowChange = 'learned' | 'replaced' | 'branched' | 'retimed';

export interface MergedFlow {
  steps: FlowStep[];
  change: FlowChange;
}

/** A stop on a flow's main line: the LISTEN that hears a menu, and what the flow does there. */
interface Stop {
  listen: FlowStep | undefined;
  menu: string;
  action: PathAction;
}

/**
 * What a successful call teaches a flow. The first call to a number makes
 * the flow; a call that went the same way moves its timings toward what it
 * observed and adds the recordings heard on hold; a call that heard
 * another menu where the flow expects one, without following this flow,
 * adds a branch for it (a menu that differs by time of day, say); a call
 * that followed the flow and found its menu changed, or chose another way,
 * replaces the flow from there. Undefined when nothing changed.
 */
export function mergeCall(
  existing: { steps: FlowStep[]; learned: boolean } | undefined,
  trace: CallTrace,
  followed: boolean,
): MergedFlow | undefined {
  const learnedSteps = stepsForPath(trace.path, trace.recordings, '', trace.beforeHold);
  if (!existing) return { steps: learnedSteps, change: 'learned' };
  const stops = mainLine(existing.steps);
  const path = trace.path;
  let k = 0;
  while (k < stops.length && k < path.length && sameStop(stops[k]!, path[k]!)) k++;
  if (k === stops.length && k === path.length) {
    // A person's own flow keeps its timings; a learned one follows what calls observe.
    if (!existing.learned) return undefined;
    const retimed = retime(existing.steps, stops, path, trace.recordings);
    return retimed ? { steps: retimed, change: 'retimed' } : undefined;
  }
  const stop = stops[k];
  const entry = path[k];
  // A call that went down a branch the flow already has teaches its main line nothing.
  if (stop?.listen && entry && branchFor(stop.listen, menuOf(entry)) !== undefined)
    return undefined;
  if (!followed && stop?.listen && entry && !similarMenus(stop.menu, menuOf(entry))) {
    const branched = branch(
      existing.steps,
      stop.listen,
      stop.menu,
      path.slice(k),
      trace.recordings,
      trace.beforeHold,
    );
    if (branched) return { steps: branched, change: 'branched' };
  }
  return { steps: keepTimings(learnedSteps, stops.slice(0, k)), change: 'replaced' };
}

/** A flow's way from its first step to its transfer, menu by menu (branches aside). */
export function mainLine(steps: FlowStep[]): Stop[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const stops: Stop[] = [];
  let heardBefore: string[] = [];
  const seen = new Set<string>();
  for (let step = steps[0]; step && !seen.has(step.id);) {
    seen.add(step.id);
    let next = step.next_step ? byId.get(step.next_step) : undefined;
    const menu = [...heardBefore, menuText(step)].filter(Boolean).join(' ');
    if (step.type === 'LISTEN') {
      let action: PathAction | undefined;
      if (step.dtmf) action = { kind: 'dtmf', dtmf: step.dtmf };
      else if (next?.type === 'DTMF' && next.dtmf) {
        action = { kind: 'dtmf', dtmf: next.dtmf };
        next = next.next_step ? byId.get(next.next_step) : undefined;
      } else if (next?.type === 'SPEAK' && typeof next.metadata.text === 'string') {
        action = { kind: 'say', text: next.metadata.text };
        next = next.next_step ? byId.get(next.next_step) : undefined;
      }
      if (action) {
        stops.push({ listen: step, menu, action });
        heardBefore = [];
      } else heardBefore = menu ? [menu] : [];
    } else if (step.type === 'DTMF' && step.dtmf) {
      stops.push({ listen: undefined, menu, action: { kind: 'dtmf', dtmf: step.dtmf } });
      heardBefore = [];
    } else if (step.type === 'SPEAK' && typeof step.metadata.text === 'string') {
      stops.push({ listen: undefined, menu, action: { kind: 'say', text: step.metadata.text } });
      heardBefore = [];
    } else if (step.type === 'HOLD' || step.type === 'TRANSFER') break;
    step = next;
  }
  return stops;
}

function menuText(step: FlowStep): string {
  return step.type === 'LISTEN' && typeof step.metadata.menu === 'string' ? step.metadata.menu : '';
}

function menuOf(entry: PathEntry): string {
  return entry.heard.join(' ');
}

function similarMenus(a: string, b: string): boolean {
  return menuSimilarity(a, b) >= SAME_MENU;
}

function sameStop(stop: Stop, entry: PathEntry): boolean {
  const action = entry.action;
  const sameAction =
    stop.action.kind === action.kind &&
    (action.kind === 'dtmf'
      ? stop.action.kind === 'dtmf' && stop.action.dtmf === action.dtmf
      : stop.action.kind === 'say' && stop.action.text.toLowerCase() === action.text.toLowerCase());
  // A flow written without its menus' words agrees with whatever a call heard there.
  return sameAction && (stop.menu === '' || similarMenus(stop.menu, menuOf(entry)));
}

/** Timings moved toward this call's, and the hold's recordings topped up; undefined when the change is too small to keep. */
function retime(
  steps: FlowStep[],
  stops: Stop[],
  path: PathEntry[],
  recordings: CallTrace['recordings'],
): FlowStep[] | undefined {
  let changed = false;
  const timeouts = new Map<string, number>();
  stops.forEach((stop, i) => {
    if (!stop.listen) return;
    const moved = toward(stop.listen.timeout, listenTimeoutFor(path[i]!.heardMs));
    if (Math.abs(moved - stop.listen.timeout) >= TIMING_STEP_S) {
      timeouts.set(stop.listen.id, moved);
      changed = true;
    }
  });
  const result = steps.map((step) => {
    const timeout = timeouts.get(step.id);
    if (timeout !== undefined) return { ...step, timeout };
    if (step.type !== 'HOLD') return step;
    const known = knownRecordingsOf(step) ?? { fingerprints: [], openings: [] };
    const fingerprints = union(known.fingerprints, recordings.fingerprints);
    const openings = union(known.openings, recordings.openings);
    if (
      fingerprints.length === known.fingerprints.length &&
      openings.length === known.openings.length
    )
      return step;
    changed = true;
    return { ...step, metadata: { ...step.metadata, recordings: { fingerprints, openings } } };
  });
  return changed ? result : undefined;
}

/** A LISTEN's timing moved toward what a call observed, within what a LISTEN may take: a person's flow saved before that bound may start far outside it. */
function toward(current: number, observed: number): number {
  const { min, max } = TIMEOUT_BOUNDS_S.LISTEN;
  const moved = Math.round(current * (1 - TIMING_WEIGHT) + observed * TIMING_WEIGHT);
  return Math.min(max, Math.max(min, moved));
}

function union(known: string[], heard: string[]): string[] {
  const all = [...known];
  for (const value of heard) if (!all.includes(value)) all.push(value);
  return all.slice(-MAX_RECORDINGS);
}

/** A newly learned line keeps the timings the flow had learned for the menus both share. */
function keepTimings(steps: FlowStep[], shared: Stop[]): FlowStep[] {
  return steps.map((step, i) => {
    const stop = shared[listenIndex(steps, i)];
    return step.type === 'LISTEN' && stop?.listen
      ? { ...step, timeout: toward(stop.listen.timeout, step.timeout) }
      : step;
  });
}

function listenIndex(steps: FlowStep[], index: number): number {
  return steps.slice(0, index).filter((s) => s.type === 'LISTEN').length;
}

/**
 * The flow with a branch at `at`: when that LISTEN hears words only the
 * other menu has, the call goes the other menu's way, to its own hold and
 * transfer. Undefined when the two menus have no words to tell them apart.
 */
function branch(
  steps: FlowStep[],
  at: FlowStep,
  known: string,
  path: PathEntry[],
  recordings: CallTrace['recordings'],
  beforeHold: CallTrace['beforeHold'],
): FlowStep[] | undefined {
  const pattern = distinctivePattern(menuOf(path[0]!), known);
  if (!pattern) return undefined;
  const ids = new Set(steps.map((s) => s.id));
  let n = 1;
  while ([...ids].some((id) => id.startsWith(`b${n}-`))) n++;
  const chain = stepsForPath(path, recordings, `b${n}-`, beforeHold);
  // The LISTEN that branches has already heard this menu: the branch starts with what to do there.
  const [first, ...rest] = chain;
  const action = path[0]!.action;
  const start: FlowStep[] =
    action.kind === 'dtmf' ? [{ ...first!, type: 'DTMF', metadata: {}, dtmf: action.dtmf }] : [];
  const branchSteps = [...start, ...rest];
  const updated = steps.map((s) =>
    s.id === at.id
      ? { ...s, conditions: [...s.conditions, { pattern, next_step: branchSteps[0]!.id }] }
      : s,
  );
  return [...updated, ...branchSteps];
}

/** A few words in a row that one menu says and the other never does, as a pattern. */
export function distinctivePattern(menu: string, other: string): string | undefined {
  const plain = (text: string) => wordsOf(text).map((w) => w.replace(/'/g, ''));
  const theirs = new Set(plain(other));
  const words = plain(menu);
  // The run with the most letters: "offices are closed" tells menus apart better than "thank you".
  let best: string[] = [];
  const letters = (run: string[]) => run.join('').length;
  for (let i = 0; i < words.length; i++) {
    const run: string[] = [];
    for (let j = i; j < words.length && run.length < 3 && !theirs.has(words[j]!); j++)
      run.push(words[j]!);
    if (run.length >= 2 && letters(run) > letters(best)) best = run;
  }
  if (best.length > 0) return best.join('\\W+');
  const single = words.find((w) => w.length >= 5 && !theirs.has(w));
  return single ? `\\b${single}\\b` : undefined;
}
