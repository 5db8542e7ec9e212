import type { CallEvent } from '../../events/callEvents.js';
import { stepsSchema, type FlowStep } from '../../flows/model.js';
import { learnedKey } from '../../flows/learnedKey.js';
import {
  emptyTrace,
  foldCallEvent,
  reachedPerson,
  type CallTrace,
} from '../../learner/callTrace.js';
import { diffSteps } from '../../learner/flowDiff.js';
import { stepsForPath } from '../../learner/learnedSteps.js';
import { distinctivePattern, mainLine, mergeCall } from '../../learner/mergeFlow.js';
import { branchFor } from '../../workflows/stepInterpreter.js';

const MENU =
  'Welcome to Acme Bank. For balances, press 1. For disputes, press 2. To hear this again, press 9.';
const ACCOUNT = 'Please enter your account number, followed by the pound key.';
const AFTER_HOURS =
  'Acme Bank is closed today. For card emergencies, press 3. For balances, press 1.';

const heard = (transcript: string, heardMs = 5000): CallEvent => ({
  type: 'call.menu_heard',
  data: { transcript, endedBy: 'pause', heardMs, drifted: false },
});
const press = (dtmf: string): CallEvent => ({ type: 'call.digits_sent', data: { dtmf } });
const connected: CallEvent[] = [
  { type: 'call.hold_started', data: { timeoutS: 7200 } },
  { type: 'call.announcement_heard', data: { kind: 'opening', value: 'all our agents are busy' } },
  {
    type: 'call.human_detected',
    data: { reason: 'new-voice', heldMs: 30_000, transcript: 'Hi, Sam here', detectionMs: 600 },
  },
  {
    type: 'call.speech_sent',
    data: { text: "Hi, one moment please, I'm connecting you now.", audio: null },
  },
  { type: 'call.transferred', data: { bridged: true, reason: null } },
  {
    type: 'call.ended',
    data: {
      outcome: 'connected',
      reason: null,
      decisions: { rules: 2, model: 0 },
      holdSeconds: null,
    },
  },
];

function call(events: CallEvent[], flow: { id: string; version: number } | null = null): CallTrace {
  const trace = emptyTrace();
  foldCallEvent(trace, {
    type: 'call.started',
    data: {
      phoneNumber: '+18005550100',
      company: 'Acme Bank',
      intent: 'dispute a charge',
      flow,
      dialOutcome: 'answered',
    },
  });
  for (const e of events) foldCallEvent(trace, e);
  return trace;
}

describe('folding a call', () => {
  it('keeps the way that worked: a wrong key that led back to the menu is cut out', () => {
    const trace = call([
      heard(MENU),
      press('1'),
      heard('Your balance is not available. ' + MENU),
      press('2'),
      heard(ACCOUNT),
      press('{secret:account}#'),
      ...connected,
    ]);
    expect(trace.path.map((p) => p.action)).toEqual([
      { kind: 'dtmf', dtmf: '2' },
      { kind: 'dtmf', dtmf: '{secret:account}#' },
    ]);
    expect(reachedPerson(trace)).toBe(true);
    expect(trace.recordings.openings).toEqual(['all our agents are busy']);
  });

  it('starts the way again when the call dialled again after a dead end', () => {
    const trace = call([
      heard(MENU),
      press('1'),
      heard('Balances are in our app. Goodbye.'),
      {
        type: 'call.dead_end',
        data: {
          phoneNumber: '+18005550100',
          menu: MENU,
          action: { kind: 'press', digits: '1' },
          ending: 'hung up',
          dial: 1,
        },
      },
      {
        type: 'call.started',
        data: {
          phoneNumber: '+18005550100',
          company: 'Acme Bank',
          intent: 'dispute a charge',
          flow: null,
          dialOutcome: 'answered',
        },
      },
      heard(MENU),
      press('3'),
      ...connected,
    ]);
    expect(trace.path.map((p) => p.action)).toEqual([{ kind: 'dtmf', dtmf: '3' }]);
    expect(trace.path[0]!.heard).toEqual([MENU]);
    expect(reachedPerson(trace)).toBe(true);
  });

  it('hears a greeting and the menu after it as one stop, and ignores what is said to the person', () => {
    const trace = call([
      heard('Thank you for calling Acme Bank.', 2000),
      heard(MENU, 6000),
      press('2'),
      ...connected,
    ]);
    expect(trace.path).toEqual([
      {
        heard: ['Thank you for calling Acme Bank.', MENU],
        heardMs: 8000,
        action: { kind: 'dtmf', dtmf: '2' },
      },
    ]);
  });

  it('hears out a prompt that was waited out on the way to the queue, before holding', () => {
    const operator =
      'If you know your extension, dial it now, or stay on the line for the operator.';
    const trace = call([heard(MENU), press('2'), heard(operator), ...connected]);
    expect(trace.path).toHaveLength(1);
    const steps = stepsForPath(trace.path, trace.recordings, '', trace.beforeHold);
    expect(steps.map((s) => s.id)).toEqual(['l1', 'wait-out', 'hold', 'transfer']);
    // Heard out, no key: then the person after it is a new voice to the hold.
    expect(steps[1]).toMatchObject({
      type: 'LISTEN',
      metadata: { menu: operator, expect: operator },
    });
    expect(steps[1]!.dtmf).toBeUndefined();
    expect(mainLine(steps)).toHaveLength(1);
  });

  it('learns nothing from a call the user took over before anyone answered', () => {
    const early = call([
      heard(MENU),
      press('2'),
      { type: 'call.transferred', data: { bridged: true, reason: null } },
      {
        type: 'call.ended',
        data: {
          outcome: 'connected',
          reason: null,
          decisions: { rules: 1, model: 0 },
          holdSeconds: null,
        },
      },
    ]);
    expect(reachedPerson(early)).toBe(false);
  });

  it('learns nothing from a call that reached nobody', () => {
    const trace = call([
      heard(MENU),
      press('2'),
      {
        type: 'call.ended',
        data: {
          outcome: 'dropped',
          reason: 'line ended',
          decisions: { rules: 1, model: 0 },
          holdSeconds: null,
        },
      },
    ]);
    expect(reachedPerson(trace)).toBe(false);
  });
});

describe('steps from a path', () => {
  it('makes LISTENs that know their menu and closing words, then keys, words, hold and transfer', () => {
    const trace = call([
      heard(MENU),
      press('2'),
      heard('Please say the reason for your call.'),
      { type: 'call.speech_sent', data: { text: 'disputes', audio: null } },
      ...connected,
    ]);
    const steps = stepsForPath(trace.path, trace.recordings);
    expect(() => stepsSchema.parse(steps)).not.toThrow();
    expect(steps.map((s) => [s.id, s.type, s.next_step])).toEqual([
      ['l1', 'LISTEN', 'l2'],
      ['l2', 'LISTEN', 's2'],
      ['s2', 'SPEAK', 'hold'],
      ['hold', 'HOLD', 'transfer'],
      ['transfer', 'TRANSFER', null],
    ]);
    expect(steps[0]).toMatchObject({
      dtmf: '2',
      metadata: { menu: MENU, expect: 'To hear this again, press 9.' },
    });
    expect(steps[2]!.metadata).toEqual({ text: 'disputes' });
    expect(steps[3]!.metadata).toEqual({
      recordings: { fingerprints: [], openings: ['all our agents are busy'] },
    });
  });
});

describe('merging a call into a flow', () => {
  const first = call([
    heard(MENU, 5000),
    press('2'),
    heard(ACCOUNT, 3000),
    press('{secret:account}#'),
    ...connected,
  ]);
  const flow = { steps: stepsForPath(first.path, first.recordings), learned: true };

  it("leaves a person's flow that names no menus alone when a call went its way", () => {
    const written = flow.steps.map((s) => (s.type === 'LISTEN' ? { ...s, metadata: {} } : s));
    expect(mergeCall({ steps: written, learned: false }, first, true)).toBeUndefined();
  });

  it('makes the first flow from the first call', () => {
    expect(mergeCall(undefined, first, false)).toMatchObject({ change: 'learned' });
  });

  it('changes nothing for a call that went the same way at the same pace', () => {
    expect(
      mergeCall(
        flow,
        call([
          heard(MENU, 5200),
          press('2'),
          heard(ACCOUNT, 3000),
          press('{secret:account}#'),
          ...connected,
        ]),
        true,
      ),
    ).toBeUndefined();
  });

  it("moves a timing toward a slower line, and keeps a person's own flow as it is", () => {
    const slow = call([
      heard(MENU, 40_000),
      press('2'),
      heard(ACCOUNT, 3000),
      press('{secret:account}#'),
      ...connected,
    ]);
    const merged = mergeCall(flow, slow, true)!;
    expect(merged.change).toBe('retimed');
    const before = flow.steps[0]!.timeout;
    expect(merged.steps[0]!.timeout).toBeGreaterThan(before);
    expect(merged.steps[0]!.timeout).toBeLessThan(90);
    expect(mergeCall({ ...flow, learned: false }, slow, true)).toBeUndefined();
  });

  it('replaces the flow from a changed menu when a call that followed it found another key', () => {
    const renumbered = MENU.replace('For disputes, press 2', 'For disputes, press 4');
    const merged = mergeCall(
      flow,
      call(
        [heard(renumbered), press('4'), heard(ACCOUNT), press('{secret:account}#'), ...connected],
        { id: 'f', version: 1 },
      ),
      true,
    )!;
    expect(merged.change).toBe('replaced');
    expect(merged.steps[0]!.dtmf).toBe('4');
    expect(mainLine(merged.steps)).toHaveLength(2);
  });

  it('adds a branch for another menu heard at the same place by a call that explored', () => {
    const night = call([heard(AFTER_HOURS), press('3'), ...connected]);
    const merged = mergeCall(flow, night, false)!;
    expect(merged.change).toBe('branched');
    const steps = stepsSchema.parse(merged.steps) as FlowStep[];
    const listen = steps.find((s) => s.id === 'l1')!;
    expect(branchFor(listen, AFTER_HOURS)).toBe('b1-l1');
    expect(branchFor(listen, MENU)).toBeUndefined();
    expect(steps.find((s) => s.id === 'b1-l1')).toMatchObject({
      type: 'DTMF',
      dtmf: '3',
      next_step: 'b1-hold',
    });
    // The main line is unchanged, and the same branch is not added twice.
    expect(mainLine(steps).map((s) => s.action)).toEqual(mainLine(flow.steps).map((s) => s.action));
    expect(mergeCall({ steps, learned: true }, night, false)).toBeUndefined();
    // A call that followed the flow down the branch leaves it as it is.
    expect(mergeCall({ steps, learned: true }, night, true)).toBeUndefined();
  });

  it('finds words one menu says and the other does not', () => {
    expect(distinctivePattern(AFTER_HOURS, MENU)).toBe('card\\W+emergencies');
    expect(distinctivePattern(MENU, MENU)).toBeUndefined();
  });

  it('shows a change as lines a person can read', () => {
    const night = mergeCall(flow, call([heard(AFTER_HOURS), press('3'), ...connected]), false)!;
    const lines = diffSteps(flow.steps, night.steps);
    expect(lines).toContain('+ b1-l1 DTMF, dtmf 3');
    expect(
      lines.some((l) => l.startsWith('~ l1 conditions: (none) → /card\\W+emergencies/ → b1-l1')),
    ).toBe(true);
    expect(diffSteps(flow.steps, flow.steps)).toEqual([]);
  });
});

describe('the errand a learned flow is for', () => {
  it('takes the same errand in other words as the same, and another errand as another', () => {
    expect(learnedKey('+18005550100', 'Dispute a charge')).toBe(
      learnedKey('+18005550100', 'disputing the charges'),
    );
    expect(learnedKey('+18005550100', 'dispute a charge')).not.toBe(
      learnedKey('+18005550100', 'pay my bill'),
    );
  });
});
