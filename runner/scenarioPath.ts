import type { Scenario, ScenarioNode } from '../carrier/scenario/schema.js';

/** How a caller gets from one node to the next. */
export type Move =
  | { kind: 'none' }
  | { kind: 'dtmf'; keys: string }
  | { kind: 'speak'; phrase: string }
  | { kind: 'wait'; seconds: number }
  | { kind: 'hold'; seconds: number };

export interface Edge {
  to: string;
  move: Move;
}

/** Breadth-first, trying keys before speech before waiting, so the flow is the shortest and plainest. */
export function shortestPath(
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
