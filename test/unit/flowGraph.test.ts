import { readFileSync, readdirSync } from 'node:fs';
import { TIMEOUT_BOUNDS_S } from '../../flows/flowGraph.js';
import {
  DEFAULT_HOLD_TIMEOUT_S,
  DEFAULT_STEP_TIMEOUT_S,
  STEP_TYPES,
  flowDefinitionSchema,
  stepsSchema,
  type FlowDefinitionInput,
  type FlowStep,
  type FlowStepInput,
} from '../../flows/model.js';
import { emptyTrace, type CallTrace, type PathEntry } from '../../learner/callTrace.js';
import { stepsForPath } from '../../learner/learnedSteps.js';
import { mergeCall } from '../../learner/mergeFlow.js';
import { ValidationError, parseWith } from '../../validation/issues.js';

const examples = new URL('../../flows/examples/', import.meta.url);
const readExample = (name: string) =>
  JSON.parse(readFileSync(new URL(name, examples), 'utf8')) as FlowDefinitionInput;
const acme = readExample('acme-bank-disputes.json');

/** The issues the API would answer with for a flow with these steps. */
function issuesFor(steps: FlowStepInput[]): { path: string; message: string }[] {
  try {
    parseWith(flowDefinitionSchema, { ...acme, steps }, 'call flow');
  } catch (e) {
    if (e instanceof ValidationError) return e.issues;
    throw e;
  }
  return [];
}

const hold: FlowStepInput = { id: 'queue', type: 'HOLD', next_step: 'bring-user-in' };
const transfer: FlowStepInput = { id: 'bring-user-in', type: 'TRANSFER' };

describe('flows that run as written', () => {
  it.each(readdirSync(examples).filter((f) => f.endsWith('.json')))('accepts %s', (name) => {
    expect(issuesFor(readExample(name).steps)).toEqual([]);
  });

  it('accepts a menu that is listened to again after pressing 9 to repeat it', () => {
    expect(
      issuesFor([
        {
          id: 'menu',
          type: 'LISTEN',
          conditions: [{ pattern: 'a pharmacist, press 3', next_step: 'press-3' }],
          next_step: 'press-9',
        },
        { id: 'press-9', type: 'DTMF', dtmf: '9', next_step: 'menu' },
        { id: 'press-3', type: 'DTMF', dtmf: '3', next_step: 'queue' },
        hold,
        transfer,
      ]),
    ).toEqual([]);
  });

  it('accepts a loop through a HOLD: back to the queue after an announcement', () => {
    expect(
      issuesFor([
        { id: 'queue', type: 'HOLD', next_step: 'stay' },
        { id: 'stay', type: 'DTMF', dtmf: '1', next_step: 'queue' },
      ]),
    ).toEqual([]);
  });

  it('gives every step type a default timeout its bounds allow', () => {
    const steps = stepsSchema.parse(
      STEP_TYPES.map((type, i) => ({
        id: `s${i}`,
        type,
        ...(type === 'DTMF' ? { dtmf: '1' } : {}),
        ...(type === 'SPEAK' ? { metadata: { text: 'billing' } } : {}),
        next_step: type === 'TRANSFER' ? null : `s${i + 1}`,
      })),
    );
    expect(steps.map((s) => s.timeout)).toEqual(
      STEP_TYPES.map((type) => (type === 'HOLD' ? DEFAULT_HOLD_TIMEOUT_S : DEFAULT_STEP_TIMEOUT_S)),
    );
  });

  it('accepts timeouts at the edges of their bounds', () => {
    for (const type of ['WAIT', 'LISTEN', 'HOLD', 'TRANSFER'] as const) {
      const { min, max } = TIMEOUT_BOUNDS_S[type];
      for (const timeout of [Math.max(min, 0.5), max])
        expect(issuesFor([{ id: 'only', type, timeout }])).toEqual([]);
    }
  });
});

describe('steps no call can reach', () => {
  it('names the step and the first step, at the step', () => {
    expect(
      issuesFor([
        { id: 'greeting', type: 'LISTEN', dtmf: '3', next_step: 'queue' },
        { id: 'press-2', type: 'DTMF', dtmf: '2', next_step: 'queue' },
        hold,
        transfer,
      ]),
    ).toEqual([
      {
        path: 'steps[1]',
        message:
          'step "press-2" is never reached: no step leads to it from the first step "greeting"',
      },
    ]);
  });

  it('counts a step reached only by a condition as reached', () => {
    expect(
      issuesFor([
        {
          id: 'greeting',
          type: 'LISTEN',
          conditions: [{ pattern: 'closed', next_step: 'after-hours' }],
          next_step: 'queue',
        },
        hold,
        transfer,
        { id: 'after-hours', type: 'DTMF', dtmf: '3', next_step: 'queue' },
      ]),
    ).toEqual([]);
  });

  it('reports nothing more while ids are used twice', () => {
    expect(
      issuesFor([
        { id: 'greeting', type: 'LISTEN', next_step: 'queue' },
        { ...hold, next_step: null },
        { id: 'greeting', type: 'WAIT', timeout: 5000 },
      ]),
    ).toEqual([
      { path: 'steps[2].id', message: 'step id "greeting" is used twice (also at steps[0])' },
    ]);
  });
});

describe('loops that never hear the line', () => {
  it('names the loop in order from its earliest step, at the next_step that closes it', () => {
    expect(
      issuesFor([
        { id: 'greeting', type: 'LISTEN', next_step: 'a' },
        { id: 'a', type: 'DTMF', dtmf: '1', next_step: 'b' },
        { id: 'b', type: 'WAIT', timeout: 2, next_step: 'a' },
      ]),
    ).toEqual([
      {
        path: 'steps[2].next_step',
        message:
          'steps "a" → "b" → "a" form a loop with no LISTEN or HOLD step in it: the call would repeat them without ever hearing the line',
      },
    ]);
  });

  it('refuses a step that leads to itself', () => {
    expect(issuesFor([{ id: 'press-0', type: 'DTMF', dtmf: '0', next_step: 'press-0' }])).toEqual([
      {
        path: 'steps[0].next_step',
        message:
          'steps "press-0" → "press-0" form a loop with no LISTEN or HOLD step in it: the call would repeat them without ever hearing the line',
      },
    ]);
  });

  it('does not count a TRANSFER as a way back into a loop: the call ends there', () => {
    const issues = issuesFor([
      { id: 'press-0', type: 'DTMF', dtmf: '0', next_step: 'bring-user-in' },
      { ...transfer, next_step: 'press-0' },
    ]);
    expect(issues.map((i) => i.path)).toEqual(['steps[1].next_step']);
  });
});

describe('timeouts', () => {
  it.each([
    [
      'WAIT',
      601,
      'WAIT step "s" has a timeout of 601 s: a WAIT step\'s timeout must be at most 600 s',
    ],
    [
      'LISTEN',
      0.5,
      'LISTEN step "s" has a timeout of 0.5 s: a LISTEN step\'s timeout must be from 1 to 600 s',
    ],
    [
      'LISTEN',
      900,
      'LISTEN step "s" has a timeout of 900 s: a LISTEN step\'s timeout must be from 1 to 600 s',
    ],
    [
      'HOLD',
      20,
      'HOLD step "s" has a timeout of 20 s: a HOLD step\'s timeout must be from 30 to 86,400 s',
    ],
    [
      'TRANSFER',
      301,
      'TRANSFER step "s" has a timeout of 301 s: a TRANSFER step\'s timeout must be at most 300 s',
    ],
  ] as const)(
    'refuses a %s step of %d s, naming the step and the bounds',
    (type, timeout, message) => {
      expect(issuesFor([{ id: 's', type, timeout }])).toEqual([
        { path: 'steps[0].timeout', message },
      ]);
    },
  );

  it('bounds DTMF and SPEAK steps too', () => {
    const issues = issuesFor([
      { id: 'press-1', type: 'DTMF', dtmf: '1', timeout: 400, next_step: 'say' },
      { id: 'say', type: 'SPEAK', metadata: { text: 'billing' }, timeout: 400 },
    ]);
    expect(issues).toEqual([
      {
        path: 'steps[0].timeout',
        message:
          'DTMF step "press-1" has a timeout of 400 s: a DTMF step\'s timeout must be at most 300 s',
      },
      {
        path: 'steps[1].timeout',
        message:
          'SPEAK step "say" has a timeout of 400 s: a SPEAK step\'s timeout must be at most 300 s',
      },
    ]);
  });

  it('leaves a timeout the step schema refuses to the step schema', () => {
    expect(issuesFor([{ id: 's', type: 'WAIT', timeout: 100_000 }])).toEqual([
      { path: 'steps[0].timeout', message: 'Too big: expected number to be <=86400' },
    ]);
  });
});

describe('transfers', () => {
  it('refuses a TRANSFER that names a next step, naming the step', () => {
    expect(
      issuesFor([
        { id: 'queue', type: 'HOLD', next_step: 'bring-user-in' },
        { ...transfer, next_step: 'queue' },
      ]),
    ).toEqual([
      {
        path: 'steps[1].next_step',
        message:
          'TRANSFER step "bring-user-in" names next_step "queue", but the call ends in the transfer: a TRANSFER step has no next_step',
      },
    ]);
  });
});

describe('flows the learner writes', () => {
  const MENU = 'Welcome to Acme Bank. For balances, press 1. For disputes, press 2.';
  const ACCOUNT = 'Please enter your account number, followed by the pound key.';
  const trace = (path: PathEntry[], flow: CallTrace['flow'] = null): CallTrace => ({
    ...emptyTrace(),
    phoneNumber: '+18005550100',
    flow,
    path,
    held: true,
    human: true,
    bridged: true,
    outcome: 'connected',
  });

  it('keeps a LISTEN within its bounds however long its menu took', () => {
    const slow = trace([
      { heard: [MENU], heardMs: 3_600_000, action: { kind: 'dtmf', dtmf: '2' } },
    ]);
    expect(() => stepsSchema.parse(stepsForPath(slow.path, slow.recordings))).not.toThrow();
  });

  it("keeps a LISTEN timing within bounds when replacing a person's flow saved before them", () => {
    const written = stepsForPath(
      [
        { heard: [MENU], heardMs: 5000, action: { kind: 'dtmf', dtmf: '2' } },
        { heard: [ACCOUNT], heardMs: 3000, action: { kind: 'dtmf', dtmf: '{secret:account}#' } },
      ],
      { fingerprints: [], openings: [] },
    ).map((s): FlowStep => (s.id === 'l1' ? { ...s, timeout: 3600 } : s));
    const changed = trace(
      [
        { heard: [MENU], heardMs: 5000, action: { kind: 'dtmf', dtmf: '2' } },
        { heard: [ACCOUNT], heardMs: 3000, action: { kind: 'dtmf', dtmf: '9#' } },
      ],
      { id: 'f', version: 1 },
    );
    const merged = mergeCall({ steps: written, learned: false }, changed, true)!;
    expect(merged.change).toBe('replaced');
    expect(stepsSchema.parse(merged.steps)[0]!.timeout).toBe(TIMEOUT_BOUNDS_S.LISTEN.max);
  });
});
