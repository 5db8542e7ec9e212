import { DEFAULT_HOLD_TIMEOUT_S, type FlowStep } from '../flows/model.js';
import { holdOnlyPlan } from '../workflows/stepInterpreter.js';
import type { PathAction, PathEntry } from './callTrace.js';

/** Recordings a learned HOLD keeps of each kind: the latest heard. */
const MAX_RECORDINGS = 12;
const MIN_LISTEN_S = 20;
const MAX_LISTEN_S = 120;

/** How long a LISTEN allows for a prompt that took `heardMs` to hear: twice that, and some. */
export function listenTimeoutFor(heardMs: number): number {
  return Math.min(MAX_LISTEN_S, Math.max(MIN_LISTEN_S, Math.ceil((heardMs * 2) / 1000) + 10));
}

/** The words a prompt ends with (its last sentence, or its last words): a LISTEN knows the prompt is over on hearing them. */
export function closingWords(prompt: string): string | undefined {
  const sentences = prompt
    .split(/(?<=[.?!])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const last = sentences.at(-1);
  if (!last) return undefined;
  const words = last.split(/\s+/);
  return words.length >= 3 ? last : prompt.split(/\s+/).slice(-6).join(' ');
}

export function describePathAction(action: PathAction): string {
  return action.kind === 'dtmf' ? `press ${action.dtmf}` : `say "${action.text}"`;
}

/**
 * Steps for a path through the menus: each menu a LISTEN (with the whole
 * of what is heard there, and its closing words) followed by its keys or
 * words; then a HOLD that knows the queue's recordings, and the transfer.
 * `prefix` keeps a branch's step ids apart from the main line's.
 */
export function stepsForPath(
  path: PathEntry[],
  recordings: { fingerprints: string[]; openings: string[] },
  prefix = '',
  beforeHold?: { heard: string[]; heardMs: number },
): FlowStep[] {
  const steps: FlowStep[] = [];
  path.forEach((entry, i) => {
    const menu = entry.heard.join(' ');
    const expect = closingWords(entry.heard.at(-1) ?? '');
    const n = i + 1;
    steps.push({
      id: `${prefix}l${n}`,
      type: 'LISTEN',
      description: `${describePathAction(entry.action)}${menu ? ` at "${clip(entry.heard.at(-1)!)}"` : ''}`,
      timeout: listenTimeoutFor(entry.heardMs),
      next_step: null,
      conditions: [],
      ...(entry.action.kind === 'dtmf' ? { dtmf: entry.action.dtmf } : {}),
      metadata: { ...(menu ? { menu } : {}), ...(expect ? { expect } : {}) },
    });
    if (entry.action.kind === 'say') {
      steps.push({
        id: `${prefix}s${n}`,
        type: 'SPEAK',
        description: describePathAction(entry.action),
        timeout: 10,
        next_step: null,
        conditions: [],
        metadata: { text: entry.action.text },
      });
    }
  });
  if (beforeHold && beforeHold.heard.length > 0) {
    // Heard out with no key: the menu times out to the queue.
    const menu = beforeHold.heard.join(' ');
    const expect = closingWords(beforeHold.heard.at(-1)!);
    steps.push({
      id: `${prefix}wait-out`,
      type: 'LISTEN',
      description: `hear out "${clip(beforeHold.heard.at(-1)!)}"`,
      timeout: listenTimeoutFor(beforeHold.heardMs),
      next_step: null,
      conditions: [],
      metadata: { menu, ...(expect ? { expect } : {}) },
    });
  }
  // The tail every call without a menu to follow has: a hold, then the transfer.
  const [hold, transfer] = holdOnlyPlan(DEFAULT_HOLD_TIMEOUT_S);
  steps.push(
    {
      ...hold!,
      id: `${prefix}hold`,
      metadata: {
        recordings: {
          fingerprints: recordings.fingerprints.slice(-MAX_RECORDINGS),
          openings: recordings.openings.slice(-MAX_RECORDINGS),
        },
      },
    },
    { ...transfer!, id: `${prefix}transfer` },
  );
  return linked(steps);
}

/** Each step leads to the one after it. */
function linked(steps: FlowStep[]): FlowStep[] {
  return steps.map((s, i) => ({ ...s, next_step: steps[i + 1]?.id ?? null }));
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
