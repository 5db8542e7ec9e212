import type { KnownRecordings } from '../activities/types.js';
import type { FlowStep } from '../flows/model.js';

/** A flow that runs more steps than this is looping: the call stops rather than press keys forever. */
export const MAX_STEPS_PER_CALL = 200;

/** The step a LISTEN leads to: the first condition whose pattern matches what was heard, if any. */
export function branchFor(step: FlowStep, heard: string): string | undefined {
  for (const condition of step.conditions) {
    if (new RegExp(condition.pattern, 'i').test(heard)) return condition.next_step;
  }
  return undefined;
}

export function indexSteps(steps: FlowStep[]): Map<string, FlowStep> {
  return new Map(steps.map((s) => [s.id, s]));
}

/** With no flow, a call can still hold for a person and bring the user in (menus need exploration). */
export function holdOnlyPlan(holdTimeoutS: number): FlowStep[] {
  return [
    {
      id: 'hold',
      type: 'HOLD',
      description: 'wait for a person',
      timeout: holdTimeoutS,
      next_step: 'transfer',
      conditions: [],
      metadata: {},
    },
    {
      id: 'transfer',
      type: 'TRANSFER',
      description: 'bring the user in',
      timeout: 120,
      next_step: null,
      conditions: [],
      metadata: {},
    },
  ];
}

/** The device a TRANSFER step rings: its own, or the user's. */
export function transferDevice(step: FlowStep | undefined, userDevice: string): string {
  const device = step?.metadata.device;
  return typeof device === 'string' && device.length > 0 ? device : userDevice;
}

/** The recordings a HOLD step knows its queue plays (metadata.recordings), if it names any. */
export function knownRecordingsOf(step: FlowStep): KnownRecordings | undefined {
  const value = step.metadata.recordings;
  if (typeof value !== 'object' || value === null) return undefined;
  const { fingerprints, openings } = value as Record<string, unknown>;
  const strings = (list: unknown) =>
    Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  return { fingerprints: strings(fingerprints), openings: strings(openings) };
}
