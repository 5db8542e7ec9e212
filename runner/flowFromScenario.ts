import type { FlowDefinitionInput, FlowStepInput } from '../flows/model.js';
import type { Clip, Scenario, ScenarioNode } from '../carrier/scenario/schema.js';

/** How a caller gets from one node to the next. */
type Move =
  | { kind: 'none' }
  | { kind: 'dtmf'; keys: string }
  | { kind: 'speak'; phrase: string }
  | { kind: 'wait'; seconds: number }
  | { kind: 'hold'; seconds: number };

interface Edge {
  to: string;
  move: Move;
}

/** Extra time a generated HOLD allows beyond the queue's longest wait. */
const HOLD_MARGIN_S = 300;

/**
 * The flow a person who knew the scenario would write: the keys (or words)
 * along the shortest path to the expected agent, the secrets keyed from the
 * call's own, a hold, and the transfer. It is what a learned flow should
 * converge to, so running it measures how well calls follow flows.
 */
export function flowFromScenario(
  scenario: Scenario,
  /** What recorded prompts say (from the sound library's captions), to know them on hold. */
  soundCaptions: ReadonlyMap<string, string> = new Map(),
): FlowDefinitionInput {
  const steps: FlowStepInput[] = [];
  const path = scenario.task.expect ? shortestPath(scenario, scenario.task.expect) : undefined;
  let n = 0;
  const add = (step: Omit<FlowStepInput, 'id' | 'next_step'>) => {
    n += 1;
    steps.push({ id: `s${n}-${step.type.toLowerCase()}`, ...step });
  };
  let held = false;
  for (const { from, edge } of path ?? []) {
    const node = scenario.nodes[from]!;
    const expect = closingWords(node);
    const listen = (description: string, dtmf?: string) =>
      add({
        type: 'LISTEN',
        description,
        timeout: 90,
        ...(dtmf ? { dtmf } : {}),
        ...(expect ? { metadata: { expect } } : {}),
      });
    switch (edge.move.kind) {
      case 'none':
        break;
      case 'dtmf':
        listen(`${from}: press ${edge.move.keys} for ${edge.to}`, edge.move.keys);
        break;
      case 'speak':
        listen(`${from}: a menu that takes speech`);
        add({
          type: 'SPEAK',
          description: `${from}: say "${edge.move.phrase}"`,
          metadata: { text: edge.move.phrase },
        });
        break;
      case 'wait':
        listen(`${from}: heard out`);
        add({
          type: 'WAIT',
          description: `${from}: let it time out to ${edge.to}`,
          timeout: edge.move.seconds,
        });
        break;
      case 'hold': {
        // What a flow learned from an earlier call knows: the words of everything the hold plays.
        const openings = heardWhileHolding(scenario, path!, soundCaptions);
        add({
          type: 'HOLD',
          description: `${from}: the queue`,
          timeout: edge.move.seconds + HOLD_MARGIN_S,
          metadata: { recordings: { openings } },
        });
        held = true;
        break;
      }
    }
  }
  // An agent reached straight from a menu still has to be heard picking up.
  if (!held) {
    // Nothing recorded plays between the last key and the person.
    const openings = path ? heardWhileHolding(scenario, path, soundCaptions) : [];
    add({
      type: 'HOLD',
      description: 'wait for a person',
      timeout: 600,
      metadata: { recordings: { openings } },
    });
  }
  add({ type: 'TRANSFER', description: 'bring the user in' });
  const linked = steps.map((s, i) => ({ ...s, next_step: steps[i + 1]?.id ?? null }));
  return {
    name: `${scenario.company}: ${scenario.task.expect ?? scenario.task.expectOutcome}`,
    company: scenario.company,
    phone_number: scenario.number,
    description: scenario.task.intent,
    tags: ['scenario-runner', scenario.id],
    steps: linked,
  };
}

/** Breadth-first, trying keys before speech before waiting, so the flow is the shortest and plainest. */
function shortestPath(
  scenario: Scenario,
  goal: string,
): { from: string; edge: Edge }[] | undefined {
  const previous = new Map<string, { from: string; edge: Edge }>();
  const queue = [scenario.start];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (id === goal) {
      const path: { from: string; edge: Edge }[] = [];
      for (let at = goal; at !== scenario.start;) {
        const step = previous.get(at)!;
        path.unshift(step);
        at = step.from;
      }
      return path;
    }
    for (const edge of edgesOf(scenario, scenario.nodes[id]!)) {
      if (seen.has(edge.to)) continue;
      seen.add(edge.to);
      previous.set(edge.to, { from: id, edge });
      queue.push(edge.to);
    }
  }
  return undefined;
}

function edgesOf(scenario: Scenario, node: ScenarioNode): Edge[] {
  switch (node.type) {
    case 'prompt':
      return [{ to: node.next, move: { kind: 'none' } }];
    case 'menu':
      return [
        ...Object.entries(node.options).map(
          ([keys, to]) => ({ to, move: { kind: 'dtmf', keys } }) as Edge,
        ),
        ...Object.entries(node.speech ?? {}).map(
          ([phrase, to]) => ({ to, move: { kind: 'speak', phrase } }) as Edge,
        ),
        ...(node.onTimeout
          ? [{ to: node.onTimeout, move: { kind: 'wait', seconds: node.timeout + 1 } } as Edge]
          : []),
      ];
    case 'input':
      return [{ to: node.next, move: { kind: 'dtmf', keys: entryFor(scenario, node) } }];
    case 'queue': {
      const longest = Array.isArray(node.wait) ? node.wait[1] : node.wait;
      return [{ to: node.agent, move: { kind: 'hold', seconds: longest } }];
    }
    case 'agent':
    case 'hangup':
      return [];
  }
}

/** What to key into an input: the secret it checks, or digits its pattern accepts. */
function entryFor(scenario: Scenario, node: Extract<ScenarioNode, { type: 'input' }>): string {
  const terminator = node.digits.terminator ?? '';
  if (node.expect?.startsWith('secret:'))
    return `{secret:${node.expect.slice('secret:'.length)}}${terminator}`;
  const pattern = node.expect ? new RegExp(`^(?:${node.expect})$`) : undefined;
  for (let length = node.digits.min; length <= node.digits.max; length++) {
    for (const candidate of candidates(length)) {
      if (!pattern || pattern.test(candidate)) return candidate + terminator;
    }
  }
  throw new Error(
    `scenario ${scenario.id}: no entry found for input "${node.expect}"; give it as a secret`,
  );
}

/** Entries to try against an input's pattern: every one when short, else plausible ones (repeats, dates). */
function* candidates(length: number): Generator<string> {
  if (length <= 5) {
    for (let n = 0; n < 10 ** length; n++) yield String(n).padStart(length, '0');
    return;
  }
  for (const digit of '0123456789') yield digit.repeat(length);
  for (let year = 1950; year <= 2020; year += 5) {
    yield `0101${year}`.padEnd(length, '0');
    yield `${year}0101`.padEnd(length, '0');
  }
  yield '1'.padEnd(length, '0');
}

/** The last spoken words a node plays: a listening step knows its prompt is over when it hears them. */
function closingWords(node: ScenarioNode): string | undefined {
  const play: Clip[] = 'play' in node && node.play ? node.play : [];
  const spoken = play.filter((c): c is Extract<Clip, { say: string }> => 'say' in c);
  const last = spoken.at(-1);
  // Only when the node's last clip is that speech: a recording or music after it would still be playing.
  return last && play.at(-1) === last ? last.say : undefined;
}

/**
 * The spoken clips a caller hears from its last key or word until the
 * agent: prompts on the way, the queue's announcements and callback offers.
 */
function heardWhileHolding(
  scenario: Scenario,
  path: { from: string; edge: Edge }[],
  soundCaptions: ReadonlyMap<string, string>,
): string[] {
  const lastAction = path.findLastIndex(
    (p) => p.edge.move.kind !== 'none' && p.edge.move.kind !== 'hold',
  );
  const clips: Clip[] = [];
  for (const { from } of path.slice(lastAction + 1)) {
    const node = scenario.nodes[from]!;
    if (node.type === 'prompt') clips.push(...node.play);
    if (node.type === 'queue')
      clips.push(...(node.announce?.play ?? []), ...(node.callback?.play ?? []));
  }
  return clips.flatMap((clip) => {
    if ('say' in clip) return [clip.say];
    if ('sound' in clip) {
      const caption = clip.caption ?? soundCaptions.get(clip.sound);
      return caption ? [caption] : [];
    }
    return 'file' in clip && clip.caption ? [clip.caption] : [];
  });
}
