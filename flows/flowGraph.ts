import type { StepType } from './model.js';

/**
 * Checks over a flow's steps taken together, as the call will run them:
 * from the first step along next_step and LISTEN conditions. They assume
 * ids are unique and every reference names a step (stepsSchema checks that
 * first). A step that failed its own checks may not have had its defaults
 * filled in, so fields are read as optional.
 */
export interface GraphStep {
  id: string;
  type: StepType;
  timeout?: number | undefined;
  next_step?: string | null | undefined;
  conditions?: ReadonlyArray<{ next_step: string }> | undefined;
}

/** A problem with one step: `path` is zod's, relative to the steps array. */
export interface GraphIssue {
  path: (string | number)[];
  message: string;
}

/** The longest any step may take, as the step schema enforces it. */
export const MAX_STEP_TIMEOUT_S = 86_400;

/**
 * Seconds a step's timeout may be, by type. A WAIT or LISTEN longer than
 * ten minutes is a mistake for a HOLD; a HOLD shorter than half a minute
 * gives up before most queues answer; the other steps act at once, and
 * their timeout only bounds how long acting may take.
 */
export const TIMEOUT_BOUNDS_S: Readonly<Record<StepType, { min: number; max: number }>> = {
  WAIT: { min: 0, max: 600 },
  LISTEN: { min: 1, max: 600 },
  HOLD: { min: 30, max: MAX_STEP_TIMEOUT_S },
  DTMF: { min: 0, max: 300 },
  SPEAK: { min: 0, max: 300 },
  TRANSFER: { min: 0, max: 300 },
};

/** Only these steps hear the line, so only they can notice that a repeated menu has moved on. */
const LISTENING_TYPES: ReadonlySet<StepType> = new Set(['LISTEN', 'HOLD']);

interface Edge {
  to: number;
  /** Where in the `from` step the edge is written. */
  path: (string | number)[];
}

export function flowGraphIssues(steps: readonly GraphStep[]): GraphIssue[] {
  const edges = edgesOf(steps);
  return [
    ...unreachableIssues(steps, edges),
    ...blindLoopIssues(steps, edges),
    ...timeoutIssues(steps),
    ...transferIssues(steps),
  ];
}

/** The ways a call can go on from each step, by index. */
function edgesOf(steps: readonly GraphStep[]): Edge[][] {
  const index = new Map(steps.map((step, i) => [step.id, i]));
  const edge = (id: string, path: (string | number)[]): Edge[] => {
    const to = index.get(id);
    return to === undefined ? [] : [{ to, path }];
  };
  return steps.map((step) => {
    // The call ends in the transfer: whatever a TRANSFER names next is never run.
    if (step.type === 'TRANSFER') return [];
    return [
      ...(step.conditions ?? []).flatMap((c, ci) =>
        edge(c.next_step, ['conditions', ci, 'next_step']),
      ),
      ...(step.next_step != null ? edge(step.next_step, ['next_step']) : []),
    ];
  });
}

function unreachableIssues(steps: readonly GraphStep[], edges: Edge[][]): GraphIssue[] {
  const reached = new Set<number>([0]);
  const queue = [0];
  for (let from = queue.shift(); from !== undefined; from = queue.shift()) {
    for (const { to } of edges[from]!) {
      if (!reached.has(to)) {
        reached.add(to);
        queue.push(to);
      }
    }
  }
  const first = steps[0]!.id;
  return steps.flatMap((step, i) =>
    reached.has(i)
      ? []
      : [
          {
            path: [i],
            message: `step "${step.id}" is never reached: no step leads to it from the first step "${first}"`,
          },
        ],
  );
}

function blindLoopIssues(steps: readonly GraphStep[], edges: Edge[][]): GraphIssue[] {
  return stronglyConnected(edges)
    .filter((component) => isLoop(component, edges))
    .filter((component) => component.every((i) => !LISTENING_TYPES.has(steps[i]!.type)))
    .map((component) => cycleThrough(Math.min(...component), new Set(component), edges))
    .sort((a, b) => a[0]!.from - b[0]!.from)
    .map((cycle) => loopIssue(steps, cycle));
}

function isLoop(component: number[], edges: Edge[][]): boolean {
  const only = component[0]!;
  return component.length > 1 || edges[only]!.some((e) => e.to === only);
}

/** Names the loop from its earliest step round to it again; the path is the edge that closes it. */
function loopIssue(steps: readonly GraphStep[], cycle: Hop[]): GraphIssue {
  const closing = cycle.at(-1)!;
  const names = [...cycle.map((c) => c.from), cycle[0]!.from].map((i) => `"${steps[i]!.id}"`);
  return {
    path: [closing.from, ...closing.edge.path],
    message: `steps ${names.join(' → ')} form a loop with no LISTEN or HOLD step in it: the call would repeat them without ever hearing the line`,
  };
}

/** One edge taken, from the step at index `from`. */
interface Hop {
  from: number;
  edge: Edge;
}

/**
 * The shortest way from `start` back to it inside its component, edge by
 * edge. Without a LISTEN no step branches, so in a valid flow this is the
 * whole component.
 */
function cycleThrough(start: number, component: ReadonlySet<number>, edges: Edge[][]): Hop[] {
  const cameFrom = new Map<number, Hop>();
  const queue = [start];
  for (let from = queue.shift(); from !== undefined; from = queue.shift()) {
    for (const edge of edges[from]!) {
      if (!component.has(edge.to) || cameFrom.has(edge.to)) continue;
      cameFrom.set(edge.to, { from, edge });
      if (edge.to === start) return hopsBackTo(start, cameFrom);
      queue.push(edge.to);
    }
  }
  // A component that loops always leads back to each of its steps.
  throw new Error(`step ${start} is in a loop that does not come back to it`);
}

/** The hops that end at `start`, from `start`, in the order they are taken. */
function hopsBackTo(start: number, cameFrom: ReadonlyMap<number, Hop>): Hop[] {
  const path: Hop[] = [];
  let at = start;
  do {
    const step = cameFrom.get(at)!;
    path.unshift(step);
    at = step.from;
  } while (at !== start);
  return path;
}

/** Tarjan's algorithm: the steps that can each reach the others, as groups of indexes. */
function stronglyConnected(edges: Edge[][]): number[][] {
  const order = new Map<number, number>();
  const low = new Map<number, number>();
  const stack: number[] = [];
  const onStack = new Set<number>();
  const components: number[][] = [];
  const visit = (v: number): void => {
    order.set(v, order.size);
    low.set(v, order.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const { to } of edges[v]!) {
      if (!order.has(to)) {
        visit(to);
        low.set(v, Math.min(low.get(v)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(v, Math.min(low.get(v)!, order.get(to)!));
    }
    if (low.get(v) !== order.get(v)) return;
    const component: number[] = [];
    let w: number;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    components.push(component);
  };
  edges.forEach((_, v) => {
    if (!order.has(v)) visit(v);
  });
  return components;
}

function timeoutIssues(steps: readonly GraphStep[]): GraphIssue[] {
  return steps.flatMap((step, i) => {
    const timeout = step.timeout;
    // Missing means the default, which fits; outside the schema's own range is reported there.
    if (timeout === undefined || timeout <= 0 || timeout > MAX_STEP_TIMEOUT_S) return [];
    const bounds = TIMEOUT_BOUNDS_S[step.type];
    if (timeout >= bounds.min && timeout <= bounds.max) return [];
    return [
      {
        path: [i, 'timeout'],
        message: `${step.type} step "${step.id}" has a timeout of ${timeout} s: ${allowed(step.type)}`,
      },
    ];
  });
}

function allowed(type: StepType): string {
  const { min, max } = TIMEOUT_BOUNDS_S[type];
  const s = (n: number) => n.toLocaleString('en-US');
  return min > 0
    ? `a ${type} step's timeout must be from ${s(min)} to ${s(max)} s`
    : `a ${type} step's timeout must be at most ${s(max)} s`;
}

function transferIssues(steps: readonly GraphStep[]): GraphIssue[] {
  return steps.flatMap((step, i) =>
    step.type === 'TRANSFER' && step.next_step != null
      ? [
          {
            path: [i, 'next_step'],
            message: `TRANSFER step "${step.id}" names next_step "${step.next_step}", but the call ends in the transfer: a TRANSFER step has no next_step`,
          },
        ]
      : [],
  );
}
